"""update-all clones each template version once (blueprint.template_reuse), and copier still gets what it asked for."""

from __future__ import annotations

import tempfile
from pathlib import Path

import copier
import pytest
import yaml
from blueprint.template_reuse import reused_template
from copier import _template
from helpers.hosts import commit_all, git


@pytest.fixture
def versions(tmp_path: Path) -> Path:
    """A one-file git template tagged 1.0.0 and 1.1.0."""
    repo = tmp_path / "template"
    (repo / "template").mkdir(parents=True)
    (repo / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: x\n")
    answers = "{{ _copier_conf.answers_file }}.jinja"
    (repo / "template" / answers).write_text("{{ _copier_answers | to_nice_yaml }}")
    readme = repo / "template/README.md.jinja"
    git(repo, "init", "-q", "-b", "main")
    for version in ("1.0.0", "1.1.0"):
        readme.write_text(f"# {{{{ name }}}} {version}\n")
        commit_all(repo, version)
        git(repo, "tag", version)
    return repo


def copy(repo: Path, dst: Path, ref: str) -> str:
    copier.run_copy(str(repo), dst, data={"name": dst.name}, vcs_ref=ref, defaults=True, quiet=True)
    return (dst / "README.md").read_text()


def test_each_version_is_cloned_and_parsed_once(versions: Path, tmp_path: Path) -> None:
    with reused_template() as done:
        assert copy(versions, tmp_path / "a", "1.0.0") == "# a 1.0.0\n"
        assert copy(versions, tmp_path / "b", "1.0.0") == "# b 1.0.0\n"
        assert copy(versions, tmp_path / "c", "1.1.0") == "# c 1.1.0\n"
        with reused_template() as inner:  # lifecycle.update inside update_all: the outer clones serve
            assert copy(versions, tmp_path / "d", "1.1.0") == "# d 1.1.0\n"
        assert inner is done
    assert done == {"clones": 2, "configs": 2}


def test_the_answers_name_the_real_template_and_nothing_is_left_behind(versions: Path, tmp_path: Path) -> None:
    before = set(Path(tempfile.gettempdir()).glob("vectra-template-*"))
    with reused_template():
        copy(versions, tmp_path / "a", "1.0.0")
    recorded = yaml.safe_load((tmp_path / "a/.copier-answers.yml").read_text())
    assert recorded["_src_path"] == str(versions) and recorded["_commit"] == "1.0.0"
    assert set(Path(tempfile.gettempdir()).glob("vectra-template-*")) == before


def test_copier_is_given_back_its_own_functions_even_after_an_error(versions: Path, tmp_path: Path) -> None:
    clone, load = _template.clone, _template.load_template_config
    with pytest.raises(RuntimeError), reused_template():
        copy(versions, tmp_path / "a", "1.0.0")
        raise RuntimeError("a failing update")
    assert (_template.clone, _template.load_template_config) == (clone, load)
