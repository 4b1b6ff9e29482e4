"""Every lifecycle command and every unit copy applies whole or not at all; two at once lose nothing.

The lifecycle runs in this process (the API `scripts/units.py` calls) or in a child Python for the
concurrency and kill tests; copies run in process or through plain `copier`. Hosts are git hosts
made from a git template, so `copier update` can run.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

import copier
import pytest
from blueprint import journal, lifecycle, upsert
from blueprint.upsert import find_block
from copier.errors import UserMessageError
from helpers.hosts import GIT_ENV, Runtime, commit_all, git, snapshot_template

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STATUS = "docs/workflow/STATUS.md"
REGRESSION = "template/units/backend/tests/regression/test_{{ unit.snake }}.py.jinja"


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture(scope="module")
def versions(root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git template tagged 1.0.0, then 1.1.0 (a changed regression test), and a host made at 1.0.0
    with two fix units, committed: tests copy it (`life_host`)."""
    base = tmp_path_factory.mktemp("atomic")
    repo = snapshot_template(root, base / "template-repo")
    git(repo, "init", "-q", "-b", "main")
    commit_all(repo, "template 1.0.0")
    git(repo, "tag", "1.0.0")
    host = base / "host"
    copier.run_copy(str(repo), host, data={"kind": "project", "name": "atomic-host"}, defaults=True, unsafe=True,
                    quiet=True)  # fmt: skip
    git(host, "init", "-q", "-b", "main")
    commit_all(host, "host")
    for name in ("celery-startup", "lead-flicker"):
        copier.run_copy(str(repo), host, data={"kind": "fix", "name": name}, defaults=True, unsafe=True, quiet=True)
    commit_all(host, "two fixes")
    regression = repo / REGRESSION
    regression.write_text(regression.read_text().replace("import pytest\n", "import pytest\n\n# Template 1.1.0\n", 1))
    commit_all(repo, "template 1.1.0")
    git(repo, "tag", "1.1.0")
    return base


@pytest.fixture
def life_host(versions: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(versions / "host", tmp_path / "host", symlinks=True))


def snapshot(host: Path) -> dict[str, bytes]:
    """Every file of the work tree (what `git add -A` could see, ignored files included)."""
    return {
        p.relative_to(host).as_posix(): p.read_bytes()
        for p in sorted(host.rglob("*"))
        if p.is_file() and not {".git", "node_modules"} & set(p.relative_to(host).parts)
    }


def entry_of(host: Path, key: str) -> str:
    block = find_block((host / STATUS).read_text(encoding="utf-8"), key)
    assert block is not None
    return block.body


# -- a damaged shared file: refused before the first write, by status, update and copy ------------------


def _not_utf8(text: str) -> bytes:
    return text.encode("utf-8") + "\nNotes de l'équipe\n".encode("latin-1")


def _no_end_marker(text: str) -> bytes:
    return text.replace("<!-- /vectra:unit fix/celery-startup -->", "").encode()


def _entry_twice(text: str) -> bytes:
    block = find_block(text, "fix/celery-startup")
    assert block is not None
    return (text + "\n" + text[block.start : block.end]).encode()


def _no_start_marker(text: str) -> bytes:
    block = find_block(text, "fix/celery-startup")
    assert block is not None
    start_line = text[block.start : text.index("\n", block.start) + 1]
    return text.replace(start_line, "", 1).encode()


DAMAGES = {
    "not UTF-8": (_not_utf8, "n'est pas un texte UTF-8"),
    "end marker missing": (_no_end_marker, "n'a pas de marqueur de fin"),
    "entry twice": (_entry_twice, "apparaît 2 fois"),
    "start marker deleted": (_no_start_marker, "a perdu son marqueur de début"),
}


