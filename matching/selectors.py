"""Taxonomy reads for pages and the API: autocomplete and suggestions in kk, ru and en.

Lookups go through each label's folded `search_key` (casefold, Kazakh letters folded onto
Russian ones, Cyrillic transliterated), so "есепші", "есепши" and "esepshi" meet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from matching.engine.normalize import normalize_text
from matching.models import (
    CoverageSnapshot,
    IscoGroup,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    SkillLabel,
)


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


def skill_labels(skill_ids: list[int], *, lang: str | None = None) -> dict[int, str]:
    """Each skill's name in `lang` (the page's language by default; falling back to ru, en, kk)."""
    return _labels_in(SkillLabel, skill_ids, _lang(lang)) if skill_ids else {}


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


# --- Coverage dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageLine:
    """One line of the dashboard: how many seekers / vacancies, and how many have enough matches."""

    key: str
    label: str
    seekers: int
    seekers_covered: int
    vacancies: int
    vacancies_covered: int

    @property
    def seeker_share(self) -> int | None:
        return round(100 * self.seekers_covered / self.seekers) if self.seekers else None

    @property
    def vacancy_share(self) -> int | None:
        return round(100 * self.vacancies_covered / self.vacancies) if self.vacancies else None


@dataclass(frozen=True)
class Coverage:
    snapshot: CoverageSnapshot
    total: CoverageLine
    by_region: list[CoverageLine]
    by_group: list[CoverageLine]
    by_language: list[CoverageLine]
    kk_ru_gap: int | None  # seeker coverage of Kazakh-written minus Russian-written profiles, points


def _lines(rows: list[dict[str, Any]], dim: str, labels: dict[str, str]) -> list[CoverageLine]:
    sums: dict[str, list[int]] = {}
    for r in rows:
        s = sums.setdefault(r[dim] if dim else "", [0, 0, 0, 0])
        offset = 0 if r["side"] == "seeker" else 2
        s[offset] += r["total"]
        s[offset + 1] += r["covered"]
    return [
        CoverageLine(key, labels.get(key, key or "—"), *values)
        for key, values in sorted(sums.items(), key=lambda kv: labels.get(kv[0], kv[0] or "~"))
    ]


def coverage_for(request: Any) -> Coverage | None:
    """The latest coverage snapshot, restricted to the regions the staff member works in."""
    from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
    from mobility.reference.models import Region

    snapshot = CoverageSnapshot.objects.first()
    if snapshot is None:
        return None
    region_ids = actor_of(request).region_ids(*EXCHANGE_STAFF_ROLES)
    regions = Region.objects.all() if region_ids is None else Region.objects.filter(id__in=region_ids)
    names = {r.code: str(r.name) for r in regions}
    rows = [r for r in snapshot.rows if r["region"] in names]
    majors = {g.code: g.label() for g in IscoGroup.objects.filter(level=1).prefetch_related("labels")}
    languages = {
        "kk": str(_("Kazakh")),
        "ru": str(_("Russian")),
        "en": str(_("English")),
        "": str(_("unknown")),
    }
    by_language = _lines(rows, "lang", languages)
    shares = {line.key: line.seeker_share for line in by_language}
    gap = None
    if shares.get("kk") is not None and shares.get("ru") is not None:
        gap = int(shares["kk"] or 0) - int(shares["ru"] or 0)
    total = _lines(rows, "", {"": str(_("All"))})
    return Coverage(
        snapshot=snapshot,
        total=total[0] if total else CoverageLine("", str(_("All")), 0, 0, 0, 0),
        by_region=_lines(rows, "region", names),
        by_group=_lines(rows, "group", majors),
        by_language=by_language,
        kk_ru_gap=gap,
    )
