"""The test database's PostgreSQL server, for tests that open their own sessions on it (another
database, a copy of the test database, a subprocess)."""

from __future__ import annotations

from django.db import connection


def database_url(name: str | None = None) -> str:
    """`postgres://` URL of database `name` on the test database's server (the test database
    itself by default)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name or s['NAME']}"