@pytest.mark.parametrize("damage", DAMAGES)
@pytest.mark.parametrize("command", ["status", "update"])
def test_a_damaged_status_md_is_refused_and_nothing_changes(life_host: Path, damage: str, command: str) -> None:
    spoil, said = DAMAGES[damage]
    status = life_host / STATUS
    status.write_bytes(spoil(status.read_text(encoding="utf-8")))
    commit_all(life_host, "a damaged STATUS.md")
    before = snapshot(life_host)
    unit = lifecycle.find(life_host, "fix/celery-startup")
    with pytest.raises(lifecycle.UnitError) as refusal:
        if command == "status":
            lifecycle.set_status(unit, "completed")
        else:
            lifecycle.update(unit)
    assert said in str(refusal.value) and "Rien n'a changé" in str(refusal.value)
    assert snapshot(life_host) == before
    assert not journal.interrupted(life_host) and not lifecycle.changes(life_host)


def test_a_status_md_that_cannot_be_written_is_refused_and_nothing_changes(life_host: Path) -> None:
    status = life_host / STATUS
    text = status.read_bytes()
    status.unlink()
    status.mkdir()  # a folder where the file should be: no write can succeed (tests may run as root)
    (status / "keep").write_bytes(text)
    commit_all(life_host, "STATUS.md is a folder")
    before = snapshot(life_host)
    with pytest.raises(lifecycle.UnitError, match=r"est illisible|n'est pas un fichier"):
        lifecycle.set_status(lifecycle.find(life_host, "fix/celery-startup"), "completed")
    assert snapshot(life_host) == before


