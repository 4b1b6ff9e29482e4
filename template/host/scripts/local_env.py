"""Give this host a stable local secret: `VECTRA_JWT_SECRET` in backend/.env, written when missing.

    python3 scripts/local_env.py        (run by `make setup`, `make dev` and `make token`)

The API, the Celery worker and `make token` all read backend/.env, so a token signed by one is
accepted by the others, across restarts. A secret already there is never changed; the rest of the
file is kept as it is. backend/.env is git-ignored: the secret never reaches the repository.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import tempfile
from pathlib import Path

HOST = Path(__file__).resolve().parent.parent
ENV_FILE = HOST / "backend" / ".env"
SECRET_VAR = "VECTRA_JWT_SECRET"  # noqa: S105 - the variable's name, not a secret
_ASSIGNMENT = re.compile(rf"^\s*(?:export\s+)?{SECRET_VAR}\s*=(?P<value>.*)$")


def _has_value(raw: str) -> bool:
    value = raw.split(" #", 1)[0].strip().strip("'\"").strip()
    return bool(value)


def ensure_local_secret(env_file: Path = ENV_FILE) -> bool:
    """Write a random secret into `env_file` unless it already sets one; True when written."""
    text = env_file.read_text(encoding="utf-8") if env_file.exists() else ""
    lines = text.splitlines(keepends=True)
    matches = [(i, _ASSIGNMENT.match(line.rstrip("\r\n"))) for i, line in enumerate(lines)]
    assignments = [(i, m.group("value")) for i, m in matches if m]
    if any(_has_value(value) for _, value in assignments):
        return False
    line = f"{SECRET_VAR}={secrets.token_urlsafe(48)}\n"
    if assignments:  # `VECTRA_JWT_SECRET=` left empty: fill the last one (the one that counts)
        lines[assignments[-1][0]] = line
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append("# Signs local access tokens (make dev, make token); written by make setup.\n")
        lines.append(line)
    _write_atomically(env_file, "".join(lines))
    return True


def _write_atomically(path: Path, text: str) -> None:
    # All or nothing: a copy is written beside the file, then renamed over it.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".env.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main() -> int:
    try:
        written = ensure_local_secret()
    except OSError as exc:
        print(f"Impossible d'écrire {SECRET_VAR} dans {ENV_FILE} : {exc}", file=sys.stderr)
        return 1
    if written:
        print(
            f"{SECRET_VAR} aléatoire écrit dans {ENV_FILE.relative_to(HOST)} (ignoré par git).",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
