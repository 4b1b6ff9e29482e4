"""The Celery application and discovery of agent tasks.

A unit adds `app/agents/<name>/tasks.py` (tasks decorated with `@celery_app.task`); the worker
imports it at start-up through `conf.imports`, without any edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Any

from celery import Celery

from app.core.config import Settings, get_settings

AGENTS_PACKAGE = "app.agents"
TASKS_MODULE = "tasks"


def discover_task_modules(package: str = AGENTS_PACKAGE) -> list[str]:
    """Sorted names `<package>.<sub>.tasks` of every subpackage of `package` that has `tasks`.

    Looks at the files only: neither the subpackages nor their tasks are imported here.
    """
    pkg = importlib.import_module(package)
    names: set[str] = set()
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.ispkg or info.name.startswith("_"):
            continue
        sub_path = Path(getattr(info.module_finder, "path", "")) / info.name
        if any(sub.name == TASKS_MODULE for sub in pkgutil.iter_modules([str(sub_path)])):
            names.add(f"{package}.{info.name}.{TASKS_MODULE}")
    return sorted(names)


def import_task_modules(package: str = AGENTS_PACKAGE) -> list[str]:
    """Import every discovered tasks module (registers its tasks); return their names."""
    names = discover_task_modules(package)
    for name in names:
        importlib.import_module(name)
    return names


def celery_config(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.celery_broker_url,
        "result_backend": settings.celery_result_backend,
        "task_always_eager": bool(settings.celery_task_always_eager),
        # Eager runs behave like a worker's: a failure or a retry lands in the result (`.get()`
        # raises it) rather than in the caller, and the result is stored under the task id
        # (`AsyncResult(id)` reads it). Propagating would turn `self.retry()` into an exception.
        "task_eager_propagates": False,
        "task_store_eager_result": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "timezone": "UTC",
        "enable_utc": True,
        "broker_connection_retry_on_startup": True,
    }


def create_celery_app(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    app = Celery("vectra")
    app.conf.update(celery_config(settings))
    # Imported by the worker at start-up (not here: tasks modules import this module).
    app.conf.imports = discover_task_modules()
    return app


celery_app = create_celery_app()
