"""`make demo`: bootstrap a VECTRA host, generate one unit of every kind into it, run its tests.

Usage: python scripts/demo.py <host folder>   (the folder must not exist, or be a previous demo)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIER = str(Path(sys.executable).parent / "copier")
MARKER = ".vectra-demo"

# One unit of every kind, named after WORKFLOW-001's own examples.
UNITS = [
    ("database", "add-lead-enrichment", []),
    ("api", "campaigns", []),
    ("agent", "bant-qualifier", []),
    ("component", "lead-card", []),
    ("page", "campaign-detail", ["route=/campaigns/[id]"]),
    ("feature", "campaign-wizard", []),
    ("fix", "celery-startup", []),
    ("test", "bant-service", ["test_type=unit-service", "target=BantService"]),
]


def step(title: str) -> None:
    print(f"\n==> {title}", flush=True)


def run(*cmd: str, cwd: Path) -> None:
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=cwd, check=True)


def copier_copy(host: Path, kind: str, name: str, data: list[str]) -> None:
    args = [
        COPIER,
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref=HEAD",  # the working tree's commit, whatever release tags the repository has
        str(ROOT),
        str(host),
        "--data",
        f"kind={kind}",
        "--data",
        f"name={name}",
    ]
    for item in data:
        args += ["--data", item]
    run(*args, cwd=ROOT)


def git(host: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "VECTRA demo", "GIT_AUTHOR_EMAIL": "demo@vectra.invalid",
           "GIT_COMMITTER_NAME": "VECTRA demo", "GIT_COMMITTER_EMAIL": "demo@vectra.invalid"}  # fmt: skip
    subprocess.run(["git", *args], cwd=host, env=env, check=True, stdout=subprocess.DEVNULL)


def main(argv: list[str]) -> int:
    host = Path(argv[1] if len(argv) > 1 else "demo/host").resolve()
    if host.exists():
        if not (host / MARKER).exists():
            print(f"{host} exists and is not a previous demo: choose another folder.", file=sys.stderr)
            return 2
        step(f"removing the previous demo host {host}")
        shutil.rmtree(host)

    step("bootstrap a VECTRA host")
    copier_copy(host, "project", "vectra-demo", [])
    (host / MARKER).write_text("made by vectra-blueprints' make demo; safe to delete\n")
    git(host, "init", "-q", "-b", "main")
    git(host, "add", "-A")
    git(host, "commit", "-q", "-m", "VECTRA host")

    for kind, name, data in UNITS:
        step(f"a {kind} unit: {name}")
        copier_copy(host, kind, name, data)
        git(host, "add", "-A")
        git(host, "commit", "-q", "-m", f"{kind}: {name}")

    step("install the host (make setup) and run its tests (make test)")
    run("make", "setup", cwd=host)
    run("make", "test", cwd=host)

    step("done")
    print(f"Host:       {host}")
    print(f"Logs:       {host / 'docs/workflow/logs'}")
    for log in sorted((host / "docs/workflow/logs").rglob("*.md")):
        print(f"            {log.relative_to(host)}")
    print(f"STATUS.md:  {host / 'docs/workflow/STATUS.md'}")
    print(f"Answers:    {host / '.copier-answers'} (one file per unit: copier update -a <file>)")
    print(f"Run it:     cd {host} && make dev   (then open http://localhost:3000/login and sign in)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
