"""Grid search of EngineConfig on bench directories (dev-like variants, never the held-out split).

Encoding parameters (temperature, title/skill weights) need a rebuild per value; the
block weights (w_occ ... w_text) act on the query side only, so every weight setting is
scored against the same built index. Prints one JSON line per (encoding, weights) with
the mean nDCG@10 over all benches and directions.

    python -m matching.bench.tune /tmp/mv/hard /tmp/mv/holdout /tmp/mv/kz \
        --encoding '[{"temperature": 0.06}, {"temperature": 0.1}]' \
        --weights '[{}, {"w_skill": 0.4}]'
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from matching.bench.evaluate import DEFAULT_SCORER, _scorer
from matching.benchmark import read_jsonl, to_seeker, to_vacancy
from matching.engine import EngineConfig, MatchIndex, RecordEncoder, load_encoder
from matching.engine.index import encode_inputs, rank_encoded


def _load_bench(bench: Path, direction: str) -> tuple[list[Any], list[Any], str, str]:
    vac = [to_vacancy(d) for d in read_jsonl(bench / "vacancies.jsonl.gz")]
    seek = [to_seeker(d) for d in read_jsonl(bench / "seekers.jsonl.gz")]
    if direction == "s2v":
        return vac, seek, "vacancy", str(bench / "qrels_seeker_to_vacancy.tsv")
    wanted = [x.strip() for x in open(bench / "queries_vacancy_to_seeker.txt", encoding="utf-8") if x.strip()]
    by_id = {v.id: v for v in vac}
    return (
        seek,
        [by_id[w] for w in wanted if w in by_id],
        "seeker",
        str(bench / "qrels_vacancy_to_seeker.tsv"),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the grid; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("benches", nargs="+")
    ap.add_argument("--encoding", default="[{}]")
    ap.add_argument("--weights", default="[{}]")
    ap.add_argument("--directions", nargs="+", default=["s2v", "v2s"])
    ap.add_argument("--scorer", default=DEFAULT_SCORER)
    args = ap.parse_args(argv)
    score = _scorer(args.scorer)
    esco_dir = os.environ.get("ESCO_DIR") or None
    tindexes = {}
    for b in args.benches:
        ex = Path(b) / "exclude_labels.tsv"
        key = str(ex) if ex.exists() else ""
        if key not in tindexes:
            tindexes[key] = load_encoder(esco_dir, exclude_labels=ex if key else None).t
    for enc_over in json.loads(args.encoding):
        base = dataclasses.replace(EngineConfig(), **enc_over)
        table: dict[str, dict[str, float]] = {}
        for b in args.benches:
            bench = Path(b)
            ex = bench / "exclude_labels.tsv"
            encoder = RecordEncoder(tindexes[str(ex) if ex.exists() else ""], base)
            for direction in args.directions:
                docs, queries, kind, qrels_path = _load_bench(bench, direction)
                index = MatchIndex(kind, encoder)  # type: ignore[arg-type]
                index.build(docs)
                encs = encoder.encode_batch([encode_inputs(q) for q in queries])
                qrels = score.read_qrels(qrels_path)
                for w_over in json.loads(args.weights):
                    index.config = dataclasses.replace(base, **w_over)
                    run = {
                        str(q.id): [str(m.id) for m in rank_encoded(index, e, None, 100, explain=False)]
                        for q, e in zip(queries, encs, strict=True)
                    }
                    m = score.evaluate(qrels, run)
                    table.setdefault(json.dumps(w_over), {})[f"{bench.name}/{direction}"] = round(
                        m["nDCG@10"], 4
                    )
        for w, cells in table.items():
            print(
                json.dumps(
                    {
                        "encoding": enc_over,
                        "weights": json.loads(w),
                        "mean": round(float(np.mean(list(cells.values()))), 4),
                        **cells,
                    }
                ),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
