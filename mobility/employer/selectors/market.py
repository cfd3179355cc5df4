"""Labour-market information for employers."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from matching.models import Occupation, OccupationLabel, OccupationSkill
from mobility.employer.models import CentreRequest
from mobility.exchange.models import (
    Application,
    ApplicationStatus,
    SeekerProfile,
    Vacancy,
)
from mobility.reference.models import Region

from ._shared import PIPELINE_COLUMNS, _lang
from .candidates import visible_profiles
from .organisations import employer_organisations
from .requests import employer_requests
from .vacancies import _skill_labels, employer_vacancies, occupation_label


@dataclass
class MarketInfo:
    region: Region
    occupation: Occupation | None
    occupation_name: str
    skills: list[tuple[str, int, int]]  # (skill, seekers in the region, willing to move here)
    seekers_in_region: int
    seekers_relocating: int
    salary_quartiles: tuple[int, int, int] | None
    salary_buckets: list[tuple[str, int]]
    offered_median: int | None
    others_by_month: list[tuple[dt.date, int]]
    others_total: int
    own_total: int


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def employer_occupations(user: Any) -> list[tuple[int, str]]:
    """Occupations of the person's vacancies, named in the page's language."""
    ids = list(
        Vacancy.objects.filter(
            organisation__in=employer_organisations(user).values("id"), occupation__isnull=False
        )
        .values_list("occupation_id", flat=True)
        .distinct()
    )
    lang = _lang()
    order = {code: i for i, code in enumerate(dict.fromkeys([lang, "ru", "en", "kk"]))}
    best: dict[int, tuple[int, str]] = {}
    for concept_id, label_lang, text, preferred in OccupationLabel.objects.filter(
        concept_id__in=ids, lang__in=list(order)
    ).values_list("concept_id", "lang", "text", "preferred"):
        rank = order[label_lang] * 2 + (0 if preferred else 1)
        if concept_id not in best or rank < best[concept_id][0]:
            best[concept_id] = (rank, text)
    return sorted(((cid, text) for cid, (_r, text) in best.items()), key=lambda x: x[1].casefold())


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


SALARY_BUCKETS = [0, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000]


def market_info(
    *, region: Region, occupation: Occupation | None, organisation_ids: list[int], months: int = 6
) -> MarketInfo:
    """Seekers with the occupation's skills, what they expect to earn, and others' vacancies."""
    lang = _lang()
    visible = visible_profiles()
    skill_rows: list[tuple[str, int, int]] = []
    if occupation is not None:
        links = list(
            OccupationSkill.objects.filter(occupation=occupation)
            .order_by("relation", "skill_id")
            .values_list("skill_id", flat=True)[:10]
        )
        here = Counter(
            dict(
                visible.filter(region=region, skills__skill_id__in=links)
                .values("skills__skill_id")
                .annotate(n=Count("id", distinct=True))
                .values_list("skills__skill_id", "n")
            )
        )
        movers = Counter(
            dict(
                visible.filter(skills__skill_id__in=links, will_relocate=True)
                .exclude(region=region)
                .values("skills__skill_id")
                .annotate(n=Count("id", distinct=True))
                .values_list("skills__skill_id", "n")
            )
        )
        names = _skill_labels(links, lang)
        skill_rows = [(names.get(s, str(s)), here[s], movers[s]) for s in links]
        # People who want this kind of work: the same ISCO unit group, or the occupation's skills.
        relevant = visible.filter(
            Q(desired_occupations__isco_group_id=occupation.isco_group_id) | Q(skills__skill_id__in=links)
        )
        vacancies = Vacancy.objects.filter(occupation__isco_group_id=occupation.isco_group_id)
    else:
        relevant = visible
        vacancies = Vacancy.objects.all()
    in_region = relevant.filter(region=region)
    seekers_in_region = in_region.values("id").distinct().count()
    seekers_relocating = (
        relevant.exclude(region=region).filter(will_relocate=True).values("id").distinct().count()
    )
    salaries = sorted(
        v
        for v in SeekerProfile.objects.filter(
            id__in=in_region.values("id"), expected_salary__isnull=False
        ).values_list("expected_salary", flat=True)
        if v
    )
    quartiles: tuple[int, int, int] | None = None
    if len(salaries) >= 2:
        q1, q2, q3 = statistics.quantiles(salaries, n=4, method="inclusive")
        quartiles = (round(q1), round(q2), round(q3))
    elif salaries:
        quartiles = (salaries[0], salaries[0], salaries[0])
    buckets: list[tuple[str, int]] = []
    for i, low in enumerate(SALARY_BUCKETS):
        high = SALARY_BUCKETS[i + 1] if i + 1 < len(SALARY_BUCKETS) else None
        count = sum(1 for s in salaries if s >= low and (high is None or s < high))
        label = f"{_thousands(low)}–{_thousands(high)}" if high else f"{_thousands(low)}+"
        buckets.append((label, count))
    today = timezone.localdate()
    starts = _months_back(today, months)
    others = vacancies.filter(region=region, published_at__date__gte=starts[0]).exclude(
        organisation_id__in=organisation_ids
    )
    by_month: Counter[tuple[int, int]] = Counter()
    for published in others.values_list("published_at", flat=True):
        if published is not None:
            local = timezone.localtime(published)
            by_month[(local.year, local.month)] += 1
    offered: list[int] = sorted(
        (lo + hi) // 2 if lo and hi else (lo or hi or 0)
        for lo, hi in others.values_list("salary_min", "salary_max")
        if lo or hi
    )
    own_total = vacancies.filter(region=region, organisation_id__in=organisation_ids).count()
    return MarketInfo(
        region=region,
        occupation=occupation,
        occupation_name=occupation_label(occupation, lang) if occupation else "",
        skills=skill_rows,
        seekers_in_region=seekers_in_region,
        seekers_relocating=seekers_relocating,
        salary_quartiles=quartiles,
        salary_buckets=buckets,
        offered_median=int(statistics.median(offered)) if offered else None,
        others_by_month=[(m, by_month[(m.year, m.month)]) for m in starts],
        others_total=sum(by_month.values()),
        own_total=own_total,
    )


@dataclass
class EmployerFigures:
    vacancies: int  # every one, closed included
    open_vacancies: int  # published
    drafts: int
    new_applications: int  # applied, not yet moved on
    pipeline: list[tuple[str, str, int]]  # (status, label, applications) in the board's order


def employer_figures(user: Any) -> EmployerFigures:
    """The figures of the employer's home, over all the person's organisations (two queries)."""
    organisation_ids = employer_organisations(user).values("id")
    counts = Vacancy.objects.filter(organisation__in=organisation_ids).aggregate(
        total=Count("id"),
        published=Count("id", filter=Q(status=Vacancy.Status.PUBLISHED)),
        drafts=Count("id", filter=Q(status=Vacancy.Status.DRAFT)),
    )
    by_status = dict(
        Application.objects.filter(vacancy__organisation__in=organisation_ids)
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return EmployerFigures(
        vacancies=counts["total"] or 0,
        open_vacancies=counts["published"] or 0,
        drafts=counts["drafts"] or 0,
        new_applications=by_status.get(ApplicationStatus.APPLIED, 0),
        pipeline=[(status.value, str(status.label), by_status.get(status, 0)) for status in PIPELINE_COLUMNS],
    )


HOME_VACANCIES = 10


def employer_home_data(user: Any) -> dict[str, Any]:
    organisations = list(employer_organisations(user))
    # Those with new applications first: what the employer has to look at today.
    vacancies = list(
        employer_vacancies(user).order_by(F("new_applications").desc(), "-updated_at", "-id")[:HOME_VACANCIES]
    )
    requests = list(
        employer_requests(user).filter(
            status__in=[CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS]
        )[:20]
    )
    figures = employer_figures(user)
    return {
        "organisations": organisations,
        "vacancies": vacancies,
        "figures": figures,
        "open_requests": requests,
    }
