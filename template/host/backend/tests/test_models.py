import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import DateTime, Integer, MetaData, String, inspect, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

import app.models as models_package
from app.core.db import make_engine
from app.models import NAMING_CONVENTION, Base, TenantMixin, TimestampMixin, load_models


class _ScratchBase(DeclarativeBase):
    """Separate from `Base`, so these test models never reach Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Widget(TenantMixin, TimestampMixin, _ScratchBase):
    __tablename__ = "widget"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)


def test_base_metadata_names_every_kind_of_constraint() -> None:
    assert set(Base.metadata.naming_convention) >= {"ix", "uq", "fk", "pk", "ck"}


def test_mixins_define_tenant_and_timestamps() -> None:
    table = Widget.__table__
    tenant = table.c.tenant_id

    assert isinstance(tenant.type, String)
    assert tenant.type.length == 64
    assert tenant.nullable is False
    assert {index.name for index in table.indexes} == {"ix_widget_tenant_id"}
    assert {c.name for c in table.constraints if c.name} >= {"pk_widget", "uq_widget_label"}
    for column in (table.c.created_at, table.c.updated_at):
        assert isinstance(column.type, DateTime)
        assert column.type.timezone is True
        assert column.server_default is not None
        assert column.nullable is False


def test_timestamps_are_filled_by_the_database() -> None:
    engine = make_engine("sqlite://")
    _ScratchBase.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Widget(tenant_id="tenant-a", label="w"))
        session.commit()
        widget = session.scalars(select(Widget)).one()

        assert isinstance(widget.created_at, datetime)
        assert isinstance(widget.updated_at, datetime)
    assert inspect(engine).get_indexes("widget")[0]["name"] == "ix_widget_tenant_id"
    engine.dispose()


@pytest.fixture
def extra_models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setattr(models_package, "__path__", [*models_package.__path__, str(tmp_path)])
    yield tmp_path
    sys.modules.pop("app.models.zz_probe", None)


def test_load_models_imports_every_module_and_returns_base_metadata(
    extra_models_dir: Path,
) -> None:
    (extra_models_dir / "zz_probe.py").write_text("LOADED = True\n")

    metadata = load_models()

    assert metadata is Base.metadata
    assert sys.modules["app.models.zz_probe"].LOADED is True
