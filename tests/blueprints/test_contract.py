"""The generated API says exactly what it does (issue 18): its OpenAPI document under a fuzzer.

A host with an api unit (a field of every type) and a feature unit (its default answers) is served by uvicorn;
Schemathesis (pinned in requirements.txt: a tool of this template, not of the host) reads its
OpenAPI document and runs every check it has (status codes, response schemas, `Allow` headers,
schema-valid requests accepted, schema-violating ones refused, stateful sequences through the
links it infers) with a token minted by the host's own code: 0 failures, on SQLite and on PostgreSQL.
Then the host broken on purpose: the fuzzer reports each break by its check's code.

Slow: a few thousand requests per database (about 2 minutes each on 2 busy cores).
"""

from __future__ import annotations

import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import hosts

ST = str(Path(sys.executable).parent / "st")
SECRET = secrets.token_urlsafe(48)
# Enough examples for every phase to reach every operation, few enough for a few minutes.
EXAMPLES = "100"
SEED = "42"
# Every type the api kind has, required and optional, with bounds and unique values.
FIELDS = [
    {"name": "title", "type": "string", "max_length": 120, "unique": True},
    {"name": "body", "type": "text", "required": False, "max_length": 2000},
    {"name": "score", "type": "integer", "min": 0, "max": 1000, "default": 0, "index": True},
    {"name": "total", "type": "bigint", "required": False},
    {"name": "ratio", "type": "float", "required": False, "min": 0, "max": 1},
    {"name": "budget", "type": "numeric", "required": False, "min": 0},
    {"name": "price", "type": "numeric"},
    {"name": "active", "type": "boolean", "default": True},
    {"name": "starts_on", "type": "date", "required": False},
    {"name": "seen_at", "type": "datetime", "required": False},
    {"name": "ref", "type": "uuid", "required": False, "unique": True},
    {"name": "extra", "type": "json", "required": False},
    {"name": "stage", "type": "enum", "choices": ["new", "won", "lost"], "default": "new"},
]
# The units of the issue: an api unit with a field of every type, a feature unit on its defaults.
UNITS = [("api", "campaigns", {"fields": FIELDS}), ("feature", "campaign-wizard", {})]
MINT = (
    "import sys\nfrom app.core.security import create_access_token\n"
    "print(create_access_token(sys.argv[1], sys.argv[2]))\n"
)
PG_DATABASE = (
    "import sys\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.engine import make_url\n"
    "url = make_url(sys.argv[1]); name = sys.argv[2]\n"
    "engine = create_engine(url, isolation_level='AUTOCOMMIT')\n"
    "with engine.connect() as c:\n"
    "    c.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)' if sys.argv[3] == 'drop'"
    " else f'CREATE DATABASE {name}')\n"
    "print(url.set(database=name).render_as_string(hide_password=False))\n"
)


