"""Staff reads for relocation-aware matching (issue #13, item 8): the labour-short vacancies of
the receiving regions, and for one of them the seekers in the caller's scope who could resettle
there, ranked by the matcher.

Nothing here ranks or judges: the matcher ranks (`matching.services.rank_seekers_for`), the
eligibility module judges (`eligibility.check_eligibility_many`), the exchange says whom the
caller sees (`exchange.selectors.seekers_in_scope`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from matching import services as matching
from mobility.exchange.models import SeekerProfile, Vacancy
from mobility.exchange.selectors import published_vacancies, seekers_in_scope
from mobility.reference import rules
from mobility.resettlement.eligibility import Eligibility, RuleResult, check_eligibility_many
from mobility.resettlement.models import ApplicationMember

POOL = 200


def receiving_vacancies(*, year: int, region_code: str = "") -> QuerySet[Vacancy]:
    """Published vacancies in the regions that receive resettlers or kandases in `year`."""
    qs = published_vacancies().filter(region_id__in=list(rules.receiving_region_ids(year=year)))
    if region_code:
        qs = qs.filter(region__code=region_code)
    return qs.order_by("region__code", "-published_at", "-id")


@dataclass(frozen=True)
class EligibleSeeker:
    profile: SeekerProfile
    match: matching.ShownMatch
    eligibility: Eligibility
    applying: bool  # already in an active resettlement application

    @property
    def to_declare(self) -> list[RuleResult]:
        """The rules that wait for what the person declares when applying."""
        return self.eligibility.failed


def categories_for(vacancy: Vacancy, *, year: int) -> frozenset[str]:
    """The programme categories the vacancy's region receives in `year` (none: not receiving)."""
    return rules.receiving_region_ids(year=year).get(vacancy.region_id, frozenset())


def default_category(categories: frozenset[str]) -> str:
    """The list's programme when the caller names none: resettlers where the region takes them."""
    return "resettler" if "resettler" in categories else sorted(categories)[0]


def eligible_seekers_for(
    *, who: Any, vacancy: Vacancy, category: str, on: dt.date, limit: int = 50, scope: str | None = None
) -> list[EligibleSeeker]:
    """The matcher's candidates for a vacancy in a receiving region, kept to the people the
    caller sees who live elsewhere and pass every rule the service can check for `category`
    (the rest they declare when applying); best match first. A constant number of queries.
    `scope`: what an API key must hold to see the people of its centre."""
    matches = matching.rank_seekers_for(vacancy, limit=POOL)
    shown = matching.present_matches(matches, lang=get_language() or "kk")
    profiles = (
        seekers_in_scope(who, scope=scope)
        .filter(pk__in=[m.id for m in shown], user__is_active=True)
        .exclude(region_id=vacancy.region_id)
        .select_related("user", "region")
        .in_bulk()
    )
    people = [p.user for p in profiles.values()]
    checks = check_eligibility_many(people=people, category=category, destination=vacancy.region, on=on)
    applying = set(
        ApplicationMember.objects.filter(active=True, iin__in=[p.iin for p in people if p.iin]).values_list(
            "iin", flat=True
        )
    )
    out = []
    for match in shown:
        profile = profiles.get(match.id)
        if profile is None:
            continue
        eligibility = checks[profile.user_id]
        if not eligibility.prospective:
            continue
        out.append(EligibleSeeker(profile, match, eligibility, profile.user.iin in applying))
        if len(out) == limit:
            break
    return out
