"""Which side of the foreign-specialist workflows a caller is on, one function per entity.

The applicant is the `seeker` side of their own application and appeal; a migration officer
(or the regional manager) serving the application's centre, and an administrator, the
`migration_officer` side. The officer who took a refusal is never the `migration_officer` side
of its appeal: a different officer decides it (`migration.services.appeals` checks the same
thing through this function, so the rule lives here once).
"""

from __future__ import annotations

from typing import Any

from mobility.core.actors import Role, actor_of
from mobility.core.workflow import MIGRATION_OFFICER, SEEKER, STAFF

MIGRATION_ROLES = (Role.MIGRATION_OFFICER, Role.REGIONAL_MANAGER)


def migration_centre_ids(who: Any, *, scope: str | None = None) -> set[int] | None:
    """Centres whose foreign-specialist cases the caller works on: a migration officer their
    centre, a regional manager every centre of the region, an administrator all (None)."""
    return actor_of(who).centre_ids(*MIGRATION_ROLES, scope=scope)


def _officer_sides(who: Any, centre_id: int) -> frozenset[str]:
    actor = actor_of(who)
    if not actor.is_person and actor.key is None:
        return frozenset()
    served = migration_centre_ids(actor)
    if served is None or centre_id in served:
        return frozenset({STAFF, MIGRATION_OFFICER})
    return frozenset()


def application_sides(who: Any, application: Any) -> frozenset[str]:
    actor = actor_of(who)
    sides = set(_officer_sides(actor, application.centre_id))
    if actor.is_person and application.applicant.user_id == actor.user.pk:
        sides.add(SEEKER)
    return frozenset(sides)


def appeal_sides(who: Any, appeal: Any) -> frozenset[str]:
    """As for the application, except the officer who refused: they may not decide the appeal."""
    actor = actor_of(who)
    sides = set(application_sides(actor, appeal.application))
    if actor.is_person and appeal.refusal.decided_by_id == actor.user.pk:
        sides -= {MIGRATION_OFFICER, STAFF}
    return frozenset(sides)


def card_sides(who: Any, card: Any) -> frozenset[str]:
    return frozenset(application_sides(who, card.application) - {SEEKER})
