"""BM25 baseline over a bench directory, scored and sliced like ``matching.bench.evaluate``.

The bench README's ``bm25s`` baseline: one string per record (``title. text skill1; skill2``),
lower-cased word tokens, English stop words removed, no stemming, k1 = 1.5, b = 0.75. Written with
numpy/scipy so that the baseline needs no extra dependency.

    python -m matching.bench.bm25 /work/shared/matching-bench/dev /tmp/mv/kzpost
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.bench.evaluate import DEFAULT_SCORER, _scorer, project_title_labels, record_slices
from matching.benchmark import read_jsonl

_WORD = re.compile(r"\w+")
# bm25s' English stop words (the baseline's ``stopwords="en"``)
_STOP = frozenset(
    """a an and are as at be but by for if in into is it no not of on or such that the their then there
    these they this to was will with""".split()
)


def _tokens(text: str) -> list[str]:
    return [t for t in _WORD.findall(text.casefold()) if t not in _STOP]


def record_text(rec: dict[str, Any]) -> str:
    """The baseline's one string per record."""
    text = rec.get("description") or rec.get("summary") or ""
    return f"{rec.get('title', '')}. {text} {'; '.join(rec.get('skills') or [])}"


class BM25:
    """Okapi BM25 over a fixed document list."""

    def __init__(self, docs: list[str], k1: float = 1.5, b: float = 0.75) -> None:
        self.vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for i, doc in enumerate(docs):
            for tok in _tokens(doc):
                rows.append(i)
                cols.append(self.vocab.setdefault(tok, len(self.vocab)))
        tf = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(docs), len(self.vocab))
        )
        tf.sum_duplicates()
        n = len(docs)
        df = np.bincount(tf.indices, minlength=len(self.vocab)).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        lengths = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(lengths.mean()) if n else 1.0
        norm = k1 * (1.0 - b + b * lengths / max(avg, 1e-9))
        row_of = np.repeat(np.arange(n), np.diff(tf.indptr))
        tf.data = tf.data * (k1 + 1.0) / (tf.data + norm[row_of])
        self.matrix_t = (tf @ sp.diags(self.idf)).T.tocsr().astype(np.float32)

    def top(self, query: str, k: int) -> list[int]:
        """Indices of the ``k`` best documents for ``query``."""
        ids = sorted({self.vocab[t] for t in _tokens(query) if t in self.vocab})
        if not ids:
            return []
        scores = np.asarray(self.matrix_t[ids].sum(axis=0)).ravel()
        nz = np.flatnonzero(scores)
        if len(nz) > k:
            nz = nz[np.argpartition(-scores[nz], k - 1)[:k]]
        return nz[np.argsort(-scores[nz], kind="stable")].tolist()


def main(argv: list[str] | None = None) -> int:
    """Score BM25 on each bench directory, both directions, with slices."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("benches", nargs="+")
    ap.add_argument("--scorer", default=DEFAULT_SCORER)
    args = ap.parse_args(argv)
    score = _scorer(args.scorer)
    project_titles = project_title_labels()
    for b in args.benches:
        bench = Path(b)
        vac = list(read_jsonl(bench / "vacancies.jsonl.gz"))
        seek = list(read_jsonl(bench / "seekers.jsonl.gz"))
        wanted = [
            x.strip() for x in open(bench / "queries_vacancy_to_seeker.txt", encoding="utf-8") if x.strip()
        ]
        by_id = {v["id"]: v for v in vac}
        for direction, docs, queries in (
            ("s2v", vac, seek),
            ("v2s", seek, [by_id[w] for w in wanted if w in by_id]),
        ):
            t0 = time.perf_counter()
            index = BM25([record_text(d) for d in docs])
            build = time.perf_counter() - t0
            run: dict[str, list[str]] = {}
            lat = []
            for q in queries:
                ts = time.perf_counter()
                run[q["id"]] = [docs[i]["id"] for i in index.top(record_text(q), 100)]
                lat.append((time.perf_counter() - ts) * 1000)
            qfile = "qrels_seeker_to_vacancy.tsv" if direction == "s2v" else "qrels_vacancy_to_seeker.tsv"
            qrels = score.read_qrels(str(bench / qfile))
            m = score.evaluate(qrels, run)
            raw = {q["id"]: q for q in queries}
            slices: dict[str, list[float]] = defaultdict(list)
            for qid, rel in qrels.items():
                if qid in raw:
                    nd = score.ndcg_at_k(run.get(qid, []), rel, 10)
                    for name in record_slices(raw[qid], project_titles):
                        slices[name].append(nd)
            row = {
                "bench": bench.name,
                "direction": direction,
                "engine": "bm25",
                **{k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()},
                "build_s": round(build, 2),
                "p50_ms": round(float(np.percentile(lat, 50)), 2),
                "p95_ms": round(float(np.percentile(lat, 95)), 2),
                "slices": {k: (round(float(np.mean(v)), 4), len(v)) for k, v in sorted(slices.items())},
            }
            print(json.dumps(row, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