def test_a_failure_half_way_through_an_update_puts_every_file_back(
    life_host: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record step fails writing STATUS.md after copier has rewritten the log and the answers file."""
    regression = life_host / "backend/tests/regression/test_celery_startup.py"
    regression.write_text(regression.read_text() + "\n# my own note\n")
    commit_all(life_host, "my note")
    before = snapshot(life_host)
    real_mkstemp = tempfile.mkstemp

    def disk_full(*args: Any, **kwargs: Any) -> Any:
        if str(kwargs.get("prefix", "")).startswith(".STATUS.md"):
            raise OSError(28, "No space left on device")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", disk_full)
    with pytest.raises(lifecycle.UnitError, match="No space left on device") as failure:
        lifecycle.set_status(lifecycle.find(life_host, "fix/celery-startup"), "completed")
    assert "Rien n'a changé" in str(failure.value)
    assert snapshot(life_host) == before
    assert "# my own note" in regression.read_text()


def test_update_all_stops_at_a_unit_that_fails_and_says_what_was_committed(
    life_host: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_update = copier.run_update

    def fails_after_writing_the_second_unit(*args: Any, **kwargs: Any) -> Any:
        real_update(*args, **kwargs)  # the unit's files and answers are written...
        if "lead-flicker" in str(kwargs["answers_file"]):
            raise OSError(28, "No space left on device")  # ...then the command fails

    monkeypatch.setattr(copier, "run_update", fails_after_writing_the_second_unit)
    out = _Out()
    assert lifecycle.update_all(life_host, out=out) == 1
    assert "erreur pendant la mise à jour de fix/lead-flicker : " in out.text and "No space left on device" in out.text
    assert "Mises à jour et commitées : project/atomic-host, fix/celery-startup" in out.text
    assert "Pas mises à jour : fix/lead-flicker" in out.text
    assert not lifecycle.changes(life_host) and not journal.interrupted(life_host)
    assert lifecycle.find(life_host, "fix/lead-flicker").answers["_commit"] == "1.0.0"


def test_status_commits_its_change(life_host: Path) -> None:
    head = git(life_host, "rev-parse", "HEAD")
    lifecycle.set_status(lifecycle.find(life_host, "fix/celery-startup"), "completed")
    assert git(life_host, "log", "-1", "--format=%s").strip() == "vectra: status fix/celery-startup → completed"
    assert git(life_host, "rev-parse", "HEAD^") == head and not lifecycle.changes(life_host)
    assert "**Statut:** completed" in entry_of(life_host, "fix/celery-startup")


def test_a_copy_refused_for_a_damaged_status_md_writes_nothing(life_host: Path, versions: Path) -> None:
    status = life_host / STATUS
    status.write_bytes(_not_utf8(status.read_text(encoding="utf-8")))
    before = snapshot(life_host)
    template = str(versions / "template-repo")
    args = [str(BIN / "copier"), "copy", "--trust", "--defaults", "-r", "HEAD", template, str(life_host)]
    done = subprocess.run([*args, "-d", "kind=fix", "-d", "name=new-bug"], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, check=False)  # fmt: skip
    assert done.returncode != 0 and "n'est pas un texte UTF-8" in done.stderr and "rien n'a été écrit" in done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(life_host) == before

    status.write_bytes(before[STATUS].decode("latin-1").encode("utf-8"))  # repaired: the retry works
    copier.run_copy(template, life_host, data={"kind": "fix", "name": "new-bug"}, defaults=True, unsafe=True,
                    quiet=True, vcs_ref="HEAD")  # fmt: skip
    assert (life_host / ".copier-answers/fix_new-bug.yml").exists()
    assert find_block(status.read_text(encoding="utf-8"), "fix/new-bug") is not None


# -- an answers file that is not YAML: the other units keep working -------------------------------------


def test_an_answers_file_that_is_not_yaml_is_named_and_the_others_work(life_host: Path, versions: Path) -> None:
    broken = life_host / ".copier-answers/fix_lead-flicker.yml"
    broken.write_text(broken.read_text() + "status: [unclosed\n")
    commit_all(life_host, "a bad merge of the answers")

    assert [u.key for u in lifecycle.units(life_host)] == ["fix/celery-startup"]
    [problem] = lifecycle.broken_answers(life_host)
    assert problem.startswith(".copier-answers/fix_lead-flicker.yml line ") and "YAML invalide" in problem
    with pytest.raises(lifecycle.UnitError, match=r"fix_lead-flicker\.yml line"):
        lifecycle.find(life_host, "fix/lead-flicker")

    lifecycle.set_status(lifecycle.find(life_host, "fix/celery-startup"), "blocked")
    assert "**Statut:** blocked" in entry_of(life_host, "fix/celery-startup")
    copier.run_copy(str(versions / "template-repo"), life_host, data={"kind": "database", "name": "add-leads"},
                    defaults=True, unsafe=True, quiet=True, vcs_ref="1.0.0")  # fmt: skip
    commit_all(life_host, "a new unit beside the broken one")
    assert sorted(u.key for u in lifecycle.units(life_host)) == ["database/add-leads", "fix/celery-startup"]

    out = _Out()
    assert lifecycle.update_all(life_host, out=out) == 1
    assert "mise à jour fix/celery-startup" in out.text
    assert "Pas mise à jour : .copier-answers/fix_lead-flicker.yml" in out.text
    assert "Template 1.1.0" in (life_host / "backend/tests/regression/test_celery_startup.py").read_text()


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text


# -- a copy killed after its first file: seen, and `make undo` clears it -------------------------------

KILL_AFTER_FIRST_FILE = textwrap.dedent("""
    import os, signal, sys
    import copier
    from copier import _main

    real = _main.Worker._render_file
    def render_then_die(self, *args, **kwargs):
        real(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    _main.Worker._render_file = render_then_die
    copier.run_copy(sys.argv[1], sys.argv[2], data={"kind": "fix", "name": "half-done"}, defaults=True,
                    unsafe=True, quiet=True, vcs_ref="HEAD")
""")


def test_a_copy_killed_after_its_first_file_is_seen_and_undone(life_host: Path, versions: Path) -> None:
    before = snapshot(life_host)
    template = str(versions / "template-repo")
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_FILE, template, str(life_host)], check=False)
    assert killed.returncode == -signal.SIGKILL
    assert snapshot(life_host) != before, "the copy had written a file"

    [partial] = journal.interrupted(life_host)
    assert partial.unit == "fix/half-done" and "make undo unit=fix/half-done" in journal.repair_hint(partial)
    with pytest.raises(UserMessageError, match="a été interrompue"):  # the retry says why, and how to repair
        copier.run_copy(template, life_host, data={"kind": "fix", "name": "half-done"}, defaults=True,
                        unsafe=True, quiet=True, vcs_ref="HEAD")  # fmt: skip
    with pytest.raises(lifecycle.UnitError, match="make undo unit=fix/half-done"):
        lifecycle.set_status(lifecycle.find(life_host, "fix/celery-startup"), "completed")
    with pytest.raises(lifecycle.UnitError, match=r"copier copy fix/half-done.* a été interrompue"):
        lifecycle.find(life_host, "fix/half-done")  # `make update unit=fix/half-done` no longer says "no unit"

    out = _Out()
    assert lifecycle.undo_command(life_host, "fix/half-done", ROOT, out=out) == 0
    assert "Hôte remis tel qu'avant" in out.text
    assert snapshot(life_host) == before and not journal.interrupted(life_host)
    copier.run_copy(template, life_host, data={"kind": "fix", "name": "half-done"}, defaults=True, unsafe=True,
                    quiet=True, vcs_ref="HEAD")  # fmt: skip
    assert lifecycle.find(life_host, "fix/half-done").answers["status"] == "in_progress"


def test_a_copy_interrupted_by_ctrl_c_is_undone_on_the_spot(life_host: Path, versions: Path) -> None:
    before = snapshot(life_host)
    ctrl_c = KILL_AFTER_FIRST_FILE.replace("os.kill(os.getpid(), signal.SIGKILL)", "raise KeyboardInterrupt")
    done = subprocess.run([sys.executable, "-c", ctrl_c, str(versions / "template-repo"), str(life_host)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode != 0 and "la copie de fix/half-done n'a pas fini ; elle a été défaite" in done.stderr
    assert snapshot(life_host) == before and not journal.interrupted(life_host)


def test_an_atomic_write_keeps_its_temp_file_out_of_the_work_tree(
    life_host: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between its temp file and the rename, a write must leave nothing `git add -A` picks up."""
    seen: list[Path] = []

    def killed_before_rename(src: str, dst: str) -> None:
        seen.append(Path(src))
        raise KeyboardInterrupt

    monkeypatch.setattr(upsert.os, "replace", killed_before_rename)
    with pytest.raises(KeyboardInterrupt):
        upsert.write_atomic(life_host / STATUS, "new text\n")
    [tmp] = seen
    assert life_host / ".git" in tmp.parents


# -- two commands at once, and commands killed at random moments -----------------------------------------

CONCURRENT_ROUNDS = 20


def _status_worker(host: str, key: str, barrier: Any, rounds: int, results: Any) -> None:
    codes = []
    for number in range(rounds):
        barrier.wait()
        try:
            lifecycle.set_status(lifecycle.find(Path(host), key), lifecycle.STATUSES[(number + 1) % 3])
            codes.append(0)
        except Exception as error:  # reported to the test, which fails on it
            codes.append(f"{type(error).__name__}: {error}")
    results.put((key, codes))


@pytest.mark.slow  # about 2 minutes on 2 cores: 40 copier updates, serialised by the host lock
def test_two_status_commands_at_once_both_land_every_time(life_host: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2, timeout=300), context.Queue()
    keys = ["fix/celery-startup", "fix/lead-flicker"]
    workers = [
        context.Process(target=_status_worker, args=(str(life_host), key, barrier, CONCURRENT_ROUNDS, results))
        for key in keys
    ]
    for worker in workers:
        worker.start()
    codes = dict(results.get(timeout=900) for _ in workers)
    for worker in workers:
        worker.join()
    assert codes == {key: [0] * CONCURRENT_ROUNDS for key in keys}, codes

    subjects = git(life_host, "log", "--format=%s").splitlines()
    lost = 0
    for key in keys:
        expected = [f"vectra: status {key} → {lifecycle.STATUSES[(n + 1) % 3]}" for n in range(CONCURRENT_ROUNDS)]
        lost += len(expected) - sum(1 for s in subjects if s in expected)
    final = lifecycle.STATUSES[CONCURRENT_ROUNDS % 3]
    for key in keys:
        assert f"**Statut:** {final}" in entry_of(life_host, key)
        assert lifecycle.find(life_host, key).answers["status"] == final
    print(f"\nconcurrency: {CONCURRENT_ROUNDS} rounds of two `make status` at once: {2 * CONCURRENT_ROUNDS} "
          f"commands, {lost} lost changes")  # fmt: skip
    assert lost == 0 and not lifecycle.changes(life_host)


def _assert_whole(host: Path, command: str) -> None:
    if command == "copy":
        assert lifecycle.find(host, "fix/killed-copy").answers["name"] == "killed-copy"
        assert find_block((host / STATUS).read_text(encoding="utf-8"), "fix/killed-copy") is not None
    elif command == "status":
        assert git(host, "log", "-1", "--format=%s").strip() == "vectra: status fix/celery-startup → completed"
    else:
        assert lifecycle.find(host, "fix/celery-startup").answers["_commit"] == "1.1.0"
        assert "Template 1.1.0" in (host / "backend/tests/regression/test_celery_startup.py").read_text()


def _copy_worker(template: str, host: str, prefix: str, barrier: Any, rounds: int, results: Any) -> None:
    codes = []
    for number in range(rounds):
        barrier.wait()
        try:
            copier.run_copy(template, host, data={"kind": "test", "name": f"{prefix}-{number}"}, defaults=True,
                            unsafe=True, quiet=True, vcs_ref="HEAD")  # fmt: skip
            codes.append(0)
        except Exception as error:  # reported to the test, which fails on it
            codes.append(f"{type(error).__name__}: {error}")
    results.put((prefix, codes))


@pytest.mark.slow  # about a minute on 2 cores
def test_two_copies_at_once_both_write_their_entries_every_time(life_host: Path, versions: Path) -> None:
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2, timeout=300), context.Queue()
    prefixes = ["left", "right"]
    args = [(str(versions / "template-repo"), str(life_host), p, barrier, CONCURRENT_ROUNDS, results) for p in prefixes]
    workers = [context.Process(target=_copy_worker, args=a) for a in args]
    for worker in workers:
        worker.start()
    codes = dict(results.get(timeout=900) for _ in workers)
    for worker in workers:
        worker.join()
    assert codes == {p: [0] * CONCURRENT_ROUNDS for p in prefixes}, codes
    status = (life_host / STATUS).read_text(encoding="utf-8")
    plan = (life_host / "docs/tech/DOC-TECH-006_TEST_PLAN.md").read_text(encoding="utf-8")
    keys = [f"test/{p}-{n}" for p in prefixes for n in range(CONCURRENT_ROUNDS)]
    lost = sum(find_block(text, key) is None for key in keys for text in (status, plan))
    print(f"\nconcurrency: {CONCURRENT_ROUNDS} rounds of two copies at once: {len(keys)} units, {2 * len(keys)} "
          f"entries, {lost} lost")  # fmt: skip
    assert lost == 0 and not journal.interrupted(life_host)


KILL_RUNS = 24  # a third each: copy, status, update
DRIVER = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from pathlib import Path
    from blueprint import lifecycle
    import copier
    command, host, template = sys.argv[2], Path(sys.argv[3]), sys.argv[4]
    if command == "copy":
        copier.run_copy(template, host, data={"kind": "fix", "name": "killed-copy"}, defaults=True, unsafe=True,
                        quiet=True, vcs_ref="HEAD")
    elif command == "status":
        lifecycle.set_status(lifecycle.find(host, "fix/celery-startup"), "completed")
    else:
        lifecycle.update(lifecycle.find(host, "fix/celery-startup"))
""")


@pytest.mark.slow  # about 2 minutes on 2 cores
def test_commands_killed_at_random_moments_leave_the_host_intact_or_repaired_by_undo(
    life_host: Path, versions: Path
) -> None:
    rng = random.Random(15)  # the number: a failure replays with the same moments
    template = str(versions / "template-repo")
    before, head = snapshot(life_host), git(life_host, "rev-parse", "HEAD").strip()
    env = {**os.environ, **GIT_ENV}
    tally = {"completed": 0, "intact": 0, "repaired by undo": 0}
    durations: dict[str, float] = {}
    for run in range(KILL_RUNS):
        command = ("copy", "status", "update")[run % 3]
        args = [sys.executable, "-c", DRIVER, str(ROOT / "extensions"), command, str(life_host), template]
        started = time.monotonic()
        child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if command in durations:  # the first run of each command is whole: it measures how long one takes
            try:
                child.wait(timeout=rng.uniform(0.0, durations[command]))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
        code = child.wait()
        stderr = child.stderr.read().decode() if child.stderr else ""
        durations.setdefault(command, time.monotonic() - started)
        assert code in (0, -signal.SIGKILL), stderr

        outcome = "intact"
        if journal.interrupted(life_host):
            lifecycle.repair(life_host, None, out=_Out())  # what `make undo` does
            outcome = "repaired by undo"
        moved = git(life_host, "rev-parse", "HEAD").strip() != head
        if code == 0 or moved or snapshot(life_host) != before:  # the command had finished (a status
            outcome = "completed"  # killed after its commit, before its journal went, is complete)
            _assert_whole(life_host, command)
            assert not journal.interrupted(life_host)
            git(life_host, "reset", "-q", "--hard", head)  # back to the start for the next run
            git(life_host, "clean", "-q", "-f", "-d")
        assert snapshot(life_host) == before, (run, command, outcome)
        assert git(life_host, "rev-parse", "HEAD").strip() == head
        tally[outcome] += 1
    print(f"\nfault injection: {KILL_RUNS} runs (copy, status, update killed at seeded random moments): "
          + ", ".join(f"{n} {what}" for what, n in tally.items()) + "; host intact in every run")  # fmt: skip
    assert sum(tally.values()) == KILL_RUNS


@pytest.mark.slow  # runs the host's own `make` (its venv is installed once per session)
def test_through_make_a_refusal_is_one_message_and_an_interrupted_copy_is_listed_and_undone(
    life_host: Path, versions: Path, host_runtime: Runtime
) -> None:
    host_runtime.attach(life_host)
    answers = life_host / ".copier-answers/fix_lead-flicker.yml"
    good_answers = answers.read_bytes()
    answers.write_text(answers.read_text() + "status: [unclosed\n")
    status = life_host / STATUS
    good_status = status.read_bytes()
    status.write_bytes(_not_utf8(status.read_text(encoding="utf-8")))
    commit_all(life_host, "two damaged files")
    before = snapshot(life_host)

    listed = host_runtime.make(life_host, "units")
    assert listed.returncode != 0 and "fix/celery-startup" in listed.stdout
    assert ".copier-answers/fix_lead-flicker.yml line" in listed.stderr and "Traceback" not in listed.stderr
    refused = host_runtime.make(life_host, "status", "unit=fix/celery-startup", "status=completed")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "n'est pas un texte UTF-8" in refused.stderr and "Rien n'a changé" in refused.stderr
    assert snapshot(life_host) == before

    answers.write_bytes(good_answers)
    status.write_bytes(good_status)
    commit_all(life_host, "repaired")
    before = snapshot(life_host)
    template = str(versions / "template-repo")
    subprocess.run([sys.executable, "-c", KILL_AFTER_FIRST_FILE, template, str(life_host)], check=False)
    listed = host_runtime.make(life_host, "units")
    assert "interrompu" in listed.stdout and "make undo unit=fix/half-done" in listed.stdout, listed.stdout
    undone = host_runtime.make(life_host, "undo")
    assert undone.returncode == 0 and "Hôte remis tel qu'avant" in undone.stdout, undone.stdout + undone.stderr
    assert snapshot(life_host) == before
    assert host_runtime.make(life_host, "units").returncode == 0
