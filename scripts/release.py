"""Template releases: `make release version=X` records and tags one; `make release-tags` recreates the tags.

    python scripts/release.py record 1.1.0   # CHANGELOG.md's "Unreleased" section becomes 1.1.0; tagged
    python scripts/release.py tags           # one git tag per releases.yml entry (a CI clone may have none)

Copier updates a host to the template's newest PEP 440 tag, so a release is a tag. releases.yml keeps
version -> commit in the repository itself: a clone that fetched no tags gets them back from it.
CHANGELOG.md says, per version, what changes for hosts and whether `make update-all` is safe; a
release is refused while its section does not say both. All or nothing: a refused or failed release
leaves the repository as it was (its commits and tag are removed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
RELEASES = "releases.yml"
CHANGELOG = "CHANGELOG.md"
UNRELEASED = "## Unreleased"
# The two things every version's section must say (its subsections' titles).
REQUIRED = ("### For hosts", "### `make update-all`")
RELEASES_HEADER = """\
# Template releases: version (PEP 440) -> the commit its git tag points at.
# `make release version=X` adds one (and the tag); `make release-tags` recreates every tag from this
# file (a fresh or CI clone may have fetched none). CHANGELOG.md says what each version changes.
"""
UNRELEASED_TEMPLATE = f"""{UNRELEASED}

{REQUIRED[0]}

{REQUIRED[1]}

"""


class ReleaseError(Exception):
    """The release cannot be made as asked; the message says why and what to do."""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=False)
    if done.returncode:
        raise ReleaseError(f"git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def recorded(repo: Path) -> dict[str, str]:
    """releases.yml: version -> commit (empty when there is no release yet)."""
    path = repo / RELEASES
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ReleaseError(f"{RELEASES} is not a mapping of version -> commit: repair it (git log -p {RELEASES})")
    return {str(version): commit for version, commit in data.items()}


def write_recorded(repo: Path, releases: dict[str, str]) -> None:
    ordered = dict(sorted(releases.items(), key=lambda item: Version(item[0])))
    body = yaml.safe_dump(ordered, sort_keys=False) if ordered else "{}\n"
    (repo / RELEASES).write_text(RELEASES_HEADER + body, encoding="utf-8")


def checked_version(text: str, releases: dict[str, str]) -> Version:
    try:
        version = Version(text)
    except InvalidVersion:
        hint = "(e.g. 1.2.0, 1.2.0rc1): make release version=X.Y.Z"
        raise ReleaseError(f"{text!r} is not a PEP 440 version {hint}") from None
    if str(version) != text:
        raise ReleaseError(f"write the version as {version} (PEP 440's normal form), not {text!r}")
    if releases and version <= (newest := max(map(Version, releases))):
        raise ReleaseError(f"{version} is not newer than the last release, {newest}: choose a higher version")
    return version


def unreleased_section(changelog: str) -> tuple[int, int]:
    """Start and end of CHANGELOG.md's "## Unreleased" section, checked to say what a release must."""
    start = changelog.find(f"\n{UNRELEASED}\n")
    if start < 0:
        raise ReleaseError(f"{CHANGELOG} has no `{UNRELEASED}` section: write what this version changes there")
    start += 1
    following = re.search(r"^## ", changelog[start + len(UNRELEASED) :], re.M)
    end = start + len(UNRELEASED) + following.start() if following else len(changelog)
    section = changelog[start:end]
    for title in REQUIRED:
        at = section.find(f"\n{title}\n")
        if at < 0:
            raise ReleaseError(f"{CHANGELOG}'s `{UNRELEASED}` section has no `{title}` subsection: add it")
        body = re.split(r"^#{2,3} ", section[at + len(title) + 2 :], maxsplit=1, flags=re.M)[0]
        if not body.strip():
            what = "what changes for hosts" if title == REQUIRED[0] else "whether `make update-all` is safe, and why"
            raise ReleaseError(f"{CHANGELOG}'s `{UNRELEASED}` section says nothing under `{title}`: say {what}")
    return start, end


def record(repo: Path, text: str, today: dt.date | None = None) -> str:
    """Make release `text`: CHANGELOG's Unreleased section becomes it (committed), tagged, recorded."""
    releases = recorded(repo)
    version = checked_version(text, releases)
    if git(repo, "status", "--porcelain", "--untracked-files=no"):
        raise ReleaseError("the repository has uncommitted changes: commit them first (a release tags a commit)")
    if git(repo, "tag", "--list", str(version)):
        raise ReleaseError(f"the tag {version} already exists: `make release-tags` recreates recorded ones")
    changelog = (repo / CHANGELOG).read_text(encoding="utf-8") if (repo / CHANGELOG).exists() else ""
    start, end = unreleased_section(changelog)
    dated = f"## {version} ({(today or dt.date.today()).isoformat()})"
    released = changelog[:start] + UNRELEASED_TEMPLATE + dated + changelog[start + len(UNRELEASED) : end]
    released += changelog[end:]

    head = git(repo, "rev-parse", "HEAD")
    try:
        (repo / CHANGELOG).write_text(released, encoding="utf-8")
        git(repo, "commit", "-q", "--no-verify", "-m", f"Release {version}", "--", CHANGELOG)
        commit = git(repo, "rev-parse", "HEAD")
        git(repo, "tag", "-a", str(version), "-m", f"vectra-blueprints {version}", commit)
        write_recorded(repo, {**releases, str(version): commit})
        git(repo, "add", "--", RELEASES)
        git(repo, "commit", "-q", "--no-verify", "-m", f"releases.yml: {version} is {commit[:12]}", "--", RELEASES)
    except BaseException:
        subprocess.run(["git", "tag", "-d", str(version)], cwd=repo, capture_output=True, check=False)
        subprocess.run(["git", "reset", "-q", "--hard", head], cwd=repo, capture_output=True, check=False)
        raise
    return (
        f"Released {version}: tag {version} on {commit[:12]} (CHANGELOG.md dated), recorded in {RELEASES}.\n"
        f"Publish it: git push && git push origin {version}"
    )


def recreate_tags(repo: Path) -> str:
    """One tag per recorded release; an existing tag must point where releases.yml says."""
    releases = recorded(repo)
    made, kept = [], []
    for version, commit in releases.items():
        if git(repo, "tag", "--list", version):
            if (tagged := git(repo, "rev-parse", f"{version}^{{commit}}")) != commit:
                raise ReleaseError(
                    f"the tag {version} points at {tagged[:12]}, {RELEASES} says {commit[:12]}: "
                    f"delete the wrong one (git tag -d {version}, or fix {RELEASES})"
                )
            kept.append(version)
            continue
        if subprocess.run(["git", "cat-file", "-e", f"{commit}^{{commit}}"], cwd=repo, check=False).returncode:
            raise ReleaseError(
                f"{version}'s commit {commit[:12]} is not in this clone (a shallow one?): `git fetch --unshallow`"
            )
        made.append(version)
    for version in made:  # every commit checked first: all the tags or none
        git(repo, "tag", "-a", version, "-m", f"vectra-blueprints {version}", releases[version])
    if not releases:
        return f"No release recorded in {RELEASES} yet: nothing to tag."
    return f"Tags: {', '.join(made) or 'none'} created; {', '.join(kept) or 'none'} already there."


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="release.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=Path, default=ROOT, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("record").add_argument("version")
    sub.add_parser("tags")
    args = parser.parse_args(argv)
    try:
        print(record(args.repo, args.version) if args.command == "record" else recreate_tags(args.repo))
    except ReleaseError as error:
        print(f"error: {error}. Nothing was changed.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
