"""One clone of each template version for a whole `make update-all`.

A `copier update` clones the template five times (the version the unit was made from twice, the new
version three times) and parses its copier.yml four times; update-all runs one update per unit, all
asking for the same one or two versions. Copier has no option to share a clone between runs, so
for the length of `reused_template()` its clone and config loader are memoised by (url, ref) and by
file. A version is still cloned by copier's own function, once; copier only ever reads a clone.
Those two functions are copier's private API: copier_private.py checks them first, and without them
(or with VECTRA_BLUEPRINTS_SPEEDUPS=off) the block changes nothing: copier clones as usual.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import copier_private


@contextmanager
def reused_template() -> Iterator[dict[str, int]]:
    """Within the block, each (template url, ref) is cloned once and each copier.yml parsed once.

    Yields counters (`clones`, `configs`: the work actually done) so a caller or a test can see it.
    Nested in another such block, it changes nothing and yields the outer block's counters.
    """
    found = copier_private.private("template_reuse")
    if found is None:  # a copier whose private names changed, or speed-ups off: plain copier
        yield {"clones": 0, "configs": 0}
        return
    if outer := getattr(found[0], "reuse_counts", None):  # an update within update-all
        yield outer
        return
    clone: Callable[..., str] = found[0]
    load_config: Callable[..., dict[str, Any]] = found[1]
    clones: dict[tuple[str, str], str] = {}
    configs: dict[tuple[Path, int], dict[str, Any]] = {}
    done = {"clones": 0, "configs": 0}

    with tempfile.TemporaryDirectory(prefix="vectra-template-") as keep:

        def cloned_once(url: str, ref: str = "HEAD", location: str | None = None) -> str:
            # copier's `location` is an empty folder it deletes afterwards; the clone it is handed
            # back lives in `keep` until the block ends.
            if (url, ref) not in clones:
                clones[url, ref] = clone(url, ref, tempfile.mkdtemp(dir=keep))
                done["clones"] += 1
            return clones[url, ref]

        def parsed_once(conf_path: Path, quiet: bool = False) -> dict[str, Any]:
            key = (Path(conf_path).resolve(), Path(conf_path).stat().st_mtime_ns)
            if key not in configs:
                configs[key] = load_config(conf_path, quiet)
                done["configs"] += 1
            return copy.deepcopy(configs[key])  # copier may change what it is given

        cloned_once.reuse_counts = done  # type: ignore[attr-defined]
        with copier_private.replaced("template_reuse", cloned_once, parsed_once):
            yield done
