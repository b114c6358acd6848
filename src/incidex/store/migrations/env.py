"""Alembic environment: runs revisions on the connection incidex passes in, or on the URL
given as ``sqlalchemy.url`` when Alembic's own command line is used."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

config = context.config


def run_on(connection: sa.Connection) -> None:
    context.configure(connection=connection, transactional_ddl=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    passed = config.attributes.get("connection")
    if isinstance(passed, sa.Connection):
        run_on(passed)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url or pass a connection in config.attributes")
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        run_on(connection)
        connection.commit()


run_online()
