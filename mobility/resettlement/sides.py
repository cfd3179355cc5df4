"""Which side of the resettlement workflows a caller is on for one application (and its
certificates and payments), asking the shared actor module.

- seeker: the applicant;
- counsellor: a counsellor serving the application's career centre of origin (which forwards);
- regional_manager: a manager of the destination region's centre (checks, includes, refuses);
- programme_finance: a finance officer of the destination region (certificates, payments);
- staff: any of the three; an administrator holds every staff role.
"""

from __future__ import annotations

from typing import Any

from mobility.core.actors import Role, actor_of
from mobility.core.workflow import COUNSELLOR, PROGRAMME_FINANCE, REGIONAL_MANAGER, SEEKER, STAFF


def resettlement_sides(who: Any, application: Any) -> frozenset[str]:
    actor = actor_of(who)
    if actor.is_admin:
        return frozenset({STAFF, COUNSELLOR, REGIONAL_MANAGER, PROGRAMME_FINANCE})
    sides: set[str] = set()
    if actor.user is not None and application.person_id == actor.user.pk:
        sides.add(SEEKER)
    if application.centre_id in (actor.centre_ids(Role.COUNSELLOR) or set()):
        sides.add(COUNSELLOR)
    if application.destination_region_id in (actor.region_ids(Role.REGIONAL_MANAGER) or set()):
        sides.add(REGIONAL_MANAGER)
    if application.destination_region_id in (actor.region_ids(Role.PROGRAMME_FINANCE) or set()):
        sides.add(PROGRAMME_FINANCE)
    if sides - {SEEKER}:
        sides.add(STAFF)
    return frozenset(sides)
