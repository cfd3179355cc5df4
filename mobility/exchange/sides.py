"""Which side of a workflow a caller is on, one function per entity, in one place.

The workflows (`mobility.core.workflow`) say which side may make which move; these functions say
which sides a caller holds for one object. Where a page or service is itself one side's (the
staff verification queue, an employer cancelling their own request), the service names that
side and the scoped access helper that fetched the object has already answered who may. They
are written against the role helpers of `mobility.accounts.access` (the shared actor module
can take over their insides later).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from mobility.accounts import access
from mobility.accounts.models import CentreMembership
from mobility.core.workflow import EMPLOYER, SEEKER, STAFF

# Staff roles that work in the labour exchange (applications, plans, employers); migration
# officers work on visa and card cases only.
EXCHANGE_STAFF_ROLES = (CentreMembership.Role.COUNSELLOR, CentreMembership.Role.REGIONAL_MANAGER)


def _acts_for(user: Any, organisation: Any) -> bool:
    """A member of the organisation, or of its head office (a branch is run from there)."""
    if not getattr(user, "is_authenticated", False):
        return False
    ids = {m.organisation_id for m in access.organisation_memberships(user)}
    return organisation.pk in ids or (
        organisation.head_office_id is not None and organisation.head_office_id in ids
    )


def _staff_sides(user: Any, centre_ids: Collection[int]) -> frozenset[str]:
    """The exchange staff roles the person holds at a centre that sees one of `centre_ids`."""
    if access.is_admin(user):
        return frozenset({STAFF})
    memberships = [m for m in access.centre_memberships(user) if m.role in EXCHANGE_STAFF_ROLES]
    if not memberships or not centre_ids:
        return frozenset()
    visible = set(
        access.centres_visible_to(user).filter(id__in=list(centre_ids)).values_list("id", flat=True)
    )
    if not visible:
        return frozenset()
    return frozenset({STAFF, *(m.role for m in memberships)})


def _seeker_centre_ids(profile: Any) -> set[int]:
    """Centres a seeker is known at: their registrations and their case."""
    ids = set(profile.registrations.values_list("centre_id", flat=True))
    case = getattr(profile, "case", None) if hasattr(profile, "case") else None
    if case is not None:
        ids.add(case.centre_id)
    return ids


def employer_sides(
    user: Any, organisation: Any, *, acting_for: Collection[int] | None = None
) -> frozenset[str]:
    """Employer if they act for the organisation (an administrator acts for any) and the centre
    has verified it: an unverified or refused organisation moves no candidate.

    `acting_for`: for an API key, the organisations it acts for (instead of the person's
    memberships)."""
    if not organisation.is_verified:
        return frozenset()
    if acting_for is not None:
        return frozenset({EMPLOYER}) if organisation.pk in acting_for else frozenset()
    if access.is_admin(user) or _acts_for(user, organisation):
        return frozenset({EMPLOYER})
    return frozenset()


def application_sides(
    user: Any, application: Any, *, acting_for: Collection[int] | None = None
) -> frozenset[str]:
    """Seeker if it is their application; employer (`employer_sides`) for the vacancy's
    organisation; staff if the seeker is known at a centre they see."""
    sides: set[str] = set(employer_sides(user, application.vacancy.organisation, acting_for=acting_for))
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        if application.seeker.user_id == user.pk:
            sides.add(SEEKER)
        sides |= _staff_sides(user, _seeker_centre_ids(application.seeker))
    return frozenset(sides)


def plan_sides(user: Any, plan: Any) -> frozenset[str]:
    """Seeker if the plan is about them; staff if its case sits at a centre they see."""
    sides: set[str] = set()
    case = plan.case
    if getattr(user, "is_authenticated", False) and case.seeker.user_id == user.pk:
        sides.add(SEEKER)
    sides |= _staff_sides(user, {case.centre_id})
    return frozenset(sides)
