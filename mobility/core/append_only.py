"""Database triggers that keep the audit trail append-only, on PostgreSQL and on SQLite.

`core_auditentry`: INSERT only. DELETE is always refused. UPDATE is refused unless an
`AuditRedaction` row names the entry (on PostgreSQL: written by the same transaction) and only
the personal columns change (`actor_label`, `reason`, `changes`, `data`): that is how the
retention task pseudonymises personal data inside audit values without deleting the row.
`core_auditredaction`: INSERT only.

PostgreSQL's TRUNCATE is not a row operation and is not refused (test flushes, deliberate
maintenance with the owner's rights). SQLite has no TRUNCATE: the project's `flush` command
(`core/management/commands/flush.py`) lifts the SQLite triggers for the flush and puts them back.
"""

from __future__ import annotations

from typing import Any

# Columns a redaction may not touch (everything but the personal ones).
FIXED_COLUMNS = (
    "id",
    "created_at",
    "actor_id",
    "actor_kind",
    "action",
    "target_type_id",
    "target_id",
    "from_state",
    "to_state",
    "programme",
    "xact",
)

# Fixed column names only, no input (hence the S608 silences).
POSTGRESQL_CREATE = f"""
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND EXISTS (
           SELECT 1 FROM core_auditredaction r
           WHERE r.entry_id = OLD.id AND r.xact = pg_current_xact_id()::text::bigint
       )
       AND {" AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in FIXED_COLUMNS)} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % of core_auditentry % refused', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION core_auditredaction_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit redactions are append-only: % of core_auditredaction % refused', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS core_auditredaction_append_only ON core_auditredaction;
CREATE TRIGGER core_auditredaction_append_only
    BEFORE UPDATE OR DELETE ON core_auditredaction
    FOR EACH ROW EXECUTE FUNCTION core_auditredaction_append_only();
"""  # noqa: S608 - table names from constants, no input

# Back to migration 0007's function (refuses every UPDATE and DELETE).
POSTGRESQL_DROP = """
CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % of core_auditentry % refused', TG_OP, OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditredaction_append_only ON core_auditredaction;
DROP FUNCTION IF EXISTS core_auditredaction_append_only();
"""

_SQLITE_FIXED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FIXED_COLUMNS)

SQLITE_CREATE = (
    """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_delete BEFORE DELETE ON core_auditentry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: DELETE of core_auditentry refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
WHEN NOT EXISTS (SELECT 1 FROM core_auditredaction r WHERE r.entry_id = OLD.id) OR {_SQLITE_FIXED}
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only: UPDATE of core_auditentry refused'); END""",  # noqa: S608 - fixed trigger text, no input
    """CREATE TRIGGER IF NOT EXISTS core_auditredaction_no_change BEFORE UPDATE ON core_auditredaction
BEGIN SELECT RAISE(ABORT, 'audit redactions are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS core_auditredaction_no_delete BEFORE DELETE ON core_auditredaction
BEGIN SELECT RAISE(ABORT, 'audit redactions are append-only: DELETE refused'); END""",
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditredaction_no_change",
    "DROP TRIGGER IF EXISTS core_auditredaction_no_delete",
)


def install(schema_editor: Any) -> None:
    """Create the triggers for the connection's database (a migration's forward step)."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)
