"""State machines, declared once: states, the allowed moves and which side may make each.

A `Workflow` is a plain declaration; every surface (portal, employer pages, staff pages, API)
asks it what a side may do (`targets_from`, `may`), the database gets its CheckConstraint on the
history table from it (`check_constraint_q`), and the one `transition()` below makes a move:
it locks the row, re-reads the state, refuses what the table does not allow for that side,
writes the history row (where the entity has one) before the new state, and the audit entry,
in one transaction. Side effects (a hire filling a position, a mail to the owners) stay in the
services that call it.

Sides: `SEEKER`, `EMPLOYER`, `STAFF` (any centre role, or one role: `COUNSELLOR`,
`REGIONAL_MANAGER`, `MIGRATION_OFFICER`, `PROGRAMME_FINANCE`) and `SYSTEM` (tasks, expiry, side
effects of another move). Who is which side for an object is answered by one function per entity (for
applications: `mobility.exchange.sides.application_sides`); it returns the set of sides the
caller holds, e.g. `{"staff", "counsellor"}`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mobility.core.audit import audit_log

SEEKER = "seeker"
EMPLOYER = "employer"
STAFF = "staff"
COUNSELLOR = "counsellor"
REGIONAL_MANAGER = "regional_manager"
MIGRATION_OFFICER = "migration_officer"
PROGRAMME_FINANCE = "programme_finance"
SYSTEM = "system"

SIDES = (SEEKER, EMPLOYER, STAFF, COUNSELLOR, REGIONAL_MANAGER, MIGRATION_OFFICER, PROGRAMME_FINANCE, SYSTEM)
STAFF_ROLES = (COUNSELLOR, REGIONAL_MANAGER, MIGRATION_OFFICER, PROGRAMME_FINANCE)
START = ""  # the source of a workflow's first move (creation)

Sides = str | Collection[str]


def held(sides: Sides) -> frozenset[str]:
    """The sides a caller holds; a staff role implies the `staff` side."""
    result = frozenset({sides} if isinstance(sides, str) else sides)
    if result & set(STAFF_ROLES):
        result |= {STAFF}
    return result


@dataclass(frozen=True, slots=True)
class Move:
    source: str
    target: str
    sides: frozenset[str]
    reason_required: bool = False
    action: str = "status_changed"  # audit action, prefixed with the workflow's name

    def allows(self, sides: Sides) -> bool:
        return bool(self.sides & held(sides))


def move(
    source: str, target: str, *sides: str, reason_required: bool = False, action: str = "status_changed"
) -> Move:
    unknown = set(sides) - set(SIDES)
    if unknown or not sides:
        raise ValueError(f"a move needs known sides, not {sorted(unknown) or 'none'}")
    return Move(source, target, frozenset(sides), reason_required, action)


class MoveForbidden(ValidationError):
    """The caller's side never makes this move (the API answers 403, pages show the message)."""


@dataclass(frozen=True)
class Workflow:
    name: str  # the audit actions are "<name>.<move.action>"
    states: type[models.TextChoices]
    moves: tuple[Move, ...]
    field: str = "status"
    # The case-timeline programme its audit entries belong to ("" when not a programme's).
    programme: str = ""
    refused: Promise = dc_field(default=_("This cannot go from “%(from)s” to “%(to)s”."))
    reason_needed: Promise = dc_field(default=_("Say why."))
    not_your_side: Promise = dc_field(default=_("Your side cannot make this change."))
    # Reasons the services store as codes, shown translated (a person's own words stay as typed).
    reasons: dict[str, Promise] = dc_field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        values = set(self.states.values)
        seen: set[tuple[str, str]] = set()
        for m in self.moves:
            if (m.source and m.source not in values) or m.target not in values:
                raise ValueError(f"{self.name}: unknown state in {m.source!r} → {m.target!r}")
            if (m.source, m.target) in seen:
                raise ValueError(f"{self.name}: {m.source!r} → {m.target!r} is declared twice")
            seen.add((m.source, m.target))

    # --- questions every surface asks ---------------------------------------------------------

    def label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    def reason_label(self, reason: str) -> str:
        label = self.reasons.get(reason)
        return str(label) if label is not None else reason

    def find(self, source: str, target: str) -> Move | None:
        return next((m for m in self.moves if m.source == source and m.target == target), None)

    def pairs(self) -> list[tuple[str, str]]:
        return [(m.source, m.target) for m in self.moves]

    def targets_from(self, state: str, side: Sides | None = None) -> list[str]:
        """The states reachable in one move from `state` (by `side`, if given), in table order."""
        return [m.target for m in self.moves if m.source == state and (side is None or m.allows(side))]

    def targets_of(self, side: Sides) -> list[str]:
        """Every state the side moves an existing object into, in the order the states are declared."""
        reached = {m.target for m in self.moves if m.source != START and m.allows(side)}
        return [state for state in self.states.values if state in reached]

    def may(self, state: str, target: str, side: Sides) -> bool:
        found = self.find(state, target)
        return found is not None and found.allows(side)

    def ever_moves_to(self, target: str, side: Sides) -> bool:
        """Whether the side makes any (non-start) move into `target`."""
        return any(m.target == target and m.source != START and m.allows(side) for m in self.moves)

    def check(self, state: str, target: str, side: Sides, *, reason: str = "") -> Move:
        """The move, or a translatable ValidationError naming the field (`status`, `reason`)."""
        found = self.find(state, target)
        if found is not None and found.allows(side):
            if found.reason_required and not reason.strip():
                raise ValidationError({"reason": str(self.reason_needed)})
            return found
        reachable = any(m.target == target for m in self.moves)
        if reachable and not self.ever_moves_to(target, side):
            raise MoveForbidden({self.field: str(self.not_your_side)})
        raise ValidationError(
            {self.field: str(self.refused) % {"from": self.label(state), "to": self.label(target)}}
        )

    # --- the database -------------------------------------------------------------------------

    def check_constraint_q(self, field_from: str, field_to: str) -> Q:
        """The (from, to) pairs the table allows, as a condition for a CheckConstraint."""
        q = Q()
        for source, target in self.pairs():
            q |= Q(**{field_from: source, field_to: target})
        return q


