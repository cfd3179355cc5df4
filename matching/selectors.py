"""Taxonomy reads for pages and the API: autocomplete and suggestions in kk, ru and en.

Lookups go through each label's folded `search_key` (casefold, Kazakh letters folded onto
Russian ones, Cyrillic transliterated), so "есепші", "есепши" and "esepshi" meet.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import get_language

from matching.engine.normalize import normalize_text
from matching.models import Occupation, OccupationLabel, OccupationSkill, SkillLabel


def _lang(lang: str | None) -> str:
    return (lang or get_language() or "kk")[:2]


def _labels_in(model: Any, concept_ids: list[int], lang: str) -> dict[int, str]:
    """The best label of each concept in `lang` (falling back to ru, en, kk)."""
    found: dict[int, tuple[int, str]] = {}
    order: dict[str, int] = {}
    for code in (lang, "ru", "en", "kk"):
        order.setdefault(code, len(order))
    for concept_id, label_lang, text, preferred in model.objects.filter(
        concept_id__in=concept_ids, lang__in=list(order)
    ).values_list("concept_id", "lang", "text", "preferred"):
        rank = order[label_lang] * 2 + (0 if preferred else 1)
        if concept_id not in found or rank < found[concept_id][0]:
            found[concept_id] = (rank, text)
    return {cid: text for cid, (_rank, text) in found.items()}


def _search(model: Any, q: str, limit: int) -> list[int]:
    key = normalize_text(q)
    if len(key) < 2:
        return []
    ids: list[int] = []
    for lookup in (Q(search_key=key), Q(search_key__startswith=key), Q(search_key__contains=key)):
        for concept_id in (
            model.objects.filter(lookup)
            .exclude(concept_id__in=ids)
            .order_by("concept_id")
            .values_list("concept_id", flat=True)[: limit * 3]
        ):
            if concept_id not in ids:
                ids.append(concept_id)
            if len(ids) >= limit:
                return ids
    return ids


def skill_suggestions(q: str, *, lang: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    """Skills whose label in any language matches what was typed, named in `lang`."""
    ids = _search(SkillLabel, q, limit)
    names = _labels_in(SkillLabel, ids, _lang(lang))
    return [{"id": cid, "label": names[cid]} for cid in ids if cid in names]


def occupation_suggestions(q: str, *, lang: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
    ids = _search(OccupationLabel, q, limit)
    names = _labels_in(OccupationLabel, ids, _lang(lang))
    codes = dict(Occupation.objects.filter(id__in=ids).values_list("id", "isco_group__code"))
    return [{"id": cid, "label": names[cid], "isco": codes.get(cid, "")} for cid in ids if cid in names]


def occupation_for_title(title: str) -> Occupation | None:
    ids = _search(OccupationLabel, title, 1)
    return Occupation.objects.filter(id__in=ids).first() if ids else None


def suggested_skills_for_title(title: str, *, lang: str | None = None, limit: int = 20) -> list[str]:
    """The essential, then optional, skills of the occupation a title names."""
    occupation = occupation_for_title(title) if title else None
    if occupation is None:
        return []
    links = list(
        OccupationSkill.objects.filter(occupation=occupation)
        .order_by("relation", "skill_id")
        .values_list("skill_id", flat=True)[:limit]
    )
    names = _labels_in(SkillLabel, links, _lang(lang))
    return [names[s] for s in links if s in names]
