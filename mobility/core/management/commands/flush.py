"""Django's `flush`, able to empty the append-only audit tables on SQLite.

On PostgreSQL a flush is a TRUNCATE, which the row triggers do not see. SQLite has no TRUNCATE:
its flush deletes rows, which the append-only triggers refuse, so on SQLite the triggers are
lifted for the flush (a maintenance operation with the database file's rights, as TRUNCATE is
on PostgreSQL) and put back afterwards. Used by the test runner between transactional tests.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from mobility.core import append_only


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            super().handle(**options)
            return
        with connection.cursor() as cursor:
            for statement in append_only.SQLITE_DROP:
                cursor.execute(statement)
        try:
            super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for statement in append_only.SQLITE_CREATE:
                    cursor.execute(statement)