def status_history_trigger_sql(*, table: str, field: str, event_table: str, event_fk: str) -> tuple[str, str]:
    """PostgreSQL: refuse a change of `table.field` unless the newest history row of that object
    records exactly this move (services write the event first, then the state). Returns the
    SQL to install and the SQL to remove the trigger."""
    name = f"{table}_{field}_follows_history"
    # Identifiers come from the migration that installs it, never from input.
    install = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
DECLARE latest RECORD;
BEGIN
    SELECT from_status, to_status INTO latest FROM {event_table}
        WHERE {event_fk} = NEW.id ORDER BY id DESC LIMIT 1;
    IF latest IS NULL OR latest.to_status IS DISTINCT FROM NEW.{field}
            OR latest.from_status IS DISTINCT FROM OLD.{field} THEN
        RAISE EXCEPTION '{table}.{field}: % -> % is not the latest step of its history',
            OLD.{field}, NEW.{field} USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {name} BEFORE UPDATE OF {field} ON {table}
    FOR EACH ROW WHEN (OLD.{field} IS DISTINCT FROM NEW.{field}) EXECUTE FUNCTION {name}();
"""  # noqa: S608 - quoted identifiers from our own models
    remove = f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();"
    return install, remove


# --- the one transition ---------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def transition(
    obj: M,
    *,
    workflow: Workflow,
    to: str,
    side: Sides,
    by: Any,
    reason: str = "",
    changes: dict[str, Any] | Callable[[M, str], dict[str, Any]] | None = None,
    event_model: type[models.Model] | None = None,
    event_fk: str = "",
    audit_obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> M:
    """Make one move and return the fresh, locked object.

    `changes`: other fields written with the state (or a function of the locked object and the
    previous state returning them). `event_model`/`event_fk`: the history table, whose rows have
    `from_status`, `to_status`, `actor`, `reason`. `audit_obj`: what the audit entry is about
    (default: the object itself)."""
    locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    previous = getattr(locked, workflow.field)
    found = workflow.check(previous, to, side, reason=reason)
    person = by if by is not None and getattr(by, "pk", None) is not None else None
    if event_model is not None:
        event_model._default_manager.create(
            **{event_fk: locked, "from_status": previous, "to_status": to, "actor": person, "reason": reason}
        )
    extra = changes(locked, previous) if callable(changes) else (changes or {})
    setattr(locked, workflow.field, to)
    for name, value in extra.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    audit_log(
        actor=person,
        action=f"{workflow.name}.{found.action}",
        obj=audit_obj if audit_obj is not None else locked,
        from_state=previous,
        to_state=to,
        reason=reason,
        data=data,
        programme=workflow.programme,
    )
    return locked


def allowed(workflow: Workflow, state: str, sides: Iterable[str]) -> list[tuple[str, str]]:
    """(state, label) of every move `sides` may make from `state`, for forms and buttons."""
    return [(t, workflow.label(t)) for t in workflow.targets_from(state, frozenset(sides))]