def output(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n{done.stdout[-15000:]}\n{done.stderr[-4000:]}"


@pytest.fixture(scope="module")
def contract_host(pristine_host: Path, template_src: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    host = hosts.clone_host(pristine_host, tmp_path_factory.mktemp("contract-host") / "host")
    for kind, name, answers in UNITS:
        hosts.copy_unit(template_src, host, kind=kind, name=name, **answers)
    hosts.commit_all(host, "units")
    return host


@pytest.fixture
def database_url(request: pytest.FixtureRequest, host_runtime: hosts.Runtime, tmp_path: Path) -> Iterator[str]:
    """SQLite in tmp_path, or a fresh PostgreSQL database (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'contract.db'}"
        return
    server = request.getfixturevalue("postgres_url")
    name = f"vectra_contract_{secrets.token_hex(6)}"
    python = [str(host_runtime.venv / "bin/python"), "-c", PG_DATABASE, server, name]
    made = subprocess.run([*python, "create"], capture_output=True, text=True, env=host_runtime.env(), check=True)
    try:
        yield made.stdout.strip()
    finally:
        subprocess.run([*python, "drop"], capture_output=True, text=True, env=host_runtime.env(), check=False)


class Served:
    """The host's API served by uvicorn on a free port, migrated, with a token of its own code."""

    def __init__(self, host: Path, runtime: hosts.Runtime, database_url: str, log: Path) -> None:
        self.backend = host / "backend"
        self.runtime = runtime
        self.env = runtime.env(VECTRA_ENVIRONMENT="test", VECTRA_DATABASE_URL=database_url, VECTRA_JWT_SECRET=SECRET)
        self.log = log
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0

    def python(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.runtime.venv / "bin/python"), *args]
        return subprocess.run(cmd, cwd=self.backend, env=self.env, capture_output=True, text=True, timeout=300)

    def __enter__(self) -> Served:
        migrated = self.python("-m", "alembic", "upgrade", "head")
        assert migrated.returncode == 0, output(migrated)
        minted = self.python("-c", MINT, "fuzzer", "tenant-a")
        assert minted.returncode == 0, output(minted)
        self.token = minted.stdout.strip()
        # A socket bound here and handed to uvicorn (--fd): no other process can take the port between.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.port = int(listener.getsockname()[1])
        with listener, self.log.open("w") as sink:
            self.server = subprocess.Popen(
                [str(self.runtime.venv / "bin/uvicorn"), "app.main:app", "--fd", str(listener.fileno()),
                 "--log-level", "warning"],
                cwd=self.backend, env=self.env, stdout=sink, stderr=subprocess.STDOUT, pass_fds=(listener.fileno(),),
            )  # fmt: skip
        for _ in range(300):  # up in a few seconds
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def fuzz(self, workdir: Path, *options: str) -> subprocess.CompletedProcess[str]:
        """`st run` with every check on the served document (its own options after)."""
        cmd = [ST, "run", f"{self.url}/openapi.json", "--checks", "all", "--seed", SEED, "--workers", "1",
               "--generation-database", "none", "--no-color",
               "-H", f"Authorization: Bearer {self.token}", *options]  # fmt: skip
        return subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=1200)

    def __exit__(self, *_: object) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_the_fuzzer_finds_the_api_doing_exactly_what_its_document_says(
    contract_host: Path, host_runtime: hosts.Runtime, database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "uvicorn.log"
    with Served(contract_host, host_runtime, database_url, log) as served:
        done = served.fuzz(tmp_path, "--max-examples", EXAMPLES)
    text = output(done)
    assert done.returncode == 0, text
    assert "No issues found" in done.stdout, text
    # Every phase ran, the stateful one through the links between the operations.
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅\s+{phase}", done.stdout), f"{phase} did not run and pass\n{text}"
    assert re.search(r"API Links:\s+[1-9]\d* covered", done.stdout), text
    assert "Traceback" not in log.read_text(), log.read_text()[-4000:]


# The host broken on purpose: {what: (file under backend/, pattern, replacement, operations, check code)}.
BREAKS: dict[str, tuple[str, str, str, str, str]] = {
    "401 no longer documented": (
        "app/api/openapi.py", r"errors\[401\] = UNAUTHORIZED", "pass", "/api/v1/me", "ST103",
    ),
    "405 names the first route's methods only": (
        "app/api/errors.py", r"    if error\.status_code == status\.HTTP_405_METHOD_NOT_ALLOWED:",
        "    if False:", "/api/v1/campaigns", "ST205",
    ),
    "an update's field documented as nullable": (
        "app/schemas/campaigns.py", r", json_schema_extra=_omit_but_not_null", "", "/api/v1/campaigns/{item_id}",
        "ST202",
    ),
    "a decimal documented as a number or any text": (
        "app/schemas/campaigns.py", r"(def _number_only\(schema: dict\[str, Any\]\) -> None:\n.*\n)",
        r"\1    return\n", "/api/v1/campaigns", "ST202",
    ),
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("what", sorted(BREAKS))
def test_the_fuzzer_reports_a_broken_contract(
    what: str, contract_host: Path, host_runtime: hosts.Runtime, tmp_path: Path
) -> None:
    path, pattern, replacement, operation, code = BREAKS[what]
    host = hosts.clone_host(contract_host, tmp_path / "host")
    file = host / "backend" / path
    broken, count = re.subn(pattern, replacement, file.read_text(encoding="utf-8"))
    assert count == 1, f"{what}: the pattern no longer matches {path}"
    file.write_text(broken, encoding="utf-8")
    with Served(host, host_runtime, f"sqlite:///{tmp_path / 'broken.db'}", tmp_path / "uvicorn.log") as served:
        done = served.fuzz(
            tmp_path, "--max-examples", "30", "--include-path", operation, "--phases", "coverage,fuzzing"
        )
    assert done.returncode == 1, output(done)
    assert f"- {code} " in done.stdout, output(done)
