"""Read the project's own occupation labels back through the engine, as titles.

Each row of ``matching/data/occupations.tsv`` gives its preferred label and its first
alternatives; each is encoded as a title-only profile, and the engine's best occupation should be
the row's (its ESCO URI, or an occupation of its ISCO unit group). A label that lands in another
unit group is either a neighbour by design (several rows share a word) or a false friend that
outvotes the project's reading (a Bulgarian MELO label, an occupation whose labels all look
alike). No test set is read: this measures the label files against the engine only.

    ESCO_DIR=/work/shared/matching-eval-data python -m matching.bench.selfcheck [--alternatives 3] [--list]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matching.engine import RecordEncoder, SeekerRecord, load_encoder
from matching.engine.index import encode_inputs
from matching.engine.loading import PROJECT_DATA_DIR
from matching.engine.taxonomy import _read_tsv, _split_alt

OCCUPATIONS = PROJECT_DATA_DIR / "occupations.tsv"


@dataclass(frozen=True)
class Miss:
    """A project label whose best occupation is outside its row's unit group."""

    isco: str  # the row's unit group
    label: str
    got: str  # the engine's best occupation (English name)
    got_isco: str


def rows(path: Path = OCCUPATIONS) -> list[dict[str, str]]:
    """The rows of the project's occupation label file, read as the taxonomy loader reads them."""
    return list(_read_tsv(path))


def check(
    encoder: RecordEncoder, table: Sequence[dict[str, str]], alternatives: int = 3
) -> tuple[int, list[Miss]]:
    """(labels read, the ones whose best occupation is outside their row's unit group)."""
    t = encoder.t
    titles = [(r, label) for r in table for label in [r["preferred"], *_split_alt(r["alt"])[:alternatives]]]
    encoded = encoder.encode_batch(
        [encode_inputs(SeekerRecord(id=str(i), title=label)) for i, (_, label) in enumerate(titles)]
    )
    misses = []
    for (r, label), rec in zip(titles, encoded, strict=True):
        if not rec.occ:
            misses.append(Miss(r["isco"], label, "", ""))
            continue
        best = rec.occ[0][0]
        if t.occ_ids[best] == r["esco_uri"] or t.occ_isco[best] == r["isco"]:
            continue
        misses.append(Miss(r["isco"], label, t.occ_names[best], t.occ_isco[best]))
    return len(titles), misses


def main(argv: list[str] | None = None) -> int:
    """Print how many labels read back outside their unit group (``--list``: which)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--alternatives", type=int, default=3, help="alternative labels read per row")
    ap.add_argument("--list", action="store_true", help="print every label that reads back elsewhere")
    args = ap.parse_args(argv)
    encoder = load_encoder(os.environ.get("ESCO_DIR") or None)
    total, misses = check(encoder, rows(), args.alternatives)
    if args.list:
        for m in misses:
            print(f"{m.isco}\t{m.label}\t{m.got_isco}\t{m.got}")
    share = len(misses) / total if total else 0.0
    print(
        f"labels read back: {total}; outside their unit group: {len(misses)} ({share:.1%})", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
