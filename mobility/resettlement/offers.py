"""The proactive resettlement offer (issue #15): registered job seekers who may resettle with state
support, told of open vacancies for an occupation they want in a region that receives resettlers,
with the application prefilled with that region and vacancy.

Who may resettle is `mobility.resettlement.eligibility` (never a copy); the offer registry, the
consent and the messages are `mobility.notifications.offers`. Registered when the app is ready.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from mobility.exchange.models import SeekerProfile, Vacancy
from mobility.exchange.selectors import published_vacancies
from mobility.notifications.models import Offer
from mobility.notifications.offers import OfferCandidate, offer_rule
from mobility.reference.models import Region
from mobility.resettlement.eligibility import resettler_prospects

RULE = "resettlement"


def apply_url(offer: Offer) -> str:
    """The application form, prefilled with the offer's destination and vacancy."""
    query = {"destination": offer.details.get("destination", ""), "category": "resettler"}
    if offer.details.get("vacancy"):
        query["vacancy"] = str(offer.details["vacancy"])
    return f"{reverse('resettlement:apply')}?{urlencode(query)}"


@offer_rule(RULE, template="offer_resettlement", take_up_url=apply_url)
def resettlement(people: frozenset[int]) -> Iterator[OfferCandidate]:
    """For each registered seeker who may resettle (`resettler_prospects`): the receiving region,
    other than their own, with open vacancies (open to resettlers) for an occupation they want —
    a region they said they would move to first, then the one with the most such vacancies — and
    its newest such vacancy. One offer per person and programme year (the subject is the year).

    Five queries whatever the number of seekers; the rest is done in memory."""
    today = timezone.localdate()
    prospects = resettler_prospects(people=people, on=today)
    if not prospects.people:
        return
    receiving = prospects.receiving_region_ids
    # occupation -> region -> the open vacancies there, newest first
    vacancies: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for vacancy_id, occupation_id, region_id in (
        published_vacancies()
        .filter(region_id__in=receiving, open_to_resettlers=True, occupation__isnull=False)
        .order_by("-published_at", "-id")
        .values_list("id", "occupation_id", "region_id")
    ):
        vacancies[occupation_id][region_id].append(vacancy_id)
    if not vacancies:
        return
    profiles = {p.profile_id: p for p in prospects.people}
    wanted: dict[int, list[int]] = defaultdict(list)
    for profile_id, occupation_id in (
        SeekerProfile.desired_occupations.through.objects.filter(occupation_id__in=list(vacancies))
        .order_by("seekerprofile_id", "occupation_id")
        .values_list("seekerprofile_id", "occupation_id")
    ):
        if profile_id in profiles:
            wanted[profile_id].append(occupation_id)
    desired: dict[int, set[int]] = defaultdict(set)
    for profile_id, region_id in SeekerProfile.desired_regions.through.objects.filter(
        region_id__in=receiving
    ).values_list("seekerprofile_id", "region_id"):
        if profile_id in wanted:
            desired[profile_id].add(region_id)
    regions = Region.objects.in_bulk(list(receiving))
    year = str(today.year)
    for profile_id, occupations in wanted.items():
        prospect = profiles[profile_id]
        # (a region they would move to, how many vacancies, the region code as the last tie-break)
        best: tuple[tuple[bool, int, str], int, int] | None = None
        for occupation_id in occupations:
            for region_id, ids in vacancies[occupation_id].items():
                if region_id == prospect.home_region_id:
                    continue
                rank = (region_id in desired[profile_id], len(ids), regions[region_id].code)
                if best is None or rank > best[0]:
                    best = (rank, region_id, ids[0])
        if best is None:
            continue
        (_prefers, count, code), region_id, vacancy_id = best
        yield OfferCandidate(
            person_id=prospect.person_id,
            subject=year,
            region_id=prospect.home_region_id,
            details={"destination": code, "vacancy": vacancy_id, "vacancies": count, "year": today.year},
            context={"destination_region": regions[region_id], "offered_vacancy": Vacancy(pk=vacancy_id)},
        )
