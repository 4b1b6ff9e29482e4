"""`make dev`: the application on this machine: the API, a Celery worker, the Next.js dev server.

    make dev [BACKEND_PORT=8000] [FRONTEND_PORT=3000]

Migrates the database to head, then starts uvicorn (--reload), a Celery worker when a broker is
configured (else tasks run inside the API process), and `next dev`; prints the URLs; Ctrl-C stops
them all. Settings come from backend/.env and `VECTRA_*` variables: with none, a SQLite file
(backend/vectra.db) and in-process tasks; with VECTRA_DATABASE_URL / VECTRA_CELERY_BROKER_URL,
PostgreSQL and a real Redis worker. If one of them stops on its own, the others are stopped and
the exit status is non-zero.

Each service runs in its own process group, so stopping one stops its children too (uvicorn's
reloader, Next's workers) and a Ctrl-C reaches this supervisor first, which stops them in order.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

HOST = Path(__file__).resolve().parent.parent
BACKEND = HOST / "backend"
FRONTEND = HOST / "frontend"
API_PREFIX = "/api/v1"
STOP_TIMEOUT_SECONDS = 10.0
UVICORN = (
    "-m",
    "uvicorn",
    "app.main:app",
    "--reload",
    "--reload-dir",
    "app",
    "--host",
    "127.0.0.1",
)
# One task at a time (solo pool): enough locally, and light on the machine.
CELERY_WORKER = (
    "-m",
    "celery",
    "-A",
    "app.worker.celery_app",
    "worker",
    "--loglevel=INFO",
    "--pool=solo",
)


class DevSettings(Protocol):
    """What `make dev` reads of the backend's settings (app.core.config.Settings)."""

    # Read-only (properties): Settings' own types, e.g. a Literal environment, are narrower.
    @property
    def environment(self) -> str: ...
    @property
    def database_url(self) -> str: ...
    @property
    def celery_broker_url(self) -> str: ...
    @property
    def cors_origins(self) -> list[str]: ...
    @property
    def has_broker(self) -> bool: ...


class DevError(Exception):
    """Why the application cannot start: one message, with the way to repair it."""


@dataclass
class Service:
    name: str
    command: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands, no shell
                self.command, cwd=self.cwd, env={**os.environ, **self.env}, start_new_session=True
            )
        except OSError as exc:
            raise DevError(f"impossible de lancer {self.name} ({self.command[0]}) : {exc}") from exc

    def signal_group(self, sig: signal.Signals) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)  # the group outlives its leader: children too


class Supervisor:
    """Starts services, waits until one stops or a stop is asked, then stops them all."""

    def __init__(
        self, services: Sequence[Service], stop_timeout: float = STOP_TIMEOUT_SECONDS
    ) -> None:
        self.services = list(services)
        self.stop_timeout = stop_timeout

    def run(self) -> int:
        # Explicit handlers: even when whoever started us ignores SIGINT (a background job).
        previous = (
            signal.signal(signal.SIGTERM, _raise_interrupt),
            signal.signal(signal.SIGINT, _raise_interrupt),
        )
        try:
            for service in self.services:
                service.start()
            return self._wait()
        except KeyboardInterrupt:
            print("\nArrêt…", flush=True)
            return 0
        finally:
            # A second Ctrl-C cannot cut the stop short.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            self.stop()
            signal.signal(signal.SIGTERM, previous[0])
            signal.signal(signal.SIGINT, previous[1])

    def _wait(self) -> int:
        pids = {s.process.pid: s for s in self.services if s.process is not None}
        while True:
            pid, status = os.wait()
            service = pids.get(pid)
            if service is None:
                continue
            code = os.waitstatus_to_exitcode(status)
            if service.process is not None:
                service.process.returncode = code  # reaped here: Popen must not wait for it
            print(f"{service.name} s'est arrêté seul (code {code}) : arrêt des autres.",
                  file=sys.stderr, flush=True)  # fmt: skip
            return code or 1

    def stop(self) -> None:
        """SIGTERM to every group, then SIGKILL to what is left after the timeout."""
        for service in reversed(self.services):
            service.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for service in self.services:
            if service.process is None or service.process.returncode is not None:
                continue
            try:
                service.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(
                    f"{service.name} ne s'est pas arrêté à temps : tué.",
                    file=sys.stderr,
                    flush=True,
                )
        for service in self.services:
            service.signal_group(signal.SIGKILL)  # stragglers of a group whose leader has left
            if service.process is not None and service.process.returncode is None:
                service.process.wait()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _tool(bin_dir: Path, name: str, hint: str) -> str:
    path = bin_dir / name
    if not path.exists():
        raise DevError(f"{path} est absent : lancez d'abord `make setup` ({hint}).")
    return str(path)


