"""Vacancies of the person's organisations; occupation labels and suggestions."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from matching import services as matching
from matching.models import Occupation, OccupationLabel, OccupationSkill, SkillLabel
from mobility.exchange.models import (
    ApplicationStatus,
    Vacancy,
)

from ._shared import PIPELINE_COLUMNS, _lang
from .organisations import employer_organisations


def employer_vacancies(user: Any) -> QuerySet[Vacancy]:
    """Every vacancy of the person's organisations, drafts included, with pipeline counts."""
    open_statuses = [s for s in PIPELINE_COLUMNS if s not in ("hired", "rejected", "withdrawn")]
    return (
        Vacancy.objects.filter(organisation__in=employer_organisations(user).values("id"))
        .select_related("organisation", "region", "occupation__isco_group")
        .annotate(
            open_applications=Count("applications", filter=Q(applications__status__in=open_statuses)),
            new_applications=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)),
        )
        .order_by("-updated_at", "-id")
    )


def vacancy_with_skills(vacancy: Vacancy) -> Vacancy:
    """The vacancy as the matcher reads it (skills, occupation, region in two queries)."""
    return matching.vacancy_queryset().select_related("organisation").get(pk=vacancy.pk)


def occupation_label(occupation: Occupation | None, lang: str | None = None) -> str:
    if occupation is None:
        return ""
    wanted = lang or _lang()
    labels = list(OccupationLabel.objects.filter(concept=occupation).values_list("lang", "text", "preferred"))
    for code in (wanted, "ru", "en", "kk"):
        found = sorted((not preferred, text) for label_lang, text, preferred in labels if label_lang == code)
        if found:
            return found[0][1]
    return str(occupation.pk)


def occupation_by_label(text: str) -> Occupation | None:
    """The occupation a picked or typed label names (exact label first, then the best search hit)."""
    from matching.engine.normalize import normalize_text
    from matching.selectors import occupation_for_title

    key = normalize_text(text)
    if not key:
        return None
    exact = (
        OccupationLabel.objects.filter(search_key=key)
        .order_by("-preferred", "concept_id")
        .values_list("concept_id", flat=True)
        .first()
    )
    if exact is not None:
        return Occupation.objects.select_related("isco_group").get(pk=exact)
    return occupation_for_title(text)


def _skill_labels(skill_ids: list[int], lang: str) -> dict[int, str]:
    order = {code: i for i, code in enumerate(dict.fromkeys([lang, "ru", "en", "kk"]))}
    best: dict[int, tuple[int, str]] = {}
    for concept_id, label_lang, text, preferred in SkillLabel.objects.filter(
        concept_id__in=skill_ids, lang__in=list(order)
    ).values_list("concept_id", "lang", "text", "preferred"):
        rank = order[label_lang] * 2 + (0 if preferred else 1)
        if concept_id not in best or rank < best[concept_id][0]:
            best[concept_id] = (rank, text)
    return {cid: text for cid, (_rank, text) in best.items()}


def occupation_skill_suggestions(
    occupation: Occupation | None, *, lang: str | None = None
) -> tuple[list[str], list[str]]:
    """The occupation's essential and optional skills, named in the page's language."""
    if occupation is None:
        return [], []
    links = list(
        OccupationSkill.objects.filter(occupation=occupation)
        .order_by("relation", "skill_id")
        .values_list("skill_id", "relation")
    )
    names = _skill_labels([s for s, _r in links], lang or _lang())
    essential = [names[s] for s, r in links if r == OccupationSkill.Relation.ESSENTIAL and s in names]
    optional = [names[s] for s, r in links if r == OccupationSkill.Relation.OPTIONAL and s in names]
    return essential, optional
