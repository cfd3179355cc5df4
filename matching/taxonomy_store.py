"""Moving taxonomies between the pure engine's `Taxonomy` and the database.

`taxonomy_save` writes any engine `Taxonomy` (ESCO, MELO labels, the project's files) into
the tables idempotently and in bulk, so importing the full ESCO release takes seconds,
and running it twice changes nothing. `taxonomy_from_db` builds the engine's structure
back from the tables, staff synonyms included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from matching.engine.normalize import normalize_text
from matching.engine.taxonomy import Taxonomy, isco_levels
from matching.models import (
    IscoGroup,
    IscoGroupLabel,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillLabel,
    Source,
)

M = TypeVar("M", bound=Model)
BATCH = 5000


def _chunks(items: list[M], size: int = BATCH) -> Iterator[list[M]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class SaveReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        self.created[what] = self.created.get(what, 0) + count

    def __str__(self) -> str:
        return ", ".join(f"{k}: +{v}" for k, v in self.created.items()) or "nothing new"


def _ensure_groups(codes: Iterable[str]) -> dict[str, int]:
    """Every ISCO code and its ancestors exist; returns code → id."""
    wanted: set[str] = set()
    for code in codes:
        if code and code.isdigit() and len(code) <= 4:
            wanted.update(isco_levels(code))
    existing = dict(IscoGroup.objects.values_list("code", "id"))
    for code in sorted(wanted - existing.keys(), key=len):  # parents first
        parent = existing.get(code[:-1]) if len(code) > 1 else None
        group = IscoGroup.objects.create(code=code, level=len(code), parent_id=parent)
        existing[code] = group.id
    return existing


def _save_labels(
    model: type[OccupationLabel] | type[SkillLabel] | type[IscoGroupLabel],
    rows: Iterable[tuple[int, str, str, bool]],
    source: str,
) -> int:
    """Insert labels that are new; make the given preferred labels preferred."""
    existing = {
        (concept_id, lang, text): (pk, preferred)
        for pk, concept_id, lang, text, preferred in model.objects.values_list(
            "id", "concept_id", "lang", "text", "preferred"
        )
    }
    new: list[Any] = []
    preferred_keys: list[tuple[int, str, str]] = []
    seen: set[tuple[int, str, str]] = set()
    for concept_id, lang, text, preferred in rows:
        text = " ".join(text.split())[:300]
        key = (concept_id, lang, text)
        if not text or key in seen:
            continue
        seen.add(key)
        if preferred:
            preferred_keys.append(key)
        if key not in existing:
            new.append(
                model(
                    concept_id=concept_id,
                    lang=lang,
                    text=text,
                    preferred=preferred,
                    source=source,
                    reviewed=source != Source.PROJECT,
                    search_key=normalize_text(text)[:300],
                )
            )
    for chunk in _chunks(new):
        model.objects.bulk_create(chunk, ignore_conflicts=True)
    # A concept has one preferred label per language: the latest source that names one wins,
    # whether its label is new (created preferred above) or already stored.
    wanted = {(concept_id, lang): text for concept_id, lang, text in preferred_keys}
    demote = [
        pk
        for (concept_id, lang, text), (pk, preferred) in existing.items()
        if preferred and wanted.get((concept_id, lang), text) != text
    ]
    promote = [existing[key][0] for key in preferred_keys if key in existing and not existing[key][1]]
    now = timezone.now()  # queryset updates skip auto_now; the version must still change
    for ids, flag in ((demote, False), (promote, True)):
        for start in range(0, len(ids), 500):
            model.objects.filter(id__in=ids[start : start + 500]).update(preferred=flag, updated_at=now)
    return len(new)


@transaction.atomic
def taxonomy_save(tax: Taxonomy, *, source: str, skill_types: dict[str, str] | None = None) -> SaveReport:
    """Write a taxonomy into the tables (idempotent, bulk)."""
    report = SaveReport()
    now = timezone.now()
    groups = _ensure_groups([*tax.groups.keys(), *(o.isco for o in tax.occupations.values())])

    # Occupations (an occupation without a valid ISCO code cannot be placed: skipped).
    occ_ids = dict(Occupation.objects.values_list("uri", "id"))
    new_occ = [
        Occupation(uri=o.id, isco_group_id=groups[o.isco], source=source, updated_at=now)
        for o in tax.occupations.values()
        if o.id not in occ_ids and o.isco in groups
    ]
    for chunk in _chunks(new_occ):
        Occupation.objects.bulk_create(chunk, ignore_conflicts=True)
    report.add("occupations", len(new_occ))
    occ_ids = dict(Occupation.objects.values_list("uri", "id"))

    skill_ids = dict(Skill.objects.values_list("uri", "id"))
    types = skill_types or {}
    new_skills = [
        Skill(uri=s.id, source=source, skill_type=types.get(s.id, Skill.Type.SKILL), updated_at=now)
        for s in tax.skills.values()
        if s.id not in skill_ids
    ]
    for skill_chunk in _chunks(new_skills):
        Skill.objects.bulk_create(skill_chunk, ignore_conflicts=True)
    report.add("skills", len(new_skills))
    skill_ids = dict(Skill.objects.values_list("uri", "id"))

    report.add(
        "group labels",
        _save_labels(
            IscoGroupLabel,
            (
                (groups[code], lang, text, i == 0)
                for code, group in tax.groups.items()
                if code in groups
                for lang, labels in group.labels.items()
                for i, text in enumerate(labels)
            ),
            source,
        ),
    )
    report.add(
        "occupation labels",
        _save_labels(
            OccupationLabel,
            (
                (occ_ids[o.id], lang, text, i == 0)
                for o in tax.occupations.values()
                if o.id in occ_ids
                for lang, labels in o.labels.items()
                for i, text in enumerate(labels)
            ),
            source,
        ),
    )
    report.add(
        "skill labels",
        _save_labels(
            SkillLabel,
            (
                (skill_ids[s.id], lang, text, i == 0)
                for s in tax.skills.values()
                if s.id in skill_ids
                for lang, labels in s.labels.items()
                for i, text in enumerate(labels)
            ),
            source,
        ),
    )

    existing_links = set(OccupationSkill.objects.values_list("occupation_id", "skill_id"))
    new_links: list[OccupationSkill] = []
    for occ in tax.occupations.values():
        oid = occ_ids.get(occ.id)
        if oid is None:
            continue
        for relation, skill_uris in (("essential", occ.essential), ("optional", occ.optional)):
            for uri in skill_uris:
                sid = skill_ids.get(uri)
                if sid is None or (oid, sid) in existing_links:
                    continue
                existing_links.add((oid, sid))
                new_links.append(OccupationSkill(occupation_id=oid, skill_id=sid, relation=relation))
    for link_chunk in _chunks(new_links):
        OccupationSkill.objects.bulk_create(link_chunk, ignore_conflicts=True)
    report.add("links", len(new_links))
    return report


def taxonomy_from_db() -> Taxonomy:
    """The whole stored taxonomy as the engine's plain structure (a handful of queries)."""
    tax = Taxonomy(sources=["database"])
    group_codes = dict(IscoGroup.objects.values_list("id", "code"))
    for concept_id, lang, text in IscoGroupLabel.objects.order_by(
        "concept_id", "lang", "-preferred", "id"
    ).values_list("concept_id", "lang", "text"):
        tax.add_group_labels(group_codes[concept_id], lang, [text])
    occ_by_id = {}
    for oid, uri, group_id in Occupation.objects.values_list("id", "uri", "isco_group_id"):
        occ_by_id[oid] = tax.add_occupation(uri, group_codes[group_id], "en", [])
    for concept_id, lang, text in OccupationLabel.objects.order_by(
        "concept_id", "lang", "-preferred", "id"
    ).values_list("concept_id", "lang", "text"):
        occ = occ_by_id[concept_id]
        tax.add_occupation(occ.id, occ.isco, lang, [text])
    skill_uri = dict(Skill.objects.values_list("id", "uri"))
    for uri in skill_uri.values():
        tax.add_skill(uri, "en", [])
    for concept_id, lang, text in SkillLabel.objects.order_by(
        "concept_id", "lang", "-preferred", "id"
    ).values_list("concept_id", "lang", "text"):
        tax.add_skill(skill_uri[concept_id], lang, [text])
    for oid, sid, relation in OccupationSkill.objects.values_list("occupation_id", "skill_id", "relation"):
        occ = occ_by_id[oid]
        (occ.essential if relation == "essential" else occ.optional).append(skill_uri[sid])
    for occ in tax.occupations.values():
        occ.labels = {k: v for k, v in occ.labels.items() if v}
    for skill in tax.skills.values():
        skill.labels = {k: v for k, v in skill.labels.items() if v}
    return tax


