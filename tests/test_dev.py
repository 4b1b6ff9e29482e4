"""`make dev` on a host with one unit of every kind, used as a person would use it.

The application is started with `make dev` on free ports, signed in through the `/login` page's
local route, and driven through the API the pages use: a row of the demo feature is created,
edited and deleted, the demo agent is run through its HTTP route and its result read. First with
the embedded defaults (SQLite file, tasks in the API process), then on PostgreSQL with a real
Redis worker. Every process `make dev` started is stopped at the end, even when the test fails.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from helpers import hosts

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FEATURE = "/campaign-wizards"  # the demo's feature unit (campaign-wizard), its api part
AGENT = "bant-qualifier"
AGENT_INPUT = {"company": "Acme", "contact_role": "Directrice achats", "notes": "Budget validé, décision en mars."}
START_TIMEOUT = 90  # seconds: migrations, uvicorn, the Celery worker
PAGE_TIMEOUT = 180  # seconds: `next dev` compiles a page on first request (slow on 2 cores)
RUN_TIMEOUT = 60
STOP_TIMEOUT = 30
# Python tracebacks, uvicorn's and Celery's error levels, Next's compile errors (an agent's result
# may carry an error text of its own, e.g. "LLMUnavailableError: …" on its fallback: not these).
LOG_MARKERS_OF_AN_ERROR = (
    "Traceback",
    "ERROR:",
    "ERROR/",
    "CRITICAL",
    "error TS",
    "Failed to compile",
    "⨯",
    "build encountered",
)


def _demo_units() -> list[tuple[str, str, list[str]]]:
    spec = importlib.util.spec_from_file_location("vectra_demo", ROOT / "scripts/demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.UNITS


@pytest.fixture(scope="module")
def demo_host(template_src: Path, host_runtime: hosts.Runtime, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A host with one unit of every kind (as `make demo` builds), with the shared runtime."""
    host = hosts.bootstrap(template_src, tmp_path_factory.mktemp("dev") / "host")
    for kind, name, data in _demo_units():
        hosts.copy_unit(template_src, host, kind=kind, name=name, **dict(item.split("=", 1) for item in data))
        hosts.commit_all(host, f"{kind}: {name}")
    host_runtime.attach_copy(host)
    return host


# --------------------------------------------------------------------------- the running app


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _processes_in(folder: Path) -> list[tuple[int, str]]:
    """(pid, command line) of every process whose working directory is inside `folder`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            cwd = Path(os.readlink(entry / "cwd"))
            if cwd == folder or folder in cwd.parents:
                found.append((int(entry.name), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()))
    return found


@dataclass
class DevApp:
    api: str
    web: str
    log: Path
    process: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def fail(self, message: str) -> None:
        pytest.fail(f"{message}\n--- make dev's output ---\n{self.log_text()[-6000:]}")

    def request(
        self, method: str, path: str, body: Any = None, token: str | None = None, timeout: float = 30
    ) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.api}{path}", data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        return status, (json.loads(text) if text else None)

    def sign_in(self, login_page: str, **fields: str) -> str:
        """Post the /login form; the access token of the cookie it sets (it redirects to /)."""
        action = re.search(r'name="(\$ACTION_ID_[0-9a-f]+)"', login_page)
        assert action, "no server action in the /login form"
        boundary = secrets.token_hex(8)
        parts = [(action.group(1), ""), *fields.items()]
        body = "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in parts
        )
        request = urllib.request.Request(f"{self.web}/login", data=f"{body}--{boundary}--\r\n".encode(), method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=PAGE_TIMEOUT)
        except urllib.error.HTTPError as answer:  # the 303 lands here: redirects are not followed
            response = answer
        assert response.status == 303 and response.headers["Location"] == "/", (response.status, response.read()[:2000])
        cookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
        assert "vectra_access_token" in cookie, response.headers
        assert cookie["vectra_access_token"]["httponly"]
        return cookie["vectra_access_token"].value

    def wait_until(self, what: str, url: str, timeout: float, request_timeout: float = 10) -> str:
        """GET `url` until it answers 200 (bounded); fails with the log if it never does."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"make dev stopped (exit status {self.process.returncode}) before {what} answered")
            try:
                with urllib.request.urlopen(url, timeout=request_timeout) as response:
                    if response.status == 200:
                        return response.read().decode()
                    last = f"status {response.status}"
            except (urllib.error.URLError, OSError) as error:
                last = str(error)
            time.sleep(1)
        self.fail(f"{what} did not answer {url} within {timeout:.0f} s (last: {last})")
        raise AssertionError  # unreachable: fail() raises


