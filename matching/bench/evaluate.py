"""In-process evaluation over several bench directories (for tuning; the CLI is matching.benchmark).

Loads the taxonomy once, builds each index, ranks every query and scores with the bench's
own ``score.py`` (imported from ``--scorer``), printing nDCG@10 / MRR@10 / Recall@100 and
nDCG@10 per slice (English vs other-language titles, title-only queries).

    python -m matching.bench.evaluate /work/shared/matching-bench/dev /tmp/mv/hard /tmp/mv/kz \
        [--config '{"temperature": 0.05}'] [--directions s2v v2s]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from matching.benchmark import read_jsonl, to_seeker, to_vacancy
from matching.engine import EngineConfig, MatchIndex, RecordEncoder, load_encoder
from matching.engine.index import encode_inputs, rank_encoded
from matching.engine.normalize import normalize_title

DEFAULT_SCORER = "/work/shared/matching-bench/score.py"


def _scorer(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("bench_score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load scorer {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def record_slices(rec: dict[str, Any], project_titles: set[str] | None = None) -> list[str]:
    """Slices a query record counts in: language of the title, and what the record gives.

    With ``project_titles`` (normalised labels of the project's own files), a ru/kk record
    also counts as ``title=in_labels`` or ``title=outside_labels``.
    """
    lang = rec.get("lang") or "en"
    out = ["lang=" + ("en" if lang == "en" else "other")]
    if project_titles is not None and lang != "en" and lang[:2] in ("ru", "kk"):
        inside = normalize_title(rec.get("title") or "") in project_titles
        out.append("title=" + ("in_labels" if inside else "outside_labels"))
    if lang in ("ru", "kk", "bg", "ru-lat", "kk-plain"):
        out.append("lang=" + lang)
    if lang.startswith("kk"):
        out.append("lang=kk*")
    elif lang.startswith("ru"):
        out.append("lang=ru*")
    text = rec.get("summary") or rec.get("description")
    if rec.get("skills"):
        out.append("kind=skills_listed")
    elif text:
        out.append("kind=prose_only")
    else:
        out.append("kind=title_only")
    if not rec.get("skills") and not text:
        out.append("title_only")
    return out


def project_title_labels() -> set[str]:
    """Normalised occupation/group labels of the project's own files (see ``overlap``)."""
    from matching.bench.overlap import project_title_labels as labels

    return labels()


def run_direction(
    encoder: RecordEncoder, bench: Path, direction: str, top: int = 100
) -> tuple[dict[str, list[str]], float, list[float], dict[str, dict[str, Any]]]:
    """Rank one direction of one bench dir; returns run, build seconds, latencies, raw query records."""
    vac_raw = list(read_jsonl(bench / "vacancies.jsonl.gz"))
    seek_raw = list(read_jsonl(bench / "seekers.jsonl.gz"))
    if direction == "s2v":
        docs: list[Any] = [to_vacancy(d) for d in vac_raw]
        queries: list[Any] = [to_seeker(d) for d in seek_raw]
        raw = {d["id"]: d for d in seek_raw}
        kind = "vacancy"
    else:
        docs = [to_seeker(d) for d in seek_raw]
        wanted = [
            x.strip() for x in open(bench / "queries_vacancy_to_seeker.txt", encoding="utf-8") if x.strip()
        ]
        by_id = {d["id"]: d for d in vac_raw}
        queries = [to_vacancy(by_id[w]) for w in wanted if w in by_id]
        raw = {w: by_id[w] for w in wanted if w in by_id}
        kind = "seeker"
    t0 = time.perf_counter()
    index = MatchIndex(kind, encoder)  # type: ignore[arg-type]
    index.build(docs)
    build = time.perf_counter() - t0
    encoder.clear_memo()
    run: dict[str, list[str]] = {}
    lat = []
    for q in queries:
        ts = time.perf_counter()
        enc = encoder.encode_batch([encode_inputs(q)])[0]
        matches = rank_encoded(index, enc, None, top, explain=False)
        lat.append((time.perf_counter() - ts) * 1000)
        run[str(q.id)] = [str(m.id) for m in matches]
    return run, build, lat, raw


def main(argv: list[str] | None = None) -> int:
    """Evaluate; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("benches", nargs="+")
    ap.add_argument("--config", default="{}")
    ap.add_argument("--directions", nargs="+", default=["s2v", "v2s"])
    ap.add_argument("--scorer", default=DEFAULT_SCORER)
    ap.add_argument("--json-out")
    args = ap.parse_args(argv)
    score = _scorer(args.scorer)
    config = EngineConfig.from_dict(json.loads(args.config))
    esco_dir = os.environ.get("ESCO_DIR") or None
    results = []
    base_tindex = None
    project_titles = project_title_labels()
    for b in args.benches:
        bench = Path(b)
        exclude = bench / "exclude_labels.tsv"
        if exclude.exists():
            encoder = load_encoder(esco_dir, config=config, exclude_labels=exclude)
        else:
            if base_tindex is None:
                base_tindex = load_encoder(esco_dir, config=config).t
            encoder = RecordEncoder(base_tindex, config)
        for direction in args.directions:
            qrels_file = bench / (
                "qrels_seeker_to_vacancy.tsv" if direction == "s2v" else "qrels_vacancy_to_seeker.tsv"
            )
            run, build, lat, raw = run_direction(encoder, bench, direction)
            qrels = score.read_qrels(str(qrels_file))
            m = score.evaluate(qrels, run)
            slices: dict[str, list[float]] = defaultdict(list)
            for qid, rel in qrels.items():
                rec = raw.get(qid)
                if rec is None:
                    continue
                nd = score.ndcg_at_k(run.get(qid, []), rel, 10)
                for name in record_slices(rec, project_titles):
                    slices[name].append(nd)
            row = {
                "bench": bench.name,
                "direction": direction,
                **{k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()},
                "build_s": round(build, 2),
                "p50_ms": round(float(np.percentile(lat, 50)), 2),
                "p95_ms": round(float(np.percentile(lat, 95)), 2),
                "slices": {k: (round(float(np.mean(v)), 4), len(v)) for k, v in sorted(slices.items())},
            }
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
