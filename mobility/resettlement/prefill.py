"""What the resettlement application form starts from: what the service already knows.

In order, each later source overriding an earlier one:
1. the person's seeker profile (where they live now) and their previous application, if any
   (the facts the registration lacks: permanent registration, kandas status, graduation);
2. a counsellor's resettlement referral (`cases.Referral`, kind resettlement): the receiving
   centre's region and the vacancy it names;
3. a link's query string (a proactive offer, "Vacancies for me"):
   `?destination=<region code>&vacancy=<vacancy id>&category=resettler|kandas`; a vacancy
   without a destination points at the vacancy's region.
Everything here is only the form's initial data: the submitted form is validated as usual.
The family comes from the person's case (`cases.FamilyMember`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mobility.cases.models import FamilyMember, Referral
from mobility.exchange.models import SeekerProfile
from mobility.exchange.selectors import published_vacancies
from mobility.reference.models import ReceptionQuota, Region
from mobility.resettlement.models import JobKind, ResettlementApplication
from mobility.resettlement.selectors import resettlement_referral_for


@dataclass(frozen=True)
class Prefill:
    initial: dict[str, Any]
    family: list[dict[str, Any]] = field(default_factory=list)
    referral: Referral | None = None


def _from_profile_and_history(person: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    settlement = SeekerProfile.objects.filter(user=person).values_list("settlement", flat=True).first()
    if settlement:
        initial["origin_settlement"] = settlement
    previous = ResettlementApplication.objects.filter(person=person).order_by("-submitted_at", "-id").first()
    if previous is not None:
        initial.update(
            category=previous.category,
            permanent_registration_since=previous.permanent_registration_since,
            kandas_status=previous.kandas_status,
            graduate_programme=previous.graduate_programme,
            graduated_on=previous.graduated_on,
        )
    return initial


def _vacancy(raw: Any) -> Any:
    text = str(raw or "")
    if not text.isdigit():
        return None
    return published_vacancies().filter(pk=int(text)).first()


def application_prefill(*, person: Any, params: Mapping[str, Any]) -> Prefill:
    initial = _from_profile_and_history(person)

    referral = resettlement_referral_for(person)
    if referral is not None:
        if referral.target_centre_id is not None:
            initial["destination_region"] = referral.target_centre.region_id  # type: ignore[union-attr]
        if referral.vacancy_id is not None and (vacancy := _vacancy(referral.vacancy_id)) is not None:
            initial.update(vacancy=vacancy.pk, job_kind=JobKind.VACANCY)
            initial.setdefault("destination_region", vacancy.region_id)

    code = str(params.get("destination", "") or "")
    region = Region.objects.filter(code=code).only("id").first() if code else None
    if region is not None:
        initial["destination_region"] = region.pk
    if params.get("category") in ReceptionQuota.Category.values:
        initial["category"] = params["category"]
    vacancy = _vacancy(params.get("vacancy"))
    if vacancy is not None:
        initial.update(vacancy=vacancy.pk, job_kind=JobKind.VACANCY)
        if region is None:
            initial["destination_region"] = vacancy.region_id

    family = [
        {"iin": m.iin, "last_name": m.last_name, "first_name": m.first_name, "relation": m.relation}
        for m in FamilyMember.objects.filter(case__person_id=person.pk).order_by("added_at", "id")
    ]
    return Prefill(initial=initial, family=family, referral=referral)