def taxonomy_version() -> str:
    """Changes whenever the stored taxonomy changes (used to key the engine's caches)."""
    parts = []
    for model in (IscoGroupLabel, OccupationLabel, SkillLabel, OccupationSkill):
        last = model.objects.order_by("-id").values_list("id", flat=True).first() or 0
        parts.append(f"{model.objects.count()}:{last}")
    for label_model in (IscoGroupLabel, OccupationLabel, SkillLabel):
        edited = label_model.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        parts.append(edited.isoformat() if edited else "-")
    return "|".join(parts)


__all__ = ["SaveReport", "Source", "taxonomy_from_db", "taxonomy_save", "taxonomy_version"]


def search_keys_refresh(models: Iterable[type[Model]] = (IscoGroupLabel, OccupationLabel, SkillLabel)) -> int:
    """Recompute each label's `search_key` with the engine's current `normalize_text`; returns
    how many changed.

    The key is derived data: when the normalisation learns a new fold (one spelling for «щ»
    typed "sch" or "shch", say), the keys stored before it keep the old form and exact lookups
    of the new form miss them. A data migration calls this after such a change (the models may
    be a migration's historical ones).
    """
    changed = 0
    for model in models:
        stale: list[Any] = [
            model(id=pk, search_key=key)
            for pk, text, old in model._default_manager.values_list("id", "text", "search_key").iterator(
                chunk_size=BATCH
            )
            if (key := normalize_text(text)[:300]) != old
        ]
        with transaction.atomic():
            for chunk in _chunks(stale):
                model._default_manager.bulk_update(chunk, ["search_key"])
        changed += len(stale)
    return changed
