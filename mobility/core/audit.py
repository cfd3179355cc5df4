"""The one way to write the audit trail (called inside the service's transaction).

An entry names its actor as a snapshot (number, label and kind at the time), so it outlives the
person's account, and keeps old and new values of what changed, JSON-safe: dates and decimals as
text, IINs masked, passwords and secrets never stored.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from mobility.core.identifiers import mask_iin
from mobility.core.models import AuditEntry

HIDDEN = "[hidden]"
_SECRET_WORDS = ("password", "secret", "token")


def _is_secret(name: str) -> bool:
    return any(word in name for word in _SECRET_WORDS)


def _is_iin(name: str) -> bool:
    return name == "iin" or name.endswith("_iin")


def audit_value(value: Any, *, field: str = "") -> Any:
    """A value as the audit trail keeps it: JSON-safe, IINs masked, secrets hidden."""
    if field and _is_secret(field):
        return HIDDEN
    if field and _is_iin(field) and isinstance(value, str):
        return mask_iin(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {str(k): audit_value(v, field=str(k)) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [audit_value(v) for v in value]
    return str(value)


def _field_value(source: models.Model | Mapping[str, Any], name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    field = source._meta.get_field(name)
    if field.many_to_many:
        if source.pk is None:
            return []
        return sorted(getattr(source, name).values_list("pk", flat=True))
    return getattr(source, field.attname)  # type: ignore[union-attr]


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of `fields` now, to compare with after a change (see `audit_changes`)."""
    return {name: _field_value(obj, name) for name in fields}


def audit_changes(
    before: models.Model | Mapping[str, Any], after: models.Model, fields: Iterable[str]
) -> dict[str, list[Any]]:
    """`{"field": [old, new]}` for each of `fields` whose value differs, ready for `audit_log`.

    `before` is a copy of the object as it was (or `audit_snapshot` of it); foreign keys compare
    by id, many-to-many fields by their sorted ids.
    """
    changes: dict[str, list[Any]] = {}
    for name in fields:
        old, new = _field_value(before, name), _field_value(after, name)
        if old != new:
            changes[name] = [audit_value(old, field=name), audit_value(new, field=name)]
    return changes


def actor_snapshot(actor: Any) -> tuple[int | None, str, str]:
    """(id, label, kind) of whoever acts: a person, an API key, or the system.

    `actor` is a User, a `mobility.core.actors.Actor`, the API's key principal, or None. A key's
    entry carries the number of the person who made the key, labelled with the key's id and name.
    """
    from mobility.core.actors import Actor

    key = getattr(actor, "key", None)
    if isinstance(actor, Actor) and key is None:
        actor = actor.user
    if key is not None and getattr(actor, "pk", None) is None:  # an Actor or ApiKeyPrincipal of a key
        return key.created_by_id, f"api-key:{key.prefix} {key.name}"[:200], AuditEntry.ActorKind.API_KEY
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk is None:
        return None, "", AuditEntry.ActorKind.SYSTEM
    return actor.pk, str(actor)[:200], AuditEntry.ActorKind.PERSON


def audit_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: Mapping[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    programme: str = "",
) -> AuditEntry:
    """Record a state change; `actor` is None for the system (tasks, imports); `programme` marks
    an entry of a case's timeline with the programme it belongs to.

    `changes` is `{"field": [old, new]}` (build it with `audit_changes`); values are made
    JSON-safe here, so dates and decimals may be passed as they are.
    """
    actor_id, actor_label, actor_kind = actor_snapshot(actor)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        actor_label=actor_label,
        actor_kind=actor_kind,
        action=action,
        target_type=ContentType.objects.get_for_model(obj),
        target_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changes={str(k): [audit_value(v, field=str(k)) for v in pair] for k, pair in (changes or {}).items()},
        data=audit_value(data or {}),
        programme=programme,
    )


def audit_trail(obj: models.Model) -> QuerySet[AuditEntry]:
    """The history of one object, newest first (show `actor_label`: the actor may be gone)."""
    target_type = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(target_type=target_type, target_id=str(obj.pk))
