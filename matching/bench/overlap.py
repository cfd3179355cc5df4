"""How much of the ru/kk test sets the project's own label files already contain.

The test sets (``kz_titles.tsv`` and the ``kz_postings*.tsv``) must measure
understanding, not lookup. This script reports, after the engine's normalisation:

* titles that equal one of the project's occupation/ISCO-group labels (``occupations.tsv``,
  ``isco_groups.tsv``), per set and language;
* typed skills (listed, or phrases between commas in the prose) that equal one of the project's
  skill labels (``skills.tsv``, ``local_skills.tsv``, ``starter_taxonomy.json``), exactly or by
  word stems.

    python -m matching.bench.overlap            # table on stdout
    python -m matching.bench.overlap --list-outside > /tmp/outside.txt   # ids of titles outside
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

from matching.engine.loading import PROJECT_DATA_DIR
from matching.engine.morphology import stem_tokens
from matching.engine.normalize import normalize_skill, normalize_title
from matching.engine.taxonomy import load_project_taxonomy

BENCH_DIR = Path(__file__).resolve().parent
_PHRASES = re.compile(r"[,;.\n]+")


def project_title_labels(data_dir: Path = PROJECT_DATA_DIR) -> set[str]:
    """Normalised occupation and ISCO-group labels of the project's own files."""
    tax = load_project_taxonomy(data_dir)
    out: set[str] = set()
    for occ in tax.occupations.values():
        for labels in occ.labels.values():
            out.update(normalize_title(x) for x in labels)
    for group in tax.groups.values():
        for labels in group.labels.values():
            out.update(normalize_title(x) for x in labels)
    out.discard("")
    return out


def project_skill_labels(data_dir: Path = PROJECT_DATA_DIR) -> tuple[set[str], set[frozenset[str]]]:
    """Normalised skill labels of the project's own files, and their stem sets."""
    tax = load_project_taxonomy(data_dir)
    exact: set[str] = set()
    stems: set[frozenset[str]] = set()
    for skill in tax.skills.values():
        for lang, labels in skill.labels.items():
            if lang not in ("ru", "kk"):
                continue
            for label in labels:
                exact.add(normalize_skill(label))
                st = frozenset(stem_tokens(label, kazakh=(lang == "kk")))
                if st:
                    stems.add(st)
    exact.discard("")
    return exact, stems


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if r.get("id")]


def main(argv: list[str] | None = None) -> int:
    """Print the overlap table (or the ids of titles outside the label files)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--list-outside", action="store_true", help="print ids of titles not in the label files")
    args = ap.parse_args(argv)
    titles = project_title_labels()
    skill_exact, skill_stems = project_skill_labels()
    sets = {
        name: _read(BENCH_DIR / name)
        for name in (
            "kz_titles.tsv",
            "kz_postings.tsv",
            "kz_postings_hard.tsv",
            "kz_postings_blind.tsv",
            "kz_postings_blind2.tsv",
            "kz_postings_blind3.tsv",
            "kz_postings_blind4.tsv",
        )
    }
    if args.list_outside:
        for rows in sets.values():
            for r in rows:
                if normalize_title(r["title"]) not in titles:
                    print(r["id"])
        return 0
    print(
        "| set | lang | titles | title equals a project label | typed skill phrases | equal a skill label | "
        "same word stems as a skill label |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, rows in sets.items():
        by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
        for r in rows:
            by_lang[r.get("lang") or "?"].append(r)
        for lang in sorted(by_lang):
            group = by_lang[lang]
            n_in = sum(normalize_title(r["title"]) in titles for r in group)
            phrases: list[str] = []
            for r in group:
                phrases.extend(s.strip() for s in (r.get("skills") or "").split(";") if s.strip())
                phrases.extend(p.strip() for p in _PHRASES.split(r.get("text") or "") if p.strip())
            kk = lang.startswith("kk")
            n_exact = sum(normalize_skill(p) in skill_exact for p in phrases)
            n_stem = sum(frozenset(stem_tokens(p, kazakh=kk)) in skill_stems for p in phrases)
            share = f"{n_in} ({n_in / len(group):.0%})"
            sk = f"{n_exact} ({n_exact / len(phrases):.0%})" if phrases else "–"
            st = f"{n_stem} ({n_stem / len(phrases):.0%})" if phrases else "–"
            print(f"| {name} | {lang} | {len(group)} | {share} | {len(phrases)} | {sk} | {st} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
