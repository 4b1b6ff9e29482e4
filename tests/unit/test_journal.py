"""The journal tells a killed command from a live one, even while a child of the killed one lives on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from blueprint import journal

EXTENSIONS = Path(__file__).resolve().parents[2] / "extensions"

# Begins a journal, then forks a child that keeps the journal's lock (as a child copier was starting
# does until its exec) and outlives its parent.
BEGIN_THEN_FORK = textwrap.dedent("""
    import os, sys, time
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from blueprint import journal
    kept = journal.begin(Path(sys.argv[2]), "copier copy fix/killed", unit="fix/killed", files=["a.txt"])
    if os.fork() == 0:
        time.sleep(60)
        os._exit(0)
    print("ready", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def host(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_a_journal_whose_process_was_killed_is_interrupted_though_its_child_holds_the_lock(host: Path) -> None:
    command = [sys.executable, "-c", BEGIN_THEN_FORK, str(EXTENSIONS), str(host)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        assert journal.interrupted(host) == []  # live: its command runs
        child.send_signal(signal.SIGKILL)
        child.wait()
        stale = journal.interrupted(host)
        assert [j.unit for j in stale] == ["fix/killed"]
        assert journal.repair_hint(stale[0]).startswith("la commande `copier copy fix/killed`")
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the forked child, still asleep


def test_a_journal_of_a_live_process_is_not_interrupted_and_one_without_a_holder_is(host: Path) -> None:
    live = journal.begin(host, "make status", unit="fix/live", files=[])
    assert journal.interrupted(host) == []
    live._alive.close()  # as if its process had died: nobody holds the lock
    live._alive = None
    assert [j.unit for j in journal.interrupted(host)] == ["fix/live"]


def test_a_journal_being_dropped_is_not_taken_for_an_interrupted_one(host: Path) -> None:
    # Another command's drop() is removing the folder (shutil.rmtree: the `alive` file goes before
    # meta.json and the folder). A look at that moment must not see it as interrupted, nor put an
    # `alive` file back into the folder being removed (seen under load in test_atomic's two copies).
    ending = journal.begin(host, "copier copy fix/ending", unit="fix/ending", files=[])
    (ending.folder / "alive").unlink()
    assert journal.interrupted(host) == []
    assert not (ending.folder / "alive").exists()
    ending.drop()
    assert not ending.folder.exists()
