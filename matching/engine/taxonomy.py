"""Occupation/skill taxonomy: plain data, readers for ESCO, MELO and the project's files.

The taxonomy is deliberately a plain, JSON-serialisable structure so that the Django
side can build the same thing from its database (``Taxonomy.from_dict``) and the engine
never needs to know where the labels came from.

Hierarchy: occupation -> ISCO-08 unit group (4 digits) -> minor (3) -> sub-major (2)
-> major (1). The ISCO code of an occupation is enough to derive every level.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .normalize import normalize_title

__all__ = [
    "Occupation",
    "Skill",
    "IscoGroup",
    "Taxonomy",
    "isco_levels",
    "read_esco_occupations",
    "read_esco_skills",
    "read_esco_isco_groups",
    "read_esco_occupation_skill_relations",
    "read_esco_broader_occupations",
    "load_esco",
    "read_melo_labels",
    "add_melo_labels",
    "load_project_taxonomy",
    "esco_paths",
    "ESCO_CLASSIFICATION_ZIP",
    "ESCO_RELATIONS_ZIP",
]

ESCO_CLASSIFICATION_ZIP = "esco-v1.1.1/esco_v1.1.1_classification_en_csv.zip"
ESCO_RELATIONS_ZIP = "esco-v1.1.1/esco_v1.1.1_relations_csv.zip"
ISCO_URI_PREFIX = "http://data.europa.eu/esco/isco/C"

csv.field_size_limit(10_000_000)


def isco_levels(code: str) -> tuple[str, ...]:
    """Return the ancestors of an ISCO code from the unit group up: '2411' -> ('2411','241','24','2')."""
    code = code.strip()
    return tuple(code[:n] for n in range(len(code), 0, -1))


@dataclass
class Occupation:
    """One occupation: id (ESCO URI or project key), ISCO-08 unit code, labels per language."""

    id: str
    isco: str
    labels: dict[str, list[str]] = field(default_factory=dict)
    essential: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)

    def preferred(self, lang: str = "en") -> str:
        """Preferred label in ``lang`` or, failing that, any first label."""
        for candidate in (lang, "en", "ru", "kk"):
            if self.labels.get(candidate):
                return self.labels[candidate][0]
        for values in self.labels.values():
            if values:
                return values[0]
        return self.id


@dataclass
class Skill:
    """One skill or knowledge concept with labels per language."""

    id: str
    labels: dict[str, list[str]] = field(default_factory=dict)

    def preferred(self, lang: str = "en") -> str:
        """Preferred label in ``lang`` or, failing that, any first label."""
        for candidate in (lang, "en", "ru", "kk"):
            if self.labels.get(candidate):
                return self.labels[candidate][0]
        for values in self.labels.values():
            if values:
                return values[0]
        return self.id


@dataclass
class IscoGroup:
    """An ISCO-08 group (1-4 digits) with labels; a title may name a group, not an occupation."""

    code: str
    labels: dict[str, list[str]] = field(default_factory=dict)


def _add_label(labels: dict[str, list[str]], lang: str, label: str, preferred: bool = False) -> None:
    label = " ".join(label.split())
    if not label:
        return
    values = labels.setdefault(lang, [])
    if label in values:
        if preferred and values[0] != label:
            values.remove(label)
            values.insert(0, label)
        return
    if preferred:
        values.insert(0, label)
    else:
        values.append(label)


@dataclass
class Taxonomy:
    """Occupations, skills and ISCO groups, indexed by id/code."""

    occupations: dict[str, Occupation] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    groups: dict[str, IscoGroup] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    # ---- building -----------------------------------------------------------------
    def add_occupation(self, occ_id: str, isco: str, lang: str, labels: Iterable[str]) -> Occupation:
        """Create or extend an occupation; the first label given for a new language is preferred."""
        occ = self.occupations.get(occ_id)
        if occ is None:
            occ = Occupation(id=occ_id, isco=isco)
            self.occupations[occ_id] = occ
        elif isco and not occ.isco:
            occ.isco = isco
        first = lang not in occ.labels
        for i, label in enumerate(labels):
            _add_label(occ.labels, lang, label, preferred=first and i == 0)
        return occ

    def add_skill(self, skill_id: str, lang: str, labels: Iterable[str]) -> Skill:
        """Create or extend a skill; the first label given for a new language is preferred."""
        skill = self.skills.get(skill_id)
        if skill is None:
            skill = Skill(id=skill_id)
            self.skills[skill_id] = skill
        first = lang not in skill.labels
        for i, label in enumerate(labels):
            _add_label(skill.labels, lang, label, preferred=first and i == 0)
        return skill

    def add_group_labels(self, code: str, lang: str, labels: Iterable[str]) -> IscoGroup:
        """Create or extend an ISCO group."""
        group = self.groups.get(code)
        if group is None:
            group = IscoGroup(code=code)
            self.groups[code] = group
        first = lang not in group.labels
        for i, label in enumerate(labels):
            _add_label(group.labels, lang, label, preferred=first and i == 0)
        return group

    def merge(self, other: Taxonomy) -> Taxonomy:
        """Merge ``other`` into self (labels and links are unioned); returns self."""
        for occ in other.occupations.values():
            for lang, labels in occ.labels.items():
                mine = self.add_occupation(occ.id, occ.isco, lang, labels)
            if occ.id not in self.occupations:
                mine = self.add_occupation(occ.id, occ.isco, "en", [])
            mine = self.occupations[occ.id]
            for s in occ.essential:
                if s not in mine.essential:
                    mine.essential.append(s)
            for s in occ.optional:
                if s not in mine.optional and s not in mine.essential:
                    mine.optional.append(s)
        for skill in other.skills.values():
            if skill.id not in self.skills:
                self.skills[skill.id] = Skill(id=skill.id)
            for lang, labels in skill.labels.items():
                self.add_skill(skill.id, lang, labels)
        for group in other.groups.values():
            if group.code not in self.groups:
                self.groups[group.code] = IscoGroup(code=group.code)
            for lang, labels in group.labels.items():
                self.add_group_labels(group.code, lang, labels)
        self.sources.extend(s for s in other.sources if s not in self.sources)
        return self

    def remove_labels(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Remove ``(occupation id, label)`` pairs in every language (for held-out evaluation)."""
        by_occ: dict[str, set[str]] = {}
        for occ_id, label in pairs:
            by_occ.setdefault(occ_id, set()).add(" ".join(label.split()))
        removed = 0
        for occ_id, labels in by_occ.items():
            occ = self.occupations.get(occ_id)
            if occ is None:
                continue
            for lang in list(occ.labels):
                kept = [lab for lab in occ.labels[lang] if lab not in labels]
                removed += len(occ.labels[lang]) - len(kept)
                occ.labels[lang] = kept
        return removed

    def drop_unlabelled_occupations(self) -> int:
        """Remove occupations that have neither a label nor an ISCO code (link-only stubs)."""
        stubs = [k for k, o in self.occupations.items() if not o.isco and not any(o.labels.values())]
        for k in stubs:
            del self.occupations[k]
        return len(stubs)

    def ensure_unit_occupations(self) -> None:
        """Give every labelled unit group without occupations a generic occupation.

        A title can name a unit group (e.g. from ``isco_groups.tsv``) even when no
        occupation of that group is loaded; the generic node keeps it matchable.
        """
        units_with_occ = {o.isco for o in self.occupations.values() if o.isco}
        for code, group in self.groups.items():
            if len(code) == 4 and code not in units_with_occ and group.labels:
                occ_id = f"{ISCO_URI_PREFIX}{code}"
                if occ_id not in self.occupations:
                    self.occupations[occ_id] = Occupation(
                        id=occ_id, isco=code, labels={k: list(v) for k, v in group.labels.items()}
                    )

    # ---- serialisation ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (JSON-serialisable); the Django side can produce the same."""
        return {
            "sources": list(self.sources),
            "occupations": [
                {
                    "id": o.id,
                    "isco": o.isco,
                    "labels": o.labels,
                    "essential": o.essential,
                    "optional": o.optional,
                }
                for o in self.occupations.values()
            ],
            "skills": [{"id": s.id, "labels": s.labels} for s in self.skills.values()],
            "groups": [{"code": g.code, "labels": g.labels} for g in self.groups.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        """Inverse of :meth:`to_dict`."""
        tax = cls(sources=list(data.get("sources", [])))
        for o in data.get("occupations", []):
            tax.occupations[o["id"]] = Occupation(
                id=o["id"],
                isco=o.get("isco", "") or "",
                labels={k: list(v) for k, v in o.get("labels", {}).items()},
                essential=list(o.get("essential", [])),
                optional=list(o.get("optional", [])),
            )
        for s in data.get("skills", []):
            tax.skills[s["id"]] = Skill(
                id=s["id"], labels={k: list(v) for k, v in s.get("labels", {}).items()}
            )
        for g in data.get("groups", []):
            tax.groups[g["code"]] = IscoGroup(
                code=g["code"], labels={k: list(v) for k, v in g.get("labels", {}).items()}
            )
        return tax

    def save_json(self, path: str | os.PathLike[str]) -> None:
        """Write the plain-dict form as gzip JSON."""
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False)

    @classmethod
    def load_json(cls, path: str | os.PathLike[str]) -> Taxonomy:
        """Read what :meth:`save_json` wrote."""
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            return cls.from_dict(json.load(fh))


# ---- ESCO CSV readers (usable on their own, e.g. by a Django import command) ---------


def _zip_rows(zip_path: str | os.PathLike[str], member_suffix: str) -> Iterator[dict[str, str]]:
    with zipfile.ZipFile(zip_path) as zf:
        names = [n for n in zf.namelist() if n.rsplit("/", 1)[-1] == member_suffix]
        if not names:
            raise FileNotFoundError(f"{member_suffix} not in {zip_path}")
        with zf.open(names[0]) as raw:
            yield from csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))


