from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from app.core.config import get_settings
from app.core.db import get_engine, get_session, make_engine


def test_in_memory_sqlite_shares_one_connection_with_foreign_keys_on() -> None:
    engine = make_engine("sqlite://")

    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA foreign_keys")) == 1
    assert isinstance(engine.pool, StaticPool)
    engine.dispose()


def test_sqlite_savepoints_roll_back_inside_the_outer_transaction() -> None:
    engine = make_engine("sqlite://")
    with engine.connect() as connection:
        outer = connection.begin()
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        nested = connection.begin_nested()
        connection.execute(text("INSERT INTO t VALUES (1)"))
        nested.rollback()
        assert connection.scalar(text("SELECT count(*) FROM t")) == 0
        outer.rollback()
        assert connection.scalar(text("SELECT count(*) FROM sqlite_master WHERE name='t'")) == 0
    engine.dispose()


def test_get_session_uses_the_configured_database(engine: Engine) -> None:
    sessions = get_session()
    session = next(sessions)
    try:
        assert isinstance(session, Session)
        assert session.get_bind() is get_engine()
        assert str(get_engine().url) == str(engine.url)
        assert get_settings().database_url == engine.url.render_as_string(hide_password=False)
        assert session.scalar(text("SELECT 1")) == 1
    finally:
        sessions.close()


def test_commit_in_session_fixture_keeps_the_test_transaction(session: Session) -> None:
    session.execute(text("CREATE TABLE isolation_probe (x INTEGER)"))
    session.commit()  # releases the savepoint only: the test transaction stays open

    assert session.scalar(text("SELECT count(*) FROM isolation_probe")) == 0
    assert session.in_transaction()
