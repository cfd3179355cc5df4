"""Edits of accounts in the administration site, recorded with old and new values."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mobility.accounts.models import User
from mobility.core.audit import audit_changes, audit_log, audit_snapshot

# --- Edits in the administration site -------------------------------------------------------------

ACCOUNT_AUDITED = (
    "email",
    "iin",
    "phone",
    "last_name",
    "first_name",
    "middle_name",
    "language",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
)


def _roles(user: User) -> list[str]:
    return sorted(
        f"{centre}:{role}" for centre, role in user.centre_memberships.values_list("centre__code", "role")
    )


@transaction.atomic
def account_admin_save(*, user: User, by: User, save: Any) -> User:
    """An administrator's (or regional manager's) edit of an account in the admin, recorded with
    old and new values: the fields, administrator rights and the centre roles.

    `save` is the admin's own save (the form's fields, many-to-many fields and the memberships
    inline); it runs here between the snapshot and the comparison.
    """
    stored = User.objects.select_for_update().get(pk=user.pk)
    before = audit_snapshot(stored, ACCOUNT_AUDITED)
    roles_before = _roles(stored)
    save()
    user.refresh_from_db()
    changes = audit_changes(before, user, ACCOUNT_AUDITED)
    roles_after = _roles(user)
    if changes:
        audit_log(actor=by, action="account.updated", obj=user, changes=changes)
    if roles_after != roles_before:
        audit_log(
            actor=by,
            action="account.roles_changed",
            obj=user,
            changes={"centre_roles": [roles_before, roles_after]},
        )
    return user
