"""Which side of a workflow a caller is on, one function per entity, in one place.

The workflows (`mobility.core.workflow`) say which side may make which move; these functions say
which sides a caller holds for one object, asking the shared actor module
(`mobility.core.actors`), so a session user, a personal token and an API key are answered alike.
Where a page or service is itself one side's (the staff verification queue, an employer
cancelling their own request), the service names that side and the scoped access helper that
fetched the object has already answered who may.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
from mobility.core.workflow import EMPLOYER, SEEKER, STAFF
from mobility.exchange.selectors import seeker_centre_ids


def _staff_sides(who: Any, centre_ids: Collection[int]) -> frozenset[str]:
    """Staff, with each exchange role the caller holds at a centre that serves `centre_ids`
    (migration officers work on visa and card cases only: never a side here)."""
    actor = actor_of(who)
    if actor.is_admin:
        return frozenset({STAFF})
    roles: set[str] = set()
    for role in EXCHANGE_STAFF_ROLES:
        served = actor.centre_ids(role)
        if served is None or served & set(centre_ids):
            roles.add(role)
    return frozenset({STAFF, *roles}) if roles else frozenset()


def employer_sides(who: Any, organisation: Any, *, scope: str | None = None) -> frozenset[str]:
    """Employer if the caller acts for the organisation (branches through their head office; an
    administrator for any; an API key within `scope`) and the centre has verified it: an
    unverified or refused organisation moves no candidate."""
    actor = actor_of(who)
    if not organisation.is_verified:
        return frozenset()
    if actor.is_admin or organisation.pk in actor.organisation_ids(scope=scope):
        return frozenset({EMPLOYER})
    return frozenset()


def application_sides(who: Any, application: Any, *, scope: str | None = None) -> frozenset[str]:
    """Seeker if it is their application; employer (`employer_sides`) for the vacancy's
    organisation; staff if the seeker is known at a centre the caller serves."""
    actor = actor_of(who)
    sides = set(employer_sides(actor, application.vacancy.organisation, scope=scope))
    if actor.is_person:
        if application.seeker.user_id == actor.user.pk:
            sides.add(SEEKER)
        sides |= _staff_sides(actor, seeker_centre_ids(application.seeker))
    return frozenset(sides)


def plan_sides(who: Any, plan: Any) -> frozenset[str]:
    """Seeker if the plan is about them; staff if its case sits at a centre they serve."""
    actor = actor_of(who)
    sides: set[str] = set()
    case = plan.case
    if actor.is_person and case.person_id == actor.user.pk:
        sides.add(SEEKER)
    if actor.is_person:
        sides |= _staff_sides(actor, {case.centre_id})
    return frozenset(sides)