def _load_settings() -> DevSettings:
    # The backend's own settings (backend/.env, VECTRA_* variables), read as the API will read them.
    os.chdir(BACKEND)
    sys.path.insert(0, str(BACKEND))
    try:
        from app.core.config import get_settings  # needs the backend on sys.path
    except ImportError as exc:
        raise DevError(
            f"impossible d'importer le backend ({exc}) : lancez d'abord `make setup`."
        ) from exc
    try:
        return get_settings()
    except ValueError as exc:
        raise DevError(f"réglages invalides (backend/.env ou variables VECTRA_*) : {exc}") from exc


def plan(bin_dir: Path, backend_port: int, frontend_port: int) -> tuple[list[Service], list[str]]:
    """The services to start and the lines that say what runs where."""
    python = _tool(bin_dir, "python", "le virtualenv du backend")
    next_bin = _tool(FRONTEND / "node_modules/.bin", "next", "les node_modules du frontend")
    settings = _load_settings()
    frontend_url = f"http://localhost:{frontend_port}"
    api_url = f"http://127.0.0.1:{backend_port}{API_PREFIX}"
    backend_env: dict[str, str] = {}
    if not settings.cors_origins:
        backend_env["VECTRA_CORS_ORIGINS"] = f"{frontend_url},http://127.0.0.1:{frontend_port}"

    services = [
        Service(
            "API (uvicorn)",
            [python, *UVICORN, "--port", str(backend_port)],
            BACKEND,
            backend_env,
        )
    ]
    if settings.has_broker:
        services.append(
            Service(
                "Celery worker",
                [python, *CELERY_WORKER],
                BACKEND,
            )
        )
        tasks = f"worker Celery sur {_redact(settings.celery_broker_url)}"
    else:
        tasks = "tâches exécutées dans le processus de l'API (VECTRA_CELERY_BROKER_URL absent)"
    services.append(
        Service(
            "Frontend (next dev)",
            [next_bin, "dev", "--port", str(frontend_port)],
            FRONTEND,
            {"NEXT_PUBLIC_API_URL": api_url, "NEXT_TELEMETRY_DISABLED": "1"},
        )
    )
    database = _redact(settings.database_url)
    lines = [
        f"Frontend :        {frontend_url}   (connexion : {frontend_url}/login)"
        + ("" if settings.environment == "local" else " — demande VECTRA_ENVIRONMENT=local"),
        f"API :             {api_url}   (documentation : http://127.0.0.1:{backend_port}/docs)",
        f"Base de données : {database}",
        f"Tâches :          {tasks}",
        f"Réglages :        {settings.environment} (backend/.env, variables VECTRA_*)",
        "Ctrl-C arrête tout.",
    ]
    return services, lines


def run_step(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> int:
    """Runs one command to its end and returns its exit status; a Ctrl-C stops it quietly.

    The child starts with SIGINT ignored, so the terminal's Ctrl-C reaches this script alone,
    which stops the child with SIGTERM: a Python child interrupted in the middle of its imports
    would print a traceback that says nothing useful.
    """
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec
    try:
        process = subprocess.Popen(command, cwd=cwd, env=env)  # noqa: S603 - our own command
    finally:
        signal.signal(signal.SIGINT, previous)
    try:
        return process.wait()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C cannot orphan it
        try:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        finally:
            signal.signal(signal.SIGINT, previous)
        raise


def migrate(bin_dir: Path) -> None:
    print("Migration de la base (alembic upgrade head)…", flush=True)
    code = run_step([str(bin_dir / "python"), "-m", "alembic", "upgrade", "head"], BACKEND)
    if code != 0:
        raise DevError(
            "la migration a échoué (voir ci-dessus) : corrigez-la, puis relancez `make dev`."
        )


def _redact(url: str) -> str:
    # Show where, never the password: scheme://user@host/db
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, location = rest.rpartition("@")
    return f"{scheme}://{credentials.split(':', 1)[0]}@{location}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make dev", description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path, required=True, help="the backend virtualenv's bin/")
    parser.add_argument("--backend-port", type=int, default=8000)
    parser.add_argument("--frontend-port", type=int, default=3000)
    args = parser.parse_args(argv)
    try:
        services, lines = plan(args.bin, args.backend_port, args.frontend_port)
        migrate(args.bin)
        print("\n".join(["", *lines, ""]), flush=True)
        return Supervisor(services).run()
    except DevError as exc:
        print(f"make dev : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the services started (during the migration)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