def _stop(process: subprocess.Popen[bytes], host: Path) -> list[tuple[int, str]]:
    """Ctrl-C to `make dev`'s group; then what is still running in the host (killed, returned)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 5  # a child may still be exiting when make returns
    while (survivors := _processes_in(host)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid, _ in survivors:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return survivors


@contextlib.contextmanager
def make_dev(host: Path, runtime: hosts.Runtime, log: Path, **settings: str) -> Iterator[DevApp]:
    """`make dev` running on free ports with `settings` (VECTRA_*), stopped on the way out."""
    backend_port, frontend_port = _free_port(), _free_port()
    env = {k: v for k, v in runtime.env().items() if not k.startswith("VECTRA_") or k == "VECTRA_TEST_CACHE"}
    env.update(settings)
    cmd = ["make", "--no-print-directory", "dev", f"VENV={runtime.venv}",
           f"BACKEND_PORT={backend_port}", f"FRONTEND_PORT={frontend_port}"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=host, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    app = DevApp(f"http://127.0.0.1:{backend_port}/api/v1", f"http://127.0.0.1:{frontend_port}", log, process)
    try:
        yield app
    finally:
        survivors = _stop(process, host)
    assert survivors == [], f"still running after make dev stopped: {survivors}"
    problems = [line for line in app.log_text().splitlines() if any(m in line for m in LOG_MARKERS_OF_AN_ERROR)]
    assert problems == [], "make dev logged errors:\n" + "\n".join(problems)


# --------------------------------------------------------------------------- what a person does


def use_the_application(app: DevApp) -> None:
    """Sign in, a feature row's life, an agent run through its HTTP route."""
    app.wait_until("the API", f"{app.api}/health", START_TIMEOUT)
    login_page = app.wait_until("the frontend", f"{app.web}/login", PAGE_TIMEOUT, request_timeout=PAGE_TIMEOUT)
    assert "Se connecter" in login_page

    # Sign in through the /login page: its form, posted as a browser without JavaScript does, runs
    # the server action that asks the backend's local route for a token and sets the cookie.
    token = app.sign_in(login_page, tenant="acme", user="alice")
    assert app.request("GET", "/me", token=token) == (200, {"subject": "alice", "tenant_id": "acme"})
    assert app.request("GET", FEATURE)[0] == 401

    # The feature's row: create, edit, delete.
    status, row = app.request("POST", FEATURE, {"name": "Lancement printemps", "description": "PME"}, token)
    assert status == 201, row
    status, edited = app.request("PATCH", f"{FEATURE}/{row['id']}", {"name": "Relance printemps"}, token)
    assert (status, edited["name"], edited["description"]) == (200, "Relance printemps", "PME"), edited
    status, page = app.request("GET", FEATURE, token=token)
    assert status == 200 and [item["id"] for item in page["items"]] == [row["id"]], page
    assert app.request("DELETE", f"{FEATURE}/{row['id']}", token=token)[0] == 204
    assert app.request("GET", f"{FEATURE}/{row['id']}", token=token)[0] == 404

    # The agent, through its HTTP route.
    runs = f"/agents/{AGENT}/runs"
    status, run = app.request("POST", runs, AGENT_INPUT, token)
    assert status == 202, run
    assert set(run) >= {"id", "status"}, run
    deadline = time.monotonic() + RUN_TIMEOUT
    while True:
        status, read = app.request("GET", f"{runs}/{run['id']}", token=token)
        assert status == 200, read
        if read.get("result") is not None or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert read["id"] == run["id"]
    assert read.get("result") is not None, f"no result after {RUN_TIMEOUT} s: {read}"


def test_make_dev_with_the_embedded_defaults(demo_host: Path, host_runtime: hosts.Runtime, tmp_path: Path) -> None:
    with make_dev(demo_host, host_runtime, tmp_path / "make-dev.log") as app:
        use_the_application(app)
        # `make token`, another process, signs with the same secret (backend/.env) as the API.
        done = host_runtime.make(demo_host, "-s", "token", "tenant=acme", "user=bob")
        assert done.returncode == 0, done.stderr
        token = done.stdout.strip()
        assert app.request("GET", "/me", token=token) == (200, {"subject": "bob", "tenant_id": "acme"})
        # Every page's browser asks for /favicon.ico: the host ships one (no 404 in the console).
        with urllib.request.urlopen(f"{app.web}/favicon.ico", timeout=60) as icon:
            assert (icon.status, icon.headers.get_content_type()) == (200, "image/x-icon")
            assert icon.read() == (demo_host / "frontend/app/favicon.ico").read_bytes()
        log = app.log_text()
        assert "sqlite:///./vectra.db" in log
        assert "tâches exécutées dans le processus de l'API" in log
    assert (demo_host / "backend/vectra.db").is_file()
    assert "VECTRA_JWT_SECRET=" in (demo_host / "backend/.env").read_text()
    assert hosts.git(demo_host, "status", "--porcelain") == ""  # .env, the database, .next: ignored


@contextlib.contextmanager
def _fresh_database(runtime: hosts.Runtime, backend: Path, server: str) -> Iterator[str]:
    """A new database on `server` for this run, dropped at the end (the host's own helper does it)."""
    script = (
        "import sys\nfrom tests.utils import fresh_database\n"
        "with fresh_database(sys.argv[1]) as url:\n    print(url, flush=True)\n    sys.stdin.read()\n"
    )
    # Run from outside the host: every process left in the host at the end counts as a survivor.
    env = {**os.environ, "PYTHONPATH": str(backend), "PYTHONDONTWRITEBYTECODE": "1"}
    helper = subprocess.Popen([str(runtime.venv / "bin/python"), "-c", script, server], cwd=backend.parent.parent,
                              env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert helper.stdout is not None and helper.stdin is not None
    url = helper.stdout.readline().strip()
    try:
        assert url, "could not create a fresh database on VECTRA_TEST_DATABASE_URL"
        yield url
    finally:
        helper.stdin.close()
        helper.wait(timeout=60)


def test_make_dev_on_postgresql_with_a_redis_worker(
    demo_host: Path, host_runtime: hosts.Runtime, postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    # A Redis database of its own, so no other test's worker takes this run's tasks.
    redis = urllib.parse.urlsplit(redis_url)._replace(path=f"/{10 + secrets.randbelow(6)}").geturl()
    with _fresh_database(host_runtime, demo_host / "backend", postgres_url) as database:
        settings = {"VECTRA_DATABASE_URL": database, "VECTRA_CELERY_BROKER_URL": redis}
        with make_dev(demo_host, host_runtime, tmp_path / "make-dev.log", **settings) as app:
            use_the_application(app)
            log = app.log_text()
            assert "worker Celery sur redis://" in log
            assert "celery@" in log and "ready" in log  # the worker came up
