import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.agents as agents_package
from app.core.config import Settings
from app.worker.celery_app import (
    celery_app,
    celery_config,
    create_celery_app,
    discover_task_modules,
    import_task_modules,
)
from tests.utils import extended_package

PROBE_TASKS = """
from app.worker.celery_app import celery_app


@celery_app.task(name="tests.probe_agent.add")
def add(x: int, y: int) -> int:
    return x + y
"""


@pytest.fixture
def extra_agents_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory added to `app.agents`, as if units had dropped agent packages there."""
    with extended_package(agents_package, tmp_path) as folder:
        yield folder
    if "tests.probe_agent.add" in celery_app.tasks:
        celery_app.tasks.unregister("tests.probe_agent.add")


def _package(root: Path, name: str, files: dict[str, str]) -> None:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text("")
    for file_name, text in files.items():
        (root / name / file_name).write_text(text)


def test_celery_app_runs_tasks_eagerly_in_tests() -> None:
    conf = celery_app.conf

    assert celery_app.main == "vectra"
    assert conf.task_always_eager is True
    assert conf.task_eager_propagates is False
    assert conf.task_store_eager_result is True
    assert conf.broker_url == "memory://"
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True


def test_production_config_queues_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VECTRA_CELERY_TASK_ALWAYS_EAGER")
    settings = Settings(
        _env_file=None,
        environment="production",
        jwt_secret="y" * 40,
        database_url="postgresql+psycopg://db/vectra",
        celery_broker_url="redis://127.0.0.1:6379/0",
    )

    config = celery_config(settings)

    assert config["task_always_eager"] is False
    assert config["broker_url"] == "redis://127.0.0.1:6379/0"


def test_local_config_with_a_broker_queues_tasks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VECTRA_CELERY_TASK_ALWAYS_EAGER")
    monkeypatch.delenv("VECTRA_CELERY_RESULT_BACKEND")
    settings = Settings(
        _env_file=None, environment="local", celery_broker_url="redis://127.0.0.1:6379/0"
    )

    config = celery_config(settings)

    assert config["task_always_eager"] is False
    assert config["result_backend"] == "redis://127.0.0.1:6379/0"


def test_agent_packages_with_tasks_are_discovered(extra_agents_dir: Path) -> None:
    _package(extra_agents_dir, "probe_agent", {"tasks.py": PROBE_TASKS})
    _package(extra_agents_dir, "no_tasks_agent", {"service.py": "VALUE = 1\n"})
    _package(extra_agents_dir, "_private_agent", {"tasks.py": "raise RuntimeError\n"})
    (extra_agents_dir / "loose_module.py").write_text("VALUE = 1\n")

    # The host's own agent units are discovered too: only the probe packages are checked.
    probes = {"probe_agent", "no_tasks_agent", "_private_agent", "loose_module"}
    found = [name for name in discover_task_modules() if name.split(".")[2] in probes]
    assert found == ["app.agents.probe_agent.tasks"]
    assert "app.agents.probe_agent" not in sys.modules  # discovery imports nothing
    assert "app.agents.probe_agent.tasks" in create_celery_app().conf.imports


def test_discovered_tasks_register_and_run_eagerly(extra_agents_dir: Path) -> None:
    _package(extra_agents_dir, "probe_agent", {"tasks.py": PROBE_TASKS})

    assert "app.agents.probe_agent.tasks" in import_task_modules()
    task = celery_app.tasks["tests.probe_agent.add"]
    assert task.delay(2, 3).get(timeout=1) == 5