def _split_lines(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("\n") if v.strip()]


def read_esco_occupations(zip_path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield ``{uri, isco, code, preferred, alt, hidden, description}`` from occupations_en.csv."""
    for row in _zip_rows(zip_path, "occupations_en.csv"):
        yield {
            "uri": row["conceptUri"],
            "isco": (row.get("iscoGroup") or "").strip(),
            "code": (row.get("code") or "").strip(),
            "preferred": (row.get("preferredLabel") or "").strip(),
            "alt": _split_lines(row.get("altLabels")),
            "hidden": _split_lines(row.get("hiddenLabels")),
            "description": (row.get("description") or "").strip(),
        }


def read_esco_skills(zip_path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield ``{uri, preferred, alt, hidden, skill_type, reuse_level, description}`` from skills_en.csv."""
    for row in _zip_rows(zip_path, "skills_en.csv"):
        yield {
            "uri": row["conceptUri"],
            "preferred": (row.get("preferredLabel") or "").strip(),
            "alt": _split_lines(row.get("altLabels")),
            "hidden": _split_lines(row.get("hiddenLabels")),
            "skill_type": (row.get("skillType") or "").strip(),
            "reuse_level": (row.get("reuseLevel") or "").strip(),
            "description": (row.get("description") or "").strip(),
        }


def read_esco_isco_groups(zip_path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Yield ``{uri, code, preferred, alt, description}`` from ISCOGroups_en.csv."""
    for row in _zip_rows(zip_path, "ISCOGroups_en.csv"):
        yield {
            "uri": row["conceptUri"],
            "code": (row.get("code") or "").strip(),
            "preferred": (row.get("preferredLabel") or "").strip(),
            "alt": _split_lines(row.get("altLabels")),
            "description": (row.get("description") or "").strip(),
        }


def read_esco_occupation_skill_relations(zip_path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    """Yield ``{occupation_uri, skill_uri, relation ('essential'|'optional'), skill_type}``."""
    for row in _zip_rows(zip_path, "occupationSkillRelations.csv"):
        yield {
            "occupation_uri": row["occupationUri"],
            "skill_uri": row["skillUri"],
            "relation": row["relationType"],
            "skill_type": row.get("skillType", ""),
        }


def read_esco_broader_occupations(zip_path: str | os.PathLike[str]) -> Iterator[dict[str, str]]:
    """Yield ``{uri, type, broader_uri, broader_type}`` from broaderRelationsOccPillar.csv."""
    for row in _zip_rows(zip_path, "broaderRelationsOccPillar.csv"):
        yield {
            "uri": row["conceptUri"],
            "type": row.get("conceptType", ""),
            "broader_uri": row["broaderUri"],
            "broader_type": row.get("broaderType", ""),
        }


def esco_paths(esco_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Locate the two ESCO zips under ``$ESCO_DIR`` (the matching-eval-data folder or the zips' folder)."""
    base = Path(esco_dir)
    for cand in (base, base / "esco-v1.1.1", base.parent):
        c = cand / Path(ESCO_CLASSIFICATION_ZIP).name
        r = cand / Path(ESCO_RELATIONS_ZIP).name
        if c.exists() and r.exists():
            return c, r
    raise FileNotFoundError(f"ESCO zips not found under {esco_dir}")


def load_esco(classification_zip: str | os.PathLike[str], relations_zip: str | os.PathLike[str]) -> Taxonomy:
    """Build a :class:`Taxonomy` from the ESCO v1.1.1 CSV release (English labels)."""
    tax = Taxonomy(sources=["esco-v1.1.1"])
    for row in read_esco_occupations(classification_zip):
        tax.add_occupation(row["uri"], row["isco"], "en", [row["preferred"], *row["alt"]])
    for row in read_esco_skills(classification_zip):
        tax.add_skill(row["uri"], "en", [row["preferred"], *row["alt"]])
    for row in read_esco_isco_groups(classification_zip):
        if row["code"]:
            tax.add_group_labels(row["code"], "en", [row["preferred"], *row["alt"]])
    for rel in read_esco_occupation_skill_relations(relations_zip):
        occ = tax.occupations.get(rel["occupation_uri"])
        if occ is None or rel["skill_uri"] not in tax.skills:
            continue
        target = occ.essential if rel["relation"] == "essential" else occ.optional
        target.append(rel["skill_uri"])
    return tax


# ---- MELO labels ----------------------------------------------------------------------


def read_melo_labels(melo_dir: str | os.PathLike[str]) -> Iterator[tuple[str, str, str]]:
    """Yield ``(concept_uri, lang, label)`` from every MELO ``*_c_<lang>`` corpus.

    Only ``corpus_elements`` and ``concept_mapping`` are read (ESCO labels); queries and
    annotations are evaluation data and are never opened here.
    """
    base = Path(melo_dir)
    seen: set[tuple[str, str]] = set()
    for ds in sorted(p for p in base.iterdir() if p.is_dir() and "_c_" in p.name):
        lang = ds.name.rsplit("_c_", 1)[1]
        mapping: dict[str, str] = {}
        with gzip.open(ds / "concept_mapping.tsv.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    mapping[parts[0]] = parts[1]
        with gzip.open(ds / "corpus_elements.tsv.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2 or parts[0] not in mapping:
                    continue
                uri, label = mapping[parts[0]], parts[1].strip()
                key = (uri, lang + "\t" + label)
                if label and key not in seen:
                    seen.add(key)
                    yield uri, lang, label


def add_melo_labels(
    tax: Taxonomy, melo_dir: str | os.PathLike[str], skip_langs: Iterable[str] = ("en",)
) -> int:
    """Add MELO labels of known occupations / ISCO groups to ``tax``; returns the count added."""
    skip = set(skip_langs)
    added = 0
    for uri, lang, label in read_melo_labels(melo_dir):
        if lang in skip:
            continue
        if uri.startswith(ISCO_URI_PREFIX):
            code = uri[len(ISCO_URI_PREFIX) :]
            tax.add_group_labels(code, lang, [label])
            added += 1
        elif uri in tax.occupations:
            occ = tax.occupations[uri]
            tax.add_occupation(uri, occ.isco, lang, [label])
            added += 1
    if "melo" not in tax.sources:
        tax.sources.append("melo")
    return added


# ---- project files (matching/data) -----------------------------------------------------


def _split_alt(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(" | ") if v.strip()]


def _read_tsv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        yield from csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)


def load_project_taxonomy(data_dir: str | os.PathLike[str]) -> Taxonomy:
    """Read ``isco_groups.tsv``, ``occupations.tsv``, ``skills.tsv``, ``local_skills.tsv`` and
    ``starter_taxonomy.json`` when present.

    Each file is optional. Occupation rows without an ESCO URI become labels of their
    ISCO unit group (so they match every occupation of that group); a row may instead name an
    occupation of the starter file that ESCO lacks (``project:occupation:<key>``).
    """
    base = Path(data_dir)
    tax = Taxonomy(sources=["project"])
    groups = base / "isco_groups.tsv"
    if groups.exists():
        for row in _read_tsv(groups):
            code = (row.get("code") or "").strip()
            if code:
                tax.add_group_labels(
                    code,
                    (row.get("lang") or "ru").strip(),
                    [row.get("preferred") or "", *_split_alt(row.get("alt") or "")],
                )
    occs = base / "occupations.tsv"
    named: dict[str, set[str]] = {}  # normalised ru/kk label -> the occupations the file gives it
    if occs.exists():
        for row in _read_tsv(occs):
            uri = (row.get("esco_uri") or "").strip()
            isco = (row.get("isco") or "").strip()
            lang = (row.get("lang") or "ru").strip()
            labels = [row.get("preferred") or "", *_split_alt(row.get("alt") or "")]
            if uri:
                tax.add_occupation(uri, isco, lang, labels)
                for label in labels:
                    named.setdefault(normalize_title(label), set()).add(uri)
            elif isco:
                tax.add_group_labels(isco, lang, labels)
    # the starter taxonomy first: its curated labels stay preferred where skills.tsv adds more
    starter = base / "starter_taxonomy.json"
    if starter.exists():
        with open(starter, encoding="utf-8") as fh:
            data = json.load(fh)
        skill_ids: dict[str, str] = {}
        for s in data.get("skills", []):
            sid = s.get("esco_uri") or f"project:skill:{s['key']}"
            skill_ids[s["key"]] = sid
            for lang, labels in (s.get("labels") or {}).items():
                tax.add_skill(sid, lang, labels)
        for o in data.get("occupations", []):
            oid = o.get("esco_uri") or f"project:occupation:{o['key']}"
            occ = tax.add_occupation(oid, str(o.get("isco") or ""), "en", [])
            for lang, labels in (o.get("labels") or {}).items():
                if lang in ("ru", "kk"):
                    # the demo's broad labels («продавец», «главный бухгалтер», «дворник») do not
                    # tie the occupation the label file gives them with another
                    labels = [lb for lb in labels if oid in named.get(normalize_title(lb), {oid})]
                tax.add_occupation(oid, occ.isco, lang, labels)
            for key in o.get("essential", []):
                sid = skill_ids.get(key, key)
                if sid not in occ.essential:
                    occ.essential.append(sid)
            for key in o.get("optional", []):
                sid = skill_ids.get(key, key)
                if sid not in occ.optional and sid not in occ.essential:
                    occ.optional.append(sid)
    skills = base / "skills.tsv"
    if skills.exists():
        # the project's ru/kk labels of ESCO skills (the ones essential to the most occupations)
        for row in _read_tsv(skills):
            uri = (row.get("esco_uri") or "").strip()
            if uri:
                labels = [row.get("preferred") or "", *_split_alt(row.get("alt") or "")]
                tax.add_skill(uri, (row.get("lang") or "ru").strip(), labels)
    local = base / "local_skills.tsv"
    if local.exists():
        # skills of Kazakhstan's labour market that ESCO lacks ("1С:Бухгалтерия", "вахта", ...),
        # essential to the ESCO occupations listed (links to occupations absent here are dropped
        # by ``drop_unlabelled_occupations`` after the merge with ESCO)
        for row in _read_tsv(local):
            key = (row.get("key") or "").strip()
            if not key:
                continue
            sid = f"project:skill:{key}"
            tax.add_skill(
                sid,
                (row.get("lang") or "ru").strip(),
                [row.get("preferred") or "", *_split_alt(row.get("alt") or "")],
            )
            for uri in (row.get("essential_for") or "").split():
                occ = tax.occupations.get(uri) or tax.add_occupation(uri, "", "en", [])
                if sid not in occ.essential:
                    occ.essential.append(sid)
    # drop empty label lists left by add_occupation(..., [])
    for occ in tax.occupations.values():
        occ.labels = {k: v for k, v in occ.labels.items() if v}
    return tax
