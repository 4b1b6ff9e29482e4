"""The host's `make dev` supervisor (scripts/dev.py) and its local secret (scripts/local_env.py)."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "template/host/scripts"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"host_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


local_env = _load("local_env")
dev = _load("dev")


# --------------------------------------------------------------------------- local secret


def _secret_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("VECTRA_JWT_SECRET=")]


def test_a_missing_env_file_gets_a_private_random_secret(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"

    assert local_env.ensure_local_secret(env_file) is True

    [line] = _secret_lines(env_file.read_text())
    assert len(line.split("=", 1)[1]) >= 48
    assert env_file.stat().st_mode & 0o777 == 0o600
    other = tmp_path / "other.env"
    local_env.ensure_local_secret(other)
    assert _secret_lines(other.read_text()) != [line]  # random, not a constant


def test_the_secret_is_written_once_and_never_changed(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    local_env.ensure_local_secret(env_file)
    first = env_file.read_bytes()

    assert local_env.ensure_local_secret(env_file) is False
    assert env_file.read_bytes() == first


@pytest.mark.parametrize(
    "line", ["VECTRA_JWT_SECRET=mine", 'export VECTRA_JWT_SECRET="mine"', "  VECTRA_JWT_SECRET = mine  # set by hand"]
)
def test_a_secret_the_person_wrote_is_kept(tmp_path: Path, line: str) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"VECTRA_LLM_MODEL=x\n{line}\n")

    assert local_env.ensure_local_secret(env_file) is False
    assert env_file.read_text() == f"VECTRA_LLM_MODEL=x\n{line}\n"


def test_other_settings_are_kept_and_an_empty_secret_is_filled(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("# mine\nVECTRA_JWT_SECRET=\nVECTRA_LLM_MODEL=x")

    assert local_env.ensure_local_secret(env_file) is True

    lines = env_file.read_text().splitlines()
    assert lines[0] == "# mine" and lines[2] == "VECTRA_LLM_MODEL=x"
    assert lines[1].startswith("VECTRA_JWT_SECRET=") and len(lines[1]) > len("VECTRA_JWT_SECRET=") + 40


def test_a_file_without_a_final_newline_gets_the_secret_on_its_own_line(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("VECTRA_LLM_MODEL=x")

    local_env.ensure_local_secret(env_file)

    lines = env_file.read_text().splitlines()
    assert lines[0] == "VECTRA_LLM_MODEL=x"
    assert len(_secret_lines(env_file.read_text())) == 1


# --------------------------------------------------------------------------- supervisor

# A service that starts a child of its own (as uvicorn's reloader and next dev do) and records both.
FAMILY = 'sleep 300 & echo "$$ $!" >> {pids}; wait'


def _pids(file: Path) -> list[int]:
    return [int(pid) for pid in file.read_text().split()] if file.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead; only our own children can be zombies here, and they are reaped.
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" not in status.read_text()


def _survivors(pids: Path) -> list[int]:
    """The recorded processes still alive once given time to exit; killed, so none is left behind."""
    _wait_for(lambda: not any(_alive(pid) for pid in _pids(pids)), timeout=10)
    survivors = [pid for pid in _pids(pids) if _alive(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    return survivors


def _wait_for(condition, timeout: float = 20) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_service_that_stops_stops_the_others_with_their_children(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    family = dev.Service("family", ["sh", "-c", FAMILY.format(pids=pids)], tmp_path)
    # Exits once the family is recorded, so its children are known before the stop.
    quitter = dev.Service("quitter", ["sh", "-c", f"while [ ! -s {pids} ]; do sleep 0.05; done; exit 3"], tmp_path)

    try:
        code = dev.Supervisor([family, quitter], stop_timeout=10).run()
    finally:
        survivors = _survivors(pids)

    assert code == 3
    assert family.process is not None and family.process.returncode is not None
    assert len(_pids(pids)) == 2
    assert survivors == []


def test_a_service_that_exits_cleanly_still_fails_the_run(tmp_path: Path) -> None:
    sleeper = dev.Service("sleeper", ["sleep", "300"], tmp_path)
    done = dev.Service("done", ["true"], tmp_path)

    assert dev.Supervisor([sleeper, done]).run() == 1
    assert sleeper.process is not None and sleeper.process.returncode is not None


SUPERVISE = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("dev", sys.argv[1])
dev = sys.modules["dev"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)
services = [dev.Service(f"s{i}", ["sh", "-c", sys.argv[2]], dev.Path(".")) for i in range(2)]
sys.exit(dev.Supervisor(services, stop_timeout=10).run())
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_every_service_and_its_children(tmp_path: Path, sig: signal.Signals) -> None:
    pids = tmp_path / "pids"
    # Started as a background job would be: SIGINT ignored on entry (the supervisor must not be).
    supervisor = subprocess.Popen(
        [sys.executable, "-c", SUPERVISE, str(SCRIPTS / "dev.py"), FAMILY.format(pids=pids)],
        cwd=tmp_path,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: len(_pids(pids)) == 4), "the services did not start"
        supervisor.send_signal(sig)
        out, err = supervisor.communicate(timeout=30)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
        survivors = _survivors(pids)

    assert supervisor.returncode == 0, err
    assert "Arrêt…" in out
    assert survivors == []


# --------------------------------------------------------------------------- one step (migration, e2e tests)

# A Python child still busy (as pytest is while it imports): a SIGINT there prints a traceback.
RUN_STEP = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("dev", sys.argv[1])
dev = sys.modules["dev"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)
child = "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(300)"
try:
    dev.run_step([sys.executable, "-c", child, sys.argv[2]], dev.Path("."))
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


def test_a_ctrl_c_during_a_step_stops_its_child_without_a_traceback(tmp_path: Path) -> None:
    pid_file = tmp_path / "child.pid"
    script = subprocess.Popen(
        [sys.executable, "-c", RUN_STEP, str(SCRIPTS / "dev.py"), str(pid_file)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
    )
    try:
        assert _wait_for(lambda: pid_file.exists() and pid_file.read_text() != ""), "the child did not start"
        os.killpg(script.pid, signal.SIGINT)  # what a Ctrl-C does: the whole group gets it
        out, err = script.communicate(timeout=30)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
    child = int(pid_file.read_text())

    assert script.returncode == 130 and "interrupted" in out, err
    assert "Traceback" not in err, err
    assert _wait_for(lambda: not _alive(child), timeout=10), "the step's child outlived the Ctrl-C"
