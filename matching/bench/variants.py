"""Generate harder benchmark variants from ESCO (+ MELO labels), with known ground truth.

The dev split uses taxonomy labels as titles, so an engine that looks labels up scores
~0.99 there. These variants look more like what people type:

* ``hard``: titles that are *not* taxonomy labels (decorated "Senior X (m/f/d) – Almaty",
  abbreviated, word order changed, a word dropped, misspelt, case changed), half of
  the seekers' titles in another MELO language, 25 % title-only seekers, skills
  often only in the free text and sometimes misspelt.
* ``holdout``: the title of every record is a label that is *removed from the
  taxonomy* for the run (``exclude_labels.tsv``; pass it with ``--exclude-labels``), i.e.
  a synonym the engine has never seen, lightly decorated; skills as in ``hard``.
* ``kz``: the Russian/Kazakh titles of ``matching/bench/kz_titles.tsv`` as title-only
  seekers against English vacancies built as in dev.
* ``kzpost``, ``kzhard``, ``kzblind``: the hand-written ru/kk postings of ``kz_postings.tsv``,
  ``kz_postings_hard.tsv`` (plus a noisy copy of each) and ``kz_postings_blind.tsv`` mixed into
  English dev-style pools (``KZ_TITLES.md`` says how each was written).
* ``kzblind2``: ``kz_postings_blind2.tsv``, a second blind set, in a pool twice as large
  (20,000 vacancies by default, as the issue's hidden postings set); the rows of writers c3
  and c4 are held out, read only as totals.
* ``kzblind3``: ``kz_postings_blind3.tsv``, a third blind set cut by region and sector, in the
  same 20,000-vacancy pool size; the rows of writers d3 and d4 are held out.
* ``kzblind4``: ``kz_postings_blind4.tsv``, a fourth blind set cut by where a record is written
  (the state job bank, messengers and classified ads, professional job boards, resettlement and
  rotation work), in the same pool size; the rows of writers e3 and e4 are held out.

Every variant directory has the bench files: ``vacancies.jsonl.gz``, ``seekers.jsonl.gz``,
``qrels_seeker_to_vacancy.tsv``, ``queries_vacancy_to_seeker.txt``,
``qrels_vacancy_to_seeker.tsv``. Grades: 3 same occupation, 2 same ISCO unit group,
1 same minor group. Output goes to a temporary directory, never into the repository.

    python -m matching.bench.variants --out /tmp/matching-variants [--vacancies 10000 --seekers 1500]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matching.engine.normalize import normalize_title
from matching.engine.taxonomy import (
    esco_paths,
    read_esco_occupation_skill_relations,
    read_esco_occupations,
    read_esco_skills,
    read_melo_labels,
)

KZ_TITLES = Path(__file__).resolve().parent / "kz_titles.tsv"
KZ_POSTINGS = Path(__file__).resolve().parent / "kz_postings.tsv"
KZ_POSTINGS_HARD = Path(__file__).resolve().parent / "kz_postings_hard.tsv"
KZ_POSTINGS_BLIND = Path(__file__).resolve().parent / "kz_postings_blind.tsv"
KZ_POSTINGS_BLIND2 = Path(__file__).resolve().parent / "kz_postings_blind2.tsv"
KZ_POSTINGS_BLIND3 = Path(__file__).resolve().parent / "kz_postings_blind3.tsv"
KZ_POSTINGS_BLIND4 = Path(__file__).resolve().parent / "kz_postings_blind4.tsv"

ABBREVIATIONS = {
    "manager": "mgr",
    "assistant": "asst",
    "engineer": "eng.",
    "technician": "tech",
    "administrator": "admin",
    "operator": "op.",
    "specialist": "spec.",
    "representative": "rep",
    "supervisor": "supv.",
    "department": "dept",
    "development": "dev",
    "international": "intl",
    "director": "dir.",
    "coordinator": "coord.",
    "consultant": "cons.",
    "accountant": "acct",
    "senior": "sr",
    "junior": "jr",
    "officer": "off.",
    "information": "info",
    "technology": "tech",
    "customer": "cust.",
    "associate": "assoc.",
    "mechanic": "mech.",
    "maintenance": "maint.",
    "production": "prod.",
    "construction": "constr.",
}
PREFIXES = ["Senior", "Junior", "Lead", "Experienced", "Trainee", "Qualified", "Certified"]
SUFFIXES = [
    "(m/f/d)",
    "(m/w/d)",
    "(f/m/x)",
    "- Almaty",
    "– Astana",
    ", full-time",
    " - urgent",
    "/ remote",
    "required",
    "(part time)",
    "needed ASAP",
    "| Shymkent",
    "(h/f)",
]
TEXT_TEMPLATES_SEEKER = [
    "Experienced in {}.",
    "I have worked with {}.",
    "My strengths: {}.",
    "Skilled at {}.",
    "Previous duties included {}.",
    "Good knowledge of {}.",
    "Looking for a job where I can use {}.",
]
TEXT_TEMPLATES_VACANCY = [
    "We expect experience in {}.",
    "Responsibilities include {}.",
    "Key skills for this job: {}.",
    "The candidate should know {}.",
    "You will be responsible for {}.",
    "Requirements: {}.",
]
LANG_WEIGHTS = {"bg": 4.0}
KEYBOARD = "qwertyuiopasdfghjklzxcvbnm"


@dataclass
class Esco:
    occ_isco: dict[str, str]
    occ_labels: dict[str, list[str]]  # en, preferred first
    occ_essential: dict[str, list[str]]
    occ_optional: dict[str, list[str]]
    skill_labels: dict[str, list[str]]
    melo: dict[str, dict[str, list[str]]]  # uri -> lang -> labels
    all_norm_labels: set[str]


def load_esco_for_variants(esco_dir: str) -> Esco:
    """Read what the generator needs from ESCO + MELO."""
    classification, relations = esco_paths(esco_dir)
    occ_isco, occ_labels = {}, {}
    for row in read_esco_occupations(classification):
        occ_isco[row["uri"]] = row["isco"]
        occ_labels[row["uri"]] = [row["preferred"], *row["alt"]]
    skill_labels = {r["uri"]: [r["preferred"], *r["alt"]] for r in read_esco_skills(classification)}
    ess: dict[str, list[str]] = defaultdict(list)
    opt: dict[str, list[str]] = defaultdict(list)
    for rel in read_esco_occupation_skill_relations(relations):
        (ess if rel["relation"] == "essential" else opt)[rel["occupation_uri"]].append(rel["skill_uri"])
    melo: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    melo_dir = Path(esco_dir) / "melo"
    if melo_dir.is_dir():
        for uri, lang, label in read_melo_labels(melo_dir):
            if uri in occ_isco and lang != "en":
                melo[uri][lang].append(label)
    norm = {normalize_title(lab) for labs in occ_labels.values() for lab in labs}
    norm |= {normalize_title(lab) for d in melo.values() for labs in d.values() for lab in labs}
    return Esco(
        occ_isco, occ_labels, dict(ess), dict(opt), skill_labels, {k: dict(v) for k, v in melo.items()}, norm
    )


# ---- perturbations -------------------------------------------------------------------


def typo(word: str, rng: random.Random) -> str:
    """One keyboard-style edit: drop, double, swap or replace a letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("ddsr")
    if op == "d":
        return word[:i] + word[i + 1 :]
    if op == "s":
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if word[i].isascii() and word[i].isalpha():
        return word[:i] + rng.choice(KEYBOARD) + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _misspell(text: str, rng: random.Random, n: int = 1) -> str:
    words = text.split()
    long_ix = [i for i, w in enumerate(words) if len(w) >= 5]
    for i in rng.sample(long_ix, min(n, len(long_ix))):
        words[i] = typo(words[i], rng)
    return " ".join(words)


