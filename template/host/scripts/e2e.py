"""`make test-e2e`: the end-to-end tests (backend/tests/e2e) in headless Chromium, against the app.

    make test-e2e [E2E_ARGS="-k sign_in"]

Starts the API (uvicorn) and the frontend (`next dev`, built into frontend/.next-e2e so that a
running `make dev` is left alone) on free ports, on a database of their own: a new SQLite file, or
a fresh PostgreSQL database when VECTRA_TEST_DATABASE_URL is set (dropped at the end). The workflow
board reads a copy of the host's answers files and docs/workflow/. Waits until
both answer, runs `pytest tests/e2e`, then stops everything, even after a failure or a Ctrl-C.
The servers' output goes to backend/e2e-artifacts/servers.log (printed when they fail to start);
screenshots go to backend/e2e-artifacts/ (VECTRA_E2E_ARTIFACTS puts them elsewhere). The browser
is the system's Chromium (VECTRA_E2E_CHROMIUM, default /usr/bin/chromium): none is downloaded,
and without it the tests are skipped with what to install.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dev  # `make dev`'s pieces: services, their stop, the migration


class E2ESettings(Protocol):
    """What this script reads of tests.e2e.settings.E2ESettings (imported late: cwd is backend/)."""

    chromium: Path
    artifacts: Path


HOST = dev.HOST
BACKEND = dev.BACKEND
FRONTEND = dev.FRONTEND
NEXT_DIST_DIR = ".next-e2e"
TEST_DATABASE_ENV = "VECTRA_TEST_DATABASE_URL"
START_TIMEOUT_SECONDS = (
    300.0  # `next dev` compiles /login on first request: slow on a small machine
)
UVICORN = ("-m", "uvicorn", "app.main:app", "--host", "127.0.0.1")
WORKFLOW_FILES = (".copier-answers", "docs/workflow")  # what the workflow board reads


class LoggedService(dev.Service):
    """A `make dev` service whose output goes to a log file instead of the terminal."""

    log: IO[bytes] | None = None

    def start(self) -> None:
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own commands, no shell
                self.command,
                cwd=self.cwd,
                env={**os.environ, **self.env},
                stdout=self.log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise dev.DevError(
                f"impossible de lancer {self.name} ({self.command[0]}) : {exc}"
            ) from exc


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def database() -> Iterator[str]:
    """A database of this run: a fresh PostgreSQL one (VECTRA_TEST_DATABASE_URL), else SQLite."""
    server = os.environ.get(TEST_DATABASE_ENV, "").strip()
    if server:
        from tests.utils import fresh_database  # the backend's own helper (sys.path: backend/)

        with fresh_database(server) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix="vectra-e2e-") as folder:
            yield f"sqlite:///{Path(folder) / 'e2e.db'}"


@contextlib.contextmanager
def board_copy() -> Iterator[Path]:
    """A copy of what the workflow board reads (answers files, docs/workflow/): the API's host root
    for the run (VECTRA_HOST_ROOT), so the board's tests change a unit's status in the copy, never
    in the host."""
    with tempfile.TemporaryDirectory(prefix="vectra-e2e-board-") as folder:
        root = Path(folder)
        for name in WORKFLOW_FILES:
            if (HOST / name).is_dir():
                shutil.copytree(HOST / name, root / name, symlinks=True)
        yield root


def wait_until_up(url: str, services: Sequence[dev.Service], deadline: float) -> None:
    last = "pas de réponse"
    while time.monotonic() < deadline:
        for service in services:
            if service.process is not None and service.process.poll() is not None:
                raise dev.DevError(
                    f"{service.name} s'est arrêté (code {service.process.returncode}) avant de répondre"
                )
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - our own http URL
                if answer.status == 200:
                    return
                last = f"statut {answer.status}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(1)
    raise dev.DevError(f"{url} n'a pas répondu à temps ({last})")


def run(bin_dir: Path, pytest_args: Sequence[str], artifacts: Path) -> int:
    from tests.e2e.settings import missing_browser  # the backend's tests (cwd: backend/)

    chromium = _settings().chromium
    problem = missing_browser(chromium)
    if problem:
        print(f"make test-e2e : {problem}", flush=True)
        return 0
    python = dev._tool(bin_dir, "python", "le virtualenv du backend")
    next_bin = dev._tool(FRONTEND / "node_modules/.bin", "next", "les node_modules du frontend")
    backend_port, frontend_port = free_port(), free_port()
    frontend_url = f"http://127.0.0.1:{frontend_port}"
    api_url = f"http://127.0.0.1:{backend_port}{dev.API_PREFIX}"
    artifacts.mkdir(parents=True, exist_ok=True)
    server_log = artifacts / "servers.log"

    with database() as database_url, board_copy() as board_root, server_log.open("wb") as log:
        os.environ.update(
            {
                "VECTRA_HOST_ROOT": str(board_root),
                "VECTRA_ENVIRONMENT": "local",  # the local sign-in route of /login
                "VECTRA_DATABASE_URL": database_url,
                "VECTRA_JWT_SECRET": secrets.token_urlsafe(48),
                "VECTRA_CORS_ORIGINS": frontend_url,
                "VECTRA_CELERY_BROKER_URL": "memory://",  # tasks run in the API's process
                "VECTRA_CELERY_RESULT_BACKEND": "",
                "VECTRA_CELERY_TASK_ALWAYS_EAGER": "true",
                "VECTRA_LLM_PROVIDER": "fake",  # no network: agents answer their fallback
            }
        )
        dev.migrate(bin_dir)
        api = LoggedService(
            "API (uvicorn)", [python, *UVICORN, "--port", str(backend_port)], BACKEND
        )
        web = LoggedService(
            "Frontend (next dev)",
            [next_bin, "dev", "--port", str(frontend_port), "--hostname", "127.0.0.1"],
            FRONTEND,
            {
                "NEXT_PUBLIC_API_URL": api_url,
                "NEXT_TELEMETRY_DISABLED": "1",
                "VECTRA_NEXT_DIST_DIR": NEXT_DIST_DIR,
            },
        )
        api.log = web.log = log
        services: list[dev.Service] = [api, web]
        try:
            for service in services:
                service.start()
            print(f"Démarrage de l'API ({api_url}) et du frontend ({frontend_url})…", flush=True)
            print(f"Base de données : {dev._redact(database_url)}", flush=True)
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            try:
                wait_until_up(f"{api_url}/health", services, deadline)
                wait_until_up(f"{frontend_url}/login", services, deadline)
            except dev.DevError:
                log.flush()
                tail = server_log.read_text(encoding="utf-8", errors="replace")[-4000:]
                print(f"--- {server_log} (fin) ---\n{tail}", file=sys.stderr, flush=True)
                raise
            env = {
                **os.environ,
                "VECTRA_E2E_FRONTEND_URL": frontend_url,
                "VECTRA_E2E_API_URL": api_url,
                "VECTRA_E2E_ARTIFACTS": str(artifacts),
                "VECTRA_E2E_CHROMIUM": str(chromium),
                "VECTRA_E2E_BOARD_ROOT": str(board_root),
            }
            return dev.run_step(
                [python, "-m", "pytest", "tests/e2e", "-p", "no:cacheprovider", *pytest_args],
                BACKEND,
                env,
            )
        finally:
            signal.signal(
                signal.SIGINT, signal.SIG_IGN
            )  # a second Ctrl-C cannot cut the stop short
            dev.Supervisor(services).stop()
            signal.signal(signal.SIGINT, signal.default_int_handler)


def _settings() -> E2ESettings:
    from tests.e2e.settings import get_e2e_settings

    return get_e2e_settings()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make test-e2e", description=__doc__.splitlines()[0])
    parser.add_argument("--bin", type=Path, required=True, help="the backend virtualenv's bin/")
    parser.add_argument("pytest_args", nargs="*", help="passed to pytest (E2E_ARGS)")
    args = parser.parse_args(argv)
    os.chdir(BACKEND)  # backend/.env, as the API reads it
    sys.path.insert(0, str(BACKEND))
    signal.signal(signal.SIGTERM, dev._raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # even when started in background
    try:
        return run(args.bin, args.pytest_args, _settings().artifacts.resolve())
    except dev.DevError as exc:
        print(f"make test-e2e : {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nmake test-e2e : interrompu, tout est arrêté.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
