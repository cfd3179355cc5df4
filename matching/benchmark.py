"""Benchmark CLI: rank seekers<->vacancies from jsonl.gz files and write a TREC run.

    python -m matching.benchmark --vacancies DIR/vacancies.jsonl.gz --seekers DIR/seekers.jsonl.gz \
        --direction seeker-to-vacancy|vacancy-to-seeker [--queries FILE] --top 100 --out RUN.tsv

Reads only the two record files (and the queries file) plus the taxonomy: the project's
files and, when ``$ESCO_DIR`` is set, ESCO + MELO labels there (derived data cached
outside the repository). The last line printed is
``build_s=<float> p50_ms=<float> p95_ms=<float> queries=<int>``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from matching.engine import EngineConfig, MatchIndex, SeekerRecord, VacancyRecord, load_encoder
from matching.engine.index import encode_inputs, rank_encoded


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Records of a (gzipped) JSON-lines file."""
    gz = str(path).endswith(".gz")
    fh = gzip.open(path, "rt", encoding="utf-8") if gz else open(path, encoding="utf-8")
    with fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


def to_vacancy(d: dict[str, Any]) -> VacancyRecord:
    """Bench vacancy -> engine record (only title, description and skills exist)."""
    return VacancyRecord(
        id=d["id"],
        title=d.get("title") or "",
        text=d.get("description") or "",
        skills=tuple(d.get("skills") or ()),
    )


def to_seeker(d: dict[str, Any]) -> SeekerRecord:
    """Bench seeker -> engine record."""
    return SeekerRecord(
        id=d["id"],
        title=d.get("title") or "",
        text=d.get("summary") or "",
        skills=tuple(d.get("skills") or ()),
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vacancies", required=True)
    ap.add_argument("--seekers", required=True)
    ap.add_argument("--direction", required=True, choices=["seeker-to-vacancy", "vacancy-to-seeker"])
    ap.add_argument("--queries", help="query ids, one per line (default: every record of the query side)")
    ap.add_argument("--top", type=int, default=100)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-cache", action="store_true", help="rebuild the derived taxonomy arrays")
    ap.add_argument("--no-melo", action="store_true", help="do not add MELO labels")
    ap.add_argument(
        "--exclude-labels",
        help="TSV of (occupation id, label) to remove from the taxonomy (held-out evaluation)",
    )
    ap.add_argument("--config", help="JSON object overriding EngineConfig fields (for tuning)")
    ap.add_argument(
        "--explain",
        action="store_true",
        help="build, and time, everything the pages get per result: explanation, calibrated score, reason",
    )
    ap.add_argument("--latency-queries", type=int, default=0, help="time only the first N queries (0 = all)")
    args = ap.parse_args(argv)

    config = EngineConfig.from_dict(json.loads(args.config)) if args.config else EngineConfig()
    esco_dir = os.environ.get("ESCO_DIR") or None

    t0 = time.perf_counter()
    encoder = load_encoder(
        esco_dir,
        config=config,
        use_melo=not args.no_melo,
        use_cache=not args.no_cache,
        exclude_labels=args.exclude_labels,
    )
    t_tax = time.perf_counter() - t0
    print(
        f"taxonomy: {encoder.t.n_occ} occupations, {len(encoder.t.skill_ids)} skills, "
        f"{len(encoder.t.labels)} occupation labels, loaded in {t_tax:.2f}s (esco_dir={esco_dir})",
        file=sys.stderr,
    )

    vacancies = [to_vacancy(d) for d in read_jsonl(args.vacancies)]
    seekers = [to_seeker(d) for d in read_jsonl(args.seekers)]
    if args.direction == "seeker-to-vacancy":
        docs: list[Any] = vacancies
        queries: list[Any] = seekers
        kind = "vacancy"
    else:
        docs, queries, kind = seekers, vacancies, "seeker"
    if args.queries:
        wanted = [line.strip() for line in open(args.queries, encoding="utf-8") if line.strip()]
        by_id = {q.id: q for q in queries}
        queries = [by_id[w] for w in wanted if w in by_id]

    t1 = time.perf_counter()
    index = MatchIndex(kind, encoder)  # type: ignore[arg-type]
    index.build(docs)
    t_index = time.perf_counter() - t1
    build_s = t_tax + t_index
    print(f"index: {len(docs)} {kind} documents built in {t_index:.2f}s", file=sys.stderr)

    encoder.clear_memo()  # query titles must not profit from the documents' lookups
    lat: list[float] = []
    cpu: list[float] = []  # thread CPU time: honest on a machine shared with other work
    n_timed = args.latency_queries or len(queries)
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8") as fh:
        for i, q in enumerate(queries):
            ts, tc = time.perf_counter(), time.thread_time()
            enc = encoder.encode_batch([encode_inputs(q)])[0]
            matches = rank_encoded(index, enc, None, args.top, explain=args.explain)
            if args.explain:  # what a page reads of each result
                for m in matches:
                    assert m.explanation is not None and m.explanation.reason is not None
                    _ = (m.explanation.score, m.explanation.reason.skills_matched)
            if i < n_timed:
                lat.append((time.perf_counter() - ts) * 1000.0)
                cpu.append((time.thread_time() - tc) * 1000.0)
            for rank, m in enumerate(matches, start=1):
                fh.write(f"{q.id} Q0 {m.id} {rank} {m.score:.6f} matching\n")
    p50 = float(np.percentile(lat, 50)) if lat else 0.0
    p95 = float(np.percentile(lat, 95)) if lat else 0.0
    if cpu:
        print(
            f"cpu_p50_ms={float(np.percentile(cpu, 50)):.3f} cpu_p95_ms={float(np.percentile(cpu, 95)):.3f}",
            file=sys.stderr,
        )
    print(f"build_s={build_s:.3f} p50_ms={p50:.3f} p95_ms={p95:.3f} queries={len(queries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
