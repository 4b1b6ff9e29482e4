"""All or nothing for the commands that change a host: a journal of what they may touch, and a host lock.

Before a command writes, it records in the host's git dir (`.git/vectra/journal/<id>/`, a path
`git add -A` never picks up) what it is doing and a backup of every file it may touch (or that the
file did not exist); a command that runs `copier update` on a clean tree records HEAD instead (the
tree is HEAD + ignored files, so HEAD is the backup). On an error it restores them; on success it
drops the journal. A command killed on the spot leaves its journal: every later command sees it,
says which command was interrupted, and `make undo` restores the host from it.

A journal is "live" while its command runs: the command holds a lock on the journal's `alive`
file, which the system releases when the process dies, however it dies. A process it was forking
at that moment holds the lock a little longer (until its exec closes it), so a journal whose
command's process is gone from this machine is dead too.

The host lock (`.git/vectra/lock`) serialises every write of a shared host file (STATUS.md, the
reference documents, a model changed in place): two commands at once both land. It is `fcntl`'s, so
copier's own Python needs nothing installed; it is re-entrant for its holder and the holder's
children (its pid is in `.git/vectra/lock.owner`), so the tasks copier starts under it pass.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no lock (commands still journal)
    fcntl = None  # type: ignore[assignment]


def git_dir(host: Path) -> Path | None:
    dot_git = host / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # a worktree or submodule: "gitdir: <path>"
        text = dot_git.read_text(encoding="utf-8").strip()
        if text.startswith("gitdir:"):
            return (host / text.split(":", 1)[1].strip()).resolve()
    return None


def state_dir(host: Path) -> Path:
    """Where the journals and the lock live: inside the git dir, never in the work tree."""
    found = git_dir(host)
    if found is None:
        raise FileNotFoundError(f"{host} is not a git repository")
    return found / "vectra"


def temp_dir(path: Path) -> Path | None:
    """A folder for temp files on the same disk as `path` but outside the work tree (or None)."""
    for folder in path.parents:
        if (folder / ".git").exists():
            found = git_dir(folder)
            if found is not None:
                tmp = found / "vectra" / "tmp"
                tmp.mkdir(parents=True, exist_ok=True)
                return tmp
            return None
    return None


@contextlib.contextmanager
def host_lock(host: Path) -> Iterator[None]:
    """Hold the host's lock (wait for it). Re-entrant for the process that holds it (and the second
    copy of this package copier loads) and for its children (copier's tasks): a no-op for them.
    Outside a git repo, a no-op too: there is no place for it that is not the person's tree."""
    if fcntl is None or git_dir(host) is None:
        yield
        return
    state = state_dir(host)
    if _holder(state) in (os.getpid(), os.getppid()):
        yield
        return
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        (state / "lock.owner").write_text(str(os.getpid()), encoding="utf-8")
        try:
            yield
        finally:
            (state / "lock.owner").unlink(missing_ok=True)
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _holder(state: Path) -> int | None:
    """The process holding the host lock now, if any (its pid file is left behind by a killed one)."""
    try:
        pid = int((state / "lock.owner").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return pid if not _free(state / "lock") else None


def lock_for(path: Path) -> contextlib.AbstractContextManager[None]:
    """The host lock of the git host that holds `path` (none outside a git repo)."""
    for folder in path.parents:
        if (folder / ".git").exists():
            return host_lock(folder)
    return contextlib.nullcontext()


class HostLock:
    """The host lock as an object, for a command that cannot hold it in one `with` (a copy's tasks)."""

    def __init__(self, host: Path) -> None:
        self._context = host_lock(host)
        self._context.__enter__()

    def release(self) -> None:
        self._context.__exit__(None, None, None)


@dataclass
class Journal:
    host: Path
    folder: Path
    meta: dict[str, Any]
    _alive: Any = field(default=None, repr=False)

    @property
    def command(self) -> str:
        return str(self.meta["command"])

    @property
    def unit(self) -> str:
        return str(self.meta.get("unit", ""))

    def describe(self) -> str:
        return f"`{self.command}` (lancée le {self.meta.get('started', '?')}, processus {self.meta.get('pid', '?')})"

    def restore(self) -> list[str]:
        """Put back every file as it was before the command; returns what was restored or removed."""
        if "head" in self.meta:
            done = self._restore_git()
        else:
            done = self._restore_files()
        self.drop()
        return done

    def _restore_files(self) -> list[str]:
        done = []
        for path, saved in self.meta["files"].items():
            target = self.host / path
            _remove_temp_files(target)
            if saved is None:
                if target.is_file() or target.is_symlink():
                    target.unlink()
                    done.append(f"retiré {path}")
                    _prune_empty_dirs(target.parent, self.host)
                continue
            data = (self.folder / saved["backup"]).read_bytes()
            if not target.is_file() or target.read_bytes() != data:
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                _write_bytes(target, data, saved["mode"])
                done.append(f"remis {path}")
        return done

    def _restore_git(self) -> list[str]:
        index_lock = (git_dir(self.host) or self.host / ".git") / "index.lock"
        if self._alive is None and index_lock.exists():  # left by a git the killed command had started
            index_lock.unlink()
        head = _git(self.host, "rev-parse", "-q", "--verify", "HEAD").strip()
        if head != self.meta["head"]:  # the command had committed its change: it was complete
            return []
        changed = [
            line[3:] for line in _git(self.host, "status", "--porcelain=v1", "--untracked-files=all").splitlines()
        ]
        if changed:
            _git(self.host, "reset", "-q", "--hard", "HEAD")
            _git(self.host, "clean", "-q", "-f", "-d")  # untracked, never ignored files (.venv stays)
        return [f"remis {path}" for path in changed]

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._alive is not None:
            self._alive.close()
            self._alive = None


def begin(host: Path, command: str, *, unit: str = "", files: list[str] | None = None, head: str = "") -> Journal:
    """Record what `command` may change before it changes anything.

    `files`: host paths it may write (each is backed up, or noted as absent); `head`: the commit a
    clean tree was at (a command that runs copier update restores the tree to it)."""
    root = state_dir(host) / "journal"
    ident = f"{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    partial = root / f".{ident}.partial"
    partial.mkdir(parents=True)
    alive = open(partial / "alive", "a+b")  # noqa: SIM115 - held open while the command runs
    if fcntl is not None:
        fcntl.flock(alive.fileno(), fcntl.LOCK_EX)
    meta: dict[str, Any] = {
        "command": command,
        "unit": unit,
        "pid": os.getpid(),
        "machine": socket.gethostname(),
        "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    if head:
        meta["head"] = head
    else:
        saved: dict[str, Any] = {}
        for number, path in enumerate(dict.fromkeys(files or [])):
            source = host / path
            if source.is_file():
                name = f"backup-{number}"
                shutil.copyfile(source, partial / name)
                saved[path] = {"backup": name, "mode": source.stat().st_mode & 0o777}
            else:
                saved[path] = None
        meta["files"] = saved
    (partial / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    folder = root / ident
    os.replace(partial, folder)  # the journal exists from here on, whole
    return Journal(host, folder, meta, alive)


def interrupted(host: Path) -> list[Journal]:
    """Journals whose command is no longer running (killed): the host may be half changed."""
    if git_dir(host) is None:
        return []
    root = state_dir(host) / "journal"
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        if folder.name.startswith("."):  # a journal being written: its command had changed nothing yet
            continue
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):  # not ours to read: left alone
            continue
        if _dead(folder, meta):
            found.append(Journal(host, folder, meta))
    return found


def sweep(host: Path) -> None:
    """Remove the journals a command was killed while writing (it had changed nothing yet)."""
    if git_dir(host) is not None and (root := state_dir(host) / "journal").is_dir():
        for folder in root.glob(".*.partial"):
            if _dead(folder):
                shutil.rmtree(folder, ignore_errors=True)


def repair_hint(journal: Journal) -> str:
    target = f"make undo unit={journal.unit}" if journal.unit else "make undo"
    return (
        f"la commande {journal.describe()} a été interrompue et a pu laisser l'hôte à moitié changé ; "
        f"`{target}` remet chaque fichier qu'elle a touché tel qu'il était (ou `make undo` seul pour toutes "
        "les commandes interrompues)"
    )


def _dead(folder: Path, meta: dict[str, Any] | None = None) -> bool:
    """True when its command ended without cleaning up: no process holds the journal's `alive` lock,
    or the command's process is gone (a child it was starting can hold the lock a moment longer)."""
    if fcntl is None:
        return False
    if meta and meta.get("machine") == socket.gethostname() and not _running(meta.get("pid")):
        return True
    return _free(folder / "alive")


def _running(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return True  # unknown: the lock decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _free(path: Path) -> bool:
    """True when nobody holds the lock on `path`. A missing file is not free: it is a journal whose
    command is removing it (drop() deletes `alive` first), and opening it must not create it again."""
    try:
        handle = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(handle, fcntl.LOCK_UN)
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        os.close(handle)
    return True


def _git(host: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=host, capture_output=True, text=True, check=False).stdout


def _write_bytes(path: Path, data: bytes, mode: int) -> None:
    from .upsert import write_bytes_atomic  # upsert imports this module (temp_dir)

    write_bytes_atomic(path, data, mode)


def _remove_temp_files(path: Path) -> None:
    """Temp files an interrupted atomic write left beside `path` (older versions wrote them there)."""
    if path.parent.is_dir():
        for stray in path.parent.glob(f".{path.name}.*.tmp"):
            stray.unlink(missing_ok=True)


def _prune_empty_dirs(folder: Path, host: Path) -> None:
    while folder != host and host in folder.parents and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