def _abbreviate(title: str, rng: random.Random) -> str:
    words = title.split()
    ix = [i for i, w in enumerate(words) if w.lower() in ABBREVIATIONS]
    if ix:
        i = rng.choice(ix)
        words[i] = ABBREVIATIONS[words[i].lower()]
    else:
        long_ix = [i for i, w in enumerate(words) if len(w) >= 8]
        if long_ix:
            i = rng.choice(long_ix)
            words[i] = words[i][: rng.randint(3, 5)] + "."
    return " ".join(words)


def _reorder(title: str, rng: random.Random) -> str:
    words = title.split()
    for sep in ("of", "for", "in"):
        if sep in words:
            k = words.index(sep)
            if 0 < k < len(words) - 1:
                return " ".join(words[k + 1 :] + words[:k])
    if len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _drop_word(title: str, rng: random.Random) -> str:
    words = title.split()
    if len(words) >= 3:
        del words[rng.randrange(len(words) - 1)]  # keep the (usually final) head noun
    return " ".join(words)


def _decorate(title: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        title = f"{rng.choice(PREFIXES)} {title}"
    if rng.random() < 0.7:
        title = f"{title} {rng.choice(SUFFIXES)}"
    return title


def _case(title: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.15:
        return title.upper()
    if r < 0.5:
        return title.title()
    return title


PERTURBATIONS: list[Callable[[str, random.Random], str]] = [_abbreviate, _reorder, _drop_word, _misspell]


def human_title(label: str, esco: Esco, rng: random.Random) -> str:
    """A title derived from ``label`` that is not itself a taxonomy label (best effort)."""
    for _ in range(6):
        t = label
        for fn in rng.sample(PERTURBATIONS, rng.randint(1, 2)):
            t = fn(t, rng)
        if rng.random() < 0.6:
            t = _decorate(t, rng)
        t = _case(t, rng)
        if normalize_title(t) not in esco.all_norm_labels:
            return t
    return _misspell(label, rng, 2)


# ---- records ---------------------------------------------------------------------------


def _skill_name(uri: str, esco: Esco, rng: random.Random, synonym_p: float) -> str:
    labels = esco.skill_labels[uri]
    if len(labels) > 1 and rng.random() < synonym_p:
        return rng.choice(labels[1:])
    return labels[0]


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _skills_and_text(
    skills: list[str], rng: random.Random, templates: list[str], text_only_p: float, misspell_p: float
) -> tuple[list[str], str]:
    skills = [(_misspell(s, rng) if rng.random() < misspell_p else s) for s in skills]
    if rng.random() < text_only_p:
        # skills only in free text, spread over one to three sentences
        chunks: list[list[str]] = [[] for _ in range(rng.randint(1, 3))]
        for s in skills:
            rng.choice(chunks).append(s)
        text = " ".join(rng.choice(templates).format(_join(c)) for c in chunks if c)
        return [], text
    mention = rng.sample(skills, min(len(skills), rng.randint(1, 3))) if skills else []
    return skills, (rng.choice(templates).format(_join(mention)) if mention else "")


def make_vacancy(
    vid: str, occ: str, esco: Esco, rng: random.Random, title: str, all_skills: list[str], hard: bool
) -> dict[str, Any]:
    """One vacancy of occupation ``occ``, skills drawn as in dev."""
    ess = esco.occ_essential.get(occ, [])
    opt = esco.occ_optional.get(occ, [])
    chosen = rng.sample(ess, max(1, round(len(ess) * rng.uniform(0.6, 1.0)))) if ess else []
    chosen += rng.sample(opt, min(len(opt), rng.randint(0, 3)))
    chosen += rng.sample(all_skills, rng.randint(0, 2))
    names = [_skill_name(s, esco, rng, 0.3) for s in chosen]
    rng.shuffle(names)
    skills, text = _skills_and_text(
        names, rng, TEXT_TEMPLATES_VACANCY, 0.3 if hard else 0.0, 0.15 if hard else 0.0
    )
    return {"id": vid, "title": title, "description": text, "skills": skills, "lang": "en"}


def make_seeker(
    sid: str,
    occ: str,
    esco: Esco,
    rng: random.Random,
    title: str,
    lang: str,
    all_skills: list[str],
    hard: bool,
) -> dict[str, Any]:
    """One seeker of occupation ``occ``; 25 % title-only in hard variants."""
    if rng.random() < (0.25 if hard else 0.2):
        return {"id": sid, "title": title, "summary": "", "skills": [], "lang": lang}
    ess = esco.occ_essential.get(occ, [])
    opt = esco.occ_optional.get(occ, [])
    chosen = rng.sample(ess, min(len(ess), rng.randint(2, 6)))
    chosen += rng.sample(opt, min(len(opt), rng.randint(0, 3)))
    chosen += rng.sample(all_skills, rng.randint(0, 2))
    names = [_skill_name(s, esco, rng, 0.8) for s in chosen]
    rng.shuffle(names)
    skills, text = _skills_and_text(
        names, rng, TEXT_TEMPLATES_SEEKER, 0.4 if hard else 0.0, 0.2 if hard else 0.0
    )
    return {"id": sid, "title": title, "summary": text, "skills": skills, "lang": lang}


def _grade(a_occ: str, a_isco: str, b_occ: str, b_isco: str) -> int:
    if a_occ and a_occ == b_occ:
        return 3
    if a_isco and a_isco == b_isco:
        return 2
    if a_isco[:3] and a_isco[:3] == b_isco[:3]:
        return 1
    return 0


def write_variant(
    out: Path,
    vacancies: list[tuple[dict[str, Any], str, str]],
    seekers: list[tuple[dict[str, Any], str, str]],
    rng: random.Random,
    n_reverse: int,
    reverse_ids: set[str] | None = None,
) -> None:
    """Write records + qrels. Each tuple is (record, occupation uri or '', isco unit).

    ``reverse_ids`` restricts the reverse queries to those vacancies (e.g. the hand-written ones).
    """
    out.mkdir(parents=True, exist_ok=True)
    order_v = list(vacancies)
    rng.shuffle(order_v)
    order_s = list(seekers)
    rng.shuffle(order_s)
    with gzip.open(out / "vacancies.jsonl.gz", "wt", encoding="utf-8") as fh:
        for rec, _, _ in order_v:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with gzip.open(out / "seekers.jsonl.gz", "wt", encoding="utf-8") as fh:
        for rec, _, _ in order_s:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(out / "truth.tsv", "w", encoding="utf-8") as fh:  # for error analysis only
        for rec, occ, isco in [*vacancies, *seekers]:
            fh.write(f"{rec['id']}\t{occ}\t{isco}\n")
    by_minor_v: dict[str, list[tuple[dict[str, Any], str, str]]] = defaultdict(list)
    for v in vacancies:
        by_minor_v[v[2][:3]].append(v)
    by_minor_s: dict[str, list[tuple[dict[str, Any], str, str]]] = defaultdict(list)
    for s in seekers:
        by_minor_s[s[2][:3]].append(s)
    with open(out / "qrels_seeker_to_vacancy.tsv", "w", encoding="utf-8") as fh:
        for rec, occ, isco in seekers:
            for vrec, vocc, visco in by_minor_v.get(isco[:3], []):
                g = _grade(occ, isco, vocc, visco)
                if g:
                    fh.write(f"{rec['id']} 0 {vrec['id']} {g}\n")
    # reverse queries: vacancies whose occupation (or unit group when the seeker side has no URI) has a seeker
    seeker_keys = {occ for _, occ, _ in seekers if occ} | {
        "unit:" + isco for _, occ, isco in seekers if not occ
    }
    eligible = [v for v in vacancies if v[1] in seeker_keys or "unit:" + v[2] in seeker_keys]
    if reverse_ids is not None:
        eligible = [v for v in eligible if v[0]["id"] in reverse_ids]
    chosen = rng.sample(eligible, min(n_reverse, len(eligible)))
    with open(out / "queries_vacancy_to_seeker.txt", "w", encoding="utf-8") as fh:
        for rec, _, _ in chosen:
            fh.write(rec["id"] + "\n")
    with open(out / "qrels_vacancy_to_seeker.tsv", "w", encoding="utf-8") as fh:
        for rec, occ, isco in chosen:
            for srec, socc, sisco in by_minor_s.get(isco[:3], []):
                g = _grade(occ, isco, socc, sisco)
                if g:
                    fh.write(f"{rec['id']} 0 {srec['id']} {g}\n")


def _pick_lang_label(uri: str, esco: Esco, rng: random.Random) -> tuple[str, str]:
    langs = list(esco.melo.get(uri, {}))
    if not langs:
        return "en", rng.choice(esco.occ_labels[uri])
    weights = [LANG_WEIGHTS.get(lang, 1.0) for lang in langs]
    lang = rng.choices(langs, weights)[0]
    return lang, rng.choice(esco.melo[uri][lang])


def gen_hard(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> None:
    """Variant ``hard`` (see module docstring)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data
    occs = sorted(o for o in esco.occ_isco if len(esco.occ_essential.get(o, [])) >= 5)
    all_skills = sorted(esco.skill_labels)
    vac = []
    for i in range(n_vac):
        occ = rng.choice(occs)
        title = human_title(rng.choice(esco.occ_labels[occ]), esco, rng)
        vac.append(
            (make_vacancy(f"hv{i:06d}", occ, esco, rng, title, all_skills, True), occ, esco.occ_isco[occ])
        )
    seek = []
    for i in range(n_seek):
        occ = rng.choice(occs)
        if rng.random() < 0.5:
            lang, label = _pick_lang_label(occ, esco, rng)
        else:
            lang, label = "en", rng.choice(esco.occ_labels[occ])
        title = human_title(label, esco, rng)
        seek.append(
            (
                make_seeker(f"hs{i:05d}", occ, esco, rng, title, lang, all_skills, True),
                occ,
                esco.occ_isco[occ],
            )
        )
    write_variant(out, vac, seek, rng, n_reverse=max(1, n_seek // 4))


def gen_holdout(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> None:
    """Variant ``holdout``: record titles are labels removed from the taxonomy for the run."""
    rng = random.Random(seed + 1)  # noqa: S311 - synthetic benchmark data
    occs = sorted(o for o in esco.occ_isco if len(esco.occ_essential.get(o, [])) >= 5)
    all_skills = sorted(esco.skill_labels)
    excluded: set[tuple[str, str]] = set()

    def take(occ: str, lang: str, labels: list[str]) -> str | None:
        # never hold out the only/first label: the occupation must stay findable
        cands = [lab for lab in labels[1:] if (occ, lab) not in excluded]
        if not cands:
            return None
        lab = rng.choice(cands)
        excluded.add((occ, lab))
        return lab

    vac: list[tuple[dict[str, Any], str, str]] = []
    i = 0
    while len(vac) < n_vac:
        occ = rng.choice(occs)
        lab = take(occ, "en", esco.occ_labels[occ])
        if lab is None:
            continue
        title = _decorate(lab, rng) if rng.random() < 0.3 else lab
        vac.append(
            (make_vacancy(f"ov{i:06d}", occ, esco, rng, title, all_skills, True), occ, esco.occ_isco[occ])
        )
        i += 1
    seek: list[tuple[dict[str, Any], str, str]] = []
    i = 0
    while len(seek) < n_seek:
        occ = rng.choice(occs)
        if rng.random() < 0.5 and esco.melo.get(occ):
            lang = rng.choices(list(esco.melo[occ]), [LANG_WEIGHTS.get(x, 1.0) for x in esco.melo[occ]])[0]
            labels = esco.melo[occ][lang]
        else:
            lang, labels = "en", esco.occ_labels[occ]
        lab = take(occ, lang, labels)
        if lab is None:
            continue
        title = _decorate(lab, rng) if rng.random() < 0.3 else lab
        seek.append(
            (
                make_seeker(f"os{i:05d}", occ, esco, rng, title, lang, all_skills, True),
                occ,
                esco.occ_isco[occ],
            )
        )
        i += 1
    write_variant(out, vac, seek, rng, n_reverse=max(1, n_seek // 4))
    with open(out / "exclude_labels.tsv", "w", encoding="utf-8") as fh:
        for occ, lab in sorted(excluded):
            fh.write(f"{occ}\t{lab}\n")


def gen_kz(esco: Esco, out: Path, n_vac: int, seed: int, titles_path: Path = KZ_TITLES) -> int:
    """Variant ``kz``: ru/kk titles (title only) against English dev-style vacancies."""
    rng = random.Random(seed + 2)  # noqa: S311 - synthetic benchmark data
    if not titles_path.exists():
        return 0
    with open(titles_path, encoding="utf-8", newline="") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            if (r.get("title") or "").strip()
        ]
    all_skills = sorted(esco.skill_labels)
    by_unit: dict[str, list[str]] = defaultdict(list)
    for o, code in esco.occ_isco.items():
        by_unit[code].append(o)
    seek = []
    wanted: list[str] = []
    for r in rows:
        uri = (r.get("esco_uri") or "").strip()
        isco = (r.get("isco") or "").strip() or esco.occ_isco.get(uri, "")
        if uri and uri not in esco.occ_isco:
            uri = ""
        if not isco:
            continue
        rec: dict[str, Any] = {
            "id": r["id"],
            "title": r["title"].strip(),
            "summary": "",
            "skills": [],
            "lang": r.get("lang", "ru"),
        }
        seek.append((rec, uri, isco))
        wanted.extend([uri] if uri else by_unit.get(isco, [])[:3])
    occs = sorted(o for o in esco.occ_isco if len(esco.occ_essential.get(o, [])) >= 5)
    vac = []
    targets = sorted(set(wanted))
    for i in range(n_vac):
        occ = targets[i % len(targets)] if i < 3 * len(targets) else rng.choice(occs)
        title = rng.choice(esco.occ_labels[occ])
        vac.append(
            (make_vacancy(f"kv{i:06d}", occ, esco, rng, title, all_skills, False), occ, esco.occ_isco[occ])
        )
    write_variant(out, vac, seek, rng, n_reverse=300)
    return len(seek)


def read_postings(path: Path = KZ_POSTINGS) -> list[dict[str, str]]:
    """The hand-written ru/kk postings (``kz_postings.tsv``, see ``KZ_TITLES.md``)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r.get("id")]


def _occupation_by_label(esco: Esco) -> dict[str, str]:
    """English label (preferred first, then alternative) -> occupation URI."""
    preferred = {
        labels[0].strip().casefold(): uri for uri, labels in sorted(esco.occ_labels.items()) if labels
    }
    alternative: dict[str, str] = {}
    for uri, labels in sorted(esco.occ_labels.items()):
        for label in labels[1:]:
            alternative.setdefault(label.strip().casefold(), uri)
    return {**alternative, **preferred}


def gen_kzpost(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int, path: Path = KZ_POSTINGS) -> int:
    """Variant ``kzpost``: hand-written ru/kk seekers and vacancies mixed into English dev-style pools.

    Seeker-to-vacancy: every hand-written seeker is a query over ``n_vac`` English vacancies (a third of
    them of the postings' occupations) plus the hand-written vacancies. Vacancy-to-seeker: the
    hand-written vacancies are the queries over ``n_seek`` English seekers plus the hand-written seekers.
    """
    rng = random.Random(seed + 3)  # noqa: S311 - synthetic benchmark data
    if not path.exists():
        return 0
    by_label = _occupation_by_label(esco)
    all_skills = sorted(esco.skill_labels)
    occs = sorted(o for o in esco.occ_isco if len(esco.occ_essential.get(o, [])) >= 5)
    seek: list[tuple[dict[str, Any], str, str]] = []
    vac: list[tuple[dict[str, Any], str, str]] = []
    for r in read_postings(path):
        uri = by_label.get(r["occupation"].strip().casefold(), "")
        if not uri:
            raise SystemExit(f"{r['id']}: no ESCO occupation labelled {r['occupation']!r}")
        skills = [s.strip() for s in (r.get("skills") or "").split(";") if s.strip()]
        text = (r.get("text") or "").strip()
        if r["kind"] == "seeker":
            rec = {"id": r["id"], "title": r["title"], "summary": text, "skills": skills, "lang": r["lang"]}
            seek.append((rec, uri, esco.occ_isco[uri]))
        else:
            rec = {
                "id": r["id"],
                "title": r["title"],
                "description": text,
                "skills": skills,
                "lang": r["lang"],
            }
            vac.append((rec, uri, esco.occ_isco[uri]))
    reverse = {rec["id"] for rec, _, _ in vac}
    targets = sorted({uri for _, uri, _ in [*seek, *vac]})
    for i in range(n_vac):
        occ = targets[i % len(targets)] if i < 3 * len(targets) else rng.choice(occs)
        title = rng.choice(esco.occ_labels[occ])
        vac.append(
            (make_vacancy(f"pkv{i:06d}", occ, esco, rng, title, all_skills, False), occ, esco.occ_isco[occ])
        )
    for i in range(n_seek):
        occ = targets[i % len(targets)] if i < 2 * len(targets) else rng.choice(occs)
        title = rng.choice(esco.occ_labels[occ])
        seek.append(
            (
                make_seeker(f"pks{i:05d}", occ, esco, rng, title, "en", all_skills, False),
                occ,
                esco.occ_isco[occ],
            )
        )
    write_variant(out, vac, seek, rng, n_reverse=len(reverse), reverse_ids=reverse)
    # only the hand-written seekers are seeker-to-vacancy queries
    qrels = out / "qrels_seeker_to_vacancy.tsv"
    own = {rec["id"] for rec, _, _ in seek if not rec["id"].startswith("pks")}
    lines = [ln for ln in qrels.read_text(encoding="utf-8").splitlines() if ln.split(" ", 1)[0] in own]
    qrels.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
    return len(reverse)


# ---- ru/kk noise for the hard postings --------------------------------------------------

_KK_PLAIN = str.maketrans("әіңғүұқөһӘІҢҒҮҰҚӨҺ", "аиңгуукохАИҢГУУКОХ".replace("ң", "н").replace("Ң", "Н"))
_RU_LAT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "h",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "ә": "a",
    "і": "i",
    "ң": "n",
    "ғ": "g",
    "ү": "u",
    "ұ": "u",
    "қ": "q",
    "ө": "o",
    "һ": "h",
}
_KZ_DECOR = [
    ("СРОЧНО! ", ""),
    ("Требуется ", ""),
    ("", " (без опыта)"),
    ("", " – Алматы"),
    ("", ", з/п от 250 000 тг"),
    ("", " / вахта"),
    ("Ищу работу: ", ""),
    ("", " керек!!!"),
    ("", " (Шымкент)"),
]


def _to_latin(text: str) -> str:
    """Russian/Kazakh typed on a Latin keyboard, as people do (no standard)."""
    return "".join(
        _RU_LAT.get(ch, _RU_LAT.get(ch.lower(), ch).capitalize() if ch.isupper() else ch) for ch in text
    )


def _cyr_typo(text: str, rng: random.Random, n: int) -> str:
    """``n`` typos in long words: a letter dropped, doubled or two swapped."""
    words = text.split()
    long_ix = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    for i in rng.sample(long_ix, min(n, len(long_ix))):
        w = words[i]
        j = rng.randrange(1, len(w) - 1)
        op = rng.choice("dds")
        words[i] = w[:j] + w[j + 1 :] if op == "d" else w[: j - 1] + w[j] + w[j - 1] + w[j + 1 :]
    return " ".join(words)


def noisy_posting(r: dict[str, str], rng: random.Random) -> tuple[dict[str, str], str]:
    """A harder copy of a hand-written posting and the noise applied to it.

    Kazakh loses its special letters or goes Latin; Russian goes Latin or gets typos; titles are
    decorated or shouted; listed skills are moved into the prose half of the time.
    """
    out = dict(r)
    lang = r["lang"]
    kind = rng.choice(["latin", "typos", "typos"] if lang.startswith("ru") else ["plain", "latin", "typos"])
    fields = ("title", "text", "skills")
    if kind == "plain":
        for f in fields:
            out[f] = out[f].translate(_KK_PLAIN)
        out["lang"] = "kk-plain"
    elif kind == "latin" and not lang.endswith("lat"):
        for f in fields:
            out[f] = _to_latin(out[f])
        out["lang"] = lang.split("-")[0] + "-lat"
    else:
        for f in fields:
            out[f] = _cyr_typo(out[f], rng, 1 if f == "title" else 2)
    if rng.random() < 0.5:
        pre, post = rng.choice(_KZ_DECOR)
        out["title"] = pre + out["title"] + post
    if rng.random() < 0.2:
        out["title"] = out["title"].upper()
    if out["skills"] and rng.random() < 0.5:
        out["text"] = (out["text"] + ". " + out["skills"].replace(";", ",")).strip(". ")
        out["skills"] = ""
    out["id"] = r["id"] + "n"
    return out, kind


def gen_kzhard(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> int:
    """Variant ``kzhard``: ``kz_postings_hard.tsv`` (written for issue 16's second pass, without
    looking at the label files) plus a noisy copy of every posting (:func:`noisy_posting`), mixed
    into English dev-style pools as ``kzpost`` is."""
    rng = random.Random(seed + 5)  # noqa: S311 - synthetic benchmark data
    rows = read_postings(KZ_POSTINGS_HARD)
    noisy = [noisy_posting(r, rng)[0] for r in rows]
    tmp = out.parent / (out.name + "_postings.tsv")
    out.parent.mkdir(parents=True, exist_ok=True)
    cols = ["id", "kind", "lang", "occupation", "title", "text", "skills"]
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(cols) + "\n")
        for r in [*rows, *noisy]:
            fh.write("\t".join(r[c].replace("\t", " ") for c in cols) + "\n")
    return gen_kzpost(esco, out, n_vac, n_seek, seed, path=tmp)


def gen_kzblind(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> int:
    """Variant ``kzblind``: ``kz_postings_blind.tsv`` (written for issue 16's thirteenth pass by
    writers who saw only ESCO's occupation list), mixed into English dev-style pools as ``kzpost``
    is. Its rows carry their own noise (Latin-typed Russian, Kazakh without its letters)."""
    return gen_kzpost(esco, out, n_vac, n_seek, seed + 7, path=KZ_POSTINGS_BLIND)


def gen_kzblind2(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> int:
    """Variant ``kzblind2``: ``kz_postings_blind2.tsv`` (written for issue 16's fifteenth pass
    by four writers who saw only ESCO's occupation list), mixed into a pool of ``n_vac`` English
    dev-style vacancies as ``kzpost`` is."""
    return gen_kzpost(esco, out, n_vac, n_seek, seed + 11, path=KZ_POSTINGS_BLIND2)


def gen_kzblind3(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> int:
    """Variant ``kzblind3``: ``kz_postings_blind3.tsv`` (written for issue 16's eighteenth pass
    by four writers who saw only ESCO's occupation list), mixed into a pool of ``n_vac`` English
    dev-style vacancies as ``kzpost`` is."""
    return gen_kzpost(esco, out, n_vac, n_seek, seed + 13, path=KZ_POSTINGS_BLIND3)


def gen_kzblind4(esco: Esco, out: Path, n_vac: int, n_seek: int, seed: int) -> int:
    """Variant ``kzblind4``: ``kz_postings_blind4.tsv`` (written for issue 16's twenty-second
    pass by four writers who saw only ESCO's occupation list, each for one place where such
    records are written), mixed into a pool of ``n_vac`` English dev-style vacancies as ``kzpost``
    is."""
    return gen_kzpost(esco, out, n_vac, n_seek, seed + 17, path=KZ_POSTINGS_BLIND4)


def main(argv: list[str] | None = None) -> int:
    """Generate the variants into ``--out``."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--vacancies", type=int, default=10_000)
    ap.add_argument("--seekers", type=int, default=1_500)
    ap.add_argument("--seed", type=int, default=20251127)
    ap.add_argument(
        "--only",
        nargs="*",
        default=["hard", "holdout", "kz", "kzpost", "kzhard", "kzblind", "kzblind2", "kzblind3", "kzblind4"],
    )
    args = ap.parse_args(argv)
    esco_dir = os.environ.get("ESCO_DIR")
    if not esco_dir:
        raise SystemExit("set ESCO_DIR to the matching-eval-data folder")
    out = Path(args.out)
    esco = load_esco_for_variants(esco_dir)
    if "hard" in args.only:
        gen_hard(esco, out / "hard", args.vacancies, args.seekers, args.seed)
    if "holdout" in args.only:
        gen_holdout(esco, out / "holdout", args.vacancies, args.seekers, args.seed)
    if "kz" in args.only:
        n = gen_kz(esco, out / "kz", args.vacancies, args.seed)
        print(f"kz: {n} titles")
    if "kzpost" in args.only:
        n = gen_kzpost(esco, out / "kzpost", args.vacancies, 1_000, args.seed)
        print(f"kzpost: {n} hand-written vacancies as reverse queries")
    if "kzhard" in args.only:
        n = gen_kzhard(esco, out / "kzhard", args.vacancies, 1_000, args.seed)
        print(f"kzhard: {n} hand-written vacancies (with their noisy copies) as reverse queries")
    if "kzblind" in args.only:
        n = gen_kzblind(esco, out / "kzblind", args.vacancies, 1_000, args.seed)
        print(f"kzblind: {n} hand-written vacancies as reverse queries")
    if "kzblind2" in args.only:
        n = gen_kzblind2(esco, out / "kzblind2", 2 * args.vacancies, 1_000, args.seed)
        print(f"kzblind2: {n} hand-written vacancies as reverse queries")
    if "kzblind3" in args.only:
        n = gen_kzblind3(esco, out / "kzblind3", 2 * args.vacancies, 1_000, args.seed)
        print(f"kzblind3: {n} hand-written vacancies as reverse queries")
    if "kzblind4" in args.only:
        n = gen_kzblind4(esco, out / "kzblind4", 2 * args.vacancies, 1_000, args.seed)
        print(f"kzblind4: {n} hand-written vacancies as reverse queries")
    print(f"variants written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
