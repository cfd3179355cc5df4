"""The searchable index over one side (vacancies or seekers) and the two-sided engine.

Every record becomes one sparse vector with four blocks: occupation distribution
(expanded up the ISCO hierarchy), IDF-weighted taxonomy skills, and hashed word TF-IDF.
The documents are stored *feature-major* (an inverted index: one CSR row of postings per
feature), so a query costs one sparse product over its own few dozen features, never a
scan of all documents. Updates go to a small delta segment plus a tombstone mask and are
visible immediately; ``compact()`` (or ``save()``) folds them into the main segment.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import math
import multiprocessing as mp
import operator
import sys
import time
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from .encoder import TEXT_FEATURES, EncodedRecord, EncodeItem, EngineConfig, RecordEncoder, TaxonomyIndex
from .normalize import normalize_skill
from .records import (
    Explanation,
    Match,
    MatchReason,
    RecordId,
    SeekerRecord,
    StructuredFactor,
    VacancyRecord,
)
from .textindex import csr_arrays, sparse_product

__all__ = ["MatchIndex", "MatchEngine", "Kind", "encode_inputs", "calibrated_score", "SCORE_THRESHOLD"]

Kind = Literal["vacancy", "seeker"]
INDEX_VERSION = 4  # 3: one .npy per array, memory-mapped on load; 4: structured values stored once
MAX_TEXT_DF = 0.2  # text terms in more than this share of documents are not indexed
MAX_DOC_VIEWS = 20_000  # documents kept decoded for explanations, per index (~4-5 kB each: <= ~100 MB)

# --- The calibrated score ---------------------------------------------------------------------
# The ranking score mixes in a text signal whose IDF depends on the indexed collection, so it
# is only comparable within one list. The score people read is computed from the pair alone:
#   occupation fit  = the occupation kernel of the pair normalised by each side's self-kernel
#                     (1.0 for the same occupation with full confidence; 3/7 for the same unit
#                     group, 1/7 for the same minor group: the graded gains 7/3/1),
#   skills fit      = the share of the vacancy's required skills the seeker has (when the
#                     vacancy lists none, the occupation fit stands in: no bonus, no penalty),
#   penalties       = the negative structured factors (other region and not moving, salary
#                     above the offer, schedule, missing language), in points.
# score = 100 * (OCC_SHARE * occupation fit + (1 - OCC_SHARE) * skills fit) + 100 * penalties,
# clipped to 0..100. It reads the hierarchy grades of the default configuration, never the
# (possibly learned) ranking weights, so learned weights re-order results without moving it.
SCORE_THRESHOLD = 40  # under this a result is not presented as a match
OCC_SHARE = 0.5
_CALIBRATION = EngineConfig()
_RELATION_CODES = (
    ("same occupation", "same_occupation"),
    ("same unit group", "same_unit_group"),
    ("same minor group", "same_minor_group"),
    ("same sub-major group", "same_sub_major_group"),
    ("different", "different"),
)


def calibrated_score(occupation_fit: float, matched: int, required: int, penalties: float) -> int:
    """The absolute 0-100 score of one pair from its pool-independent components."""
    skills_fit = matched / required if required else occupation_fit
    points = 100.0 * (OCC_SHARE * occupation_fit + (1.0 - OCC_SHARE) * skills_fit) + 100.0 * min(
        0.0, penalties
    )
    return int(round(min(100.0, max(0.0, points))))


def _relation_code(relation: str) -> str:
    for prefix, code in _RELATION_CODES:
        if relation.startswith(prefix):
            return code
    return "unknown"


@dataclass(frozen=True, slots=True)
class _Structured:
    region: str = ""
    languages: tuple[str, ...] = ()
    salary_lo: int | None = None
    salary_hi: int | None = None
    schedule: str = ""
    relocate: bool = False  # seeker: will relocate; vacancy: open to relocation
    desired_regions: tuple[str, ...] = ()

    def empty(self) -> bool:
        return not (
            self.region
            or self.languages
            or self.salary_lo
            or self.salary_hi
            or self.schedule
            or self.desired_regions
        )

    def as_list(self) -> list[Any]:
        return [
            self.region,
            list(self.languages),
            self.salary_lo,
            self.salary_hi,
            self.schedule,
            self.relocate,
            list(self.desired_regions),
        ]

    @classmethod
    def from_list(cls, v: list[Any]) -> _Structured:
        return cls(v[0], tuple(v[1]), v[2], v[3], v[4], bool(v[5]), tuple(v[6]))


def _shared(structured: Iterable[_Structured | None]) -> list[_Structured | None]:
    """One instance per distinct value, empty ones as None.

    A national index holds a million records but a few hundred thousand distinct (region,
    languages, salary, schedule) combinations: one instance each, with interned strings, instead
    of one per record. With :meth:`MatchIndex.save` storing each value once, a web worker's private
    memory at 1,000,000 seekers falls from 1.66 to 0.93 GB (docs/benchmarks.md).
    """
    seen: dict[_Structured, _Structured] = {}
    out: list[_Structured | None] = []
    for st in structured:
        if st is None or st.empty():
            out.append(None)
            continue
        kept = seen.get(st)
        if kept is None:
            kept = seen[st] = _Structured(
                sys.intern(st.region),
                tuple(sys.intern(x) for x in st.languages),
                st.salary_lo,
                st.salary_hi,
                sys.intern(st.schedule),
                st.relocate,
                tuple(sys.intern(x) for x in st.desired_regions),
            )
        out.append(kept)
    return out


def _structured(record: SeekerRecord | VacancyRecord) -> _Structured:
    if isinstance(record, SeekerRecord):
        return _Structured(
            record.region,
            tuple(record.languages),
            record.salary_expected,
            record.salary_expected,
            record.schedule,
            record.will_relocate,
            tuple(record.desired_regions),
        )
    return _Structured(
        record.region,
        tuple(record.languages),
        record.salary_min,
        record.salary_max,
        record.schedule,
        record.open_to_relocation,
        (),
    )


def encode_inputs(record: SeekerRecord | VacancyRecord) -> EncodeItem:
    """The encoder's input tuple for a record (only title, text, skills and occupation)."""
    if isinstance(record, SeekerRecord):
        return (
            record.title,
            record.text,
            tuple(record.skills),
            (),
            tuple(record.occupation_uris),
            tuple(record.occupation_codes),
        )
    req = tuple(dict.fromkeys((*record.skills, *record.required_skills)))
    return (
        record.title,
        record.text,
        req,
        tuple(record.optional_skills),
        (record.occupation_uri,) if record.occupation_uri else (),
        (record.occupation_code,) if record.occupation_code else (),
    )


def structured_factors(seeker: _Structured, vacancy: _Structured) -> list[StructuredFactor]:
    """Region/relocation, salary, schedule and language fit; each factor only when both sides say something.

    Contributions are small next to the occupation kernel (max 1.0): structured fit
    re-orders otherwise similar candidates and demotes clear mismatches, it never
    turns an unrelated occupation into a match.
    """
    out: list[StructuredFactor] = []
    if seeker.region and vacancy.region:
        if seeker.region == vacancy.region:
            out.append(StructuredFactor("region", 0.05, f"same region {vacancy.region}"))
        elif vacancy.region in seeker.desired_regions:
            out.append(StructuredFactor("region", 0.03, f"{vacancy.region} is a desired region"))
        elif seeker.relocate and vacancy.relocate:
            out.append(StructuredFactor("region", 0.0, "different region, willing to relocate"))
        elif seeker.relocate:
            out.append(StructuredFactor("region", -0.08, "different region, vacancy not open to relocation"))
        else:
            out.append(StructuredFactor("region", -0.15, "different region, not willing to relocate"))
    expected = seeker.salary_lo
    if expected and (vacancy.salary_hi or vacancy.salary_lo):
        top = vacancy.salary_hi or vacancy.salary_lo or 0
        if top and expected > top:
            gap = (expected - top) / top
            out.append(
                StructuredFactor("salary", -min(0.15, 0.3 * gap), f"expects {expected} > offered {top}")
            )
        else:
            out.append(StructuredFactor("salary", 0.02, "salary expectation within offer"))
    if seeker.schedule and vacancy.schedule:
        if seeker.schedule == vacancy.schedule:
            out.append(StructuredFactor("schedule", 0.03, f"schedule {vacancy.schedule}"))
        else:
            out.append(
                StructuredFactor("schedule", -0.05, f"wants {seeker.schedule}, offered {vacancy.schedule}")
            )
    if vacancy.languages and seeker.languages:
        missing = [lang for lang in vacancy.languages if lang not in seeker.languages]
        if missing:
            out.append(
                StructuredFactor("languages", -min(0.1, 0.05 * len(missing)), "missing " + ", ".join(missing))
            )
        else:
            out.append(StructuredFactor("languages", 0.02, "speaks the required languages"))
    return out


class _Layout:
    """Column offsets of the blocks in the shared feature space."""

    def __init__(self, t: TaxonomyIndex):
        self.n_occ = t.n_occ
        self.off_unit = self.n_occ
        self.off_minor = self.off_unit + len(t.unit_codes)
        self.off_sub = self.off_minor + len(t.minor_codes)
        self.off_skill = self.off_sub + len(t.sub_codes)
        self.off_text = self.off_skill + len(t.skill_ids)
        self.n_features = self.off_text + TEXT_FEATURES


class MatchIndex:
    """Documents of one kind, searchable by a query record of the other kind."""

    def __init__(self, kind: Kind, encoder: RecordEncoder):
        self.kind: Kind = kind
        self.encoder = encoder
        self.t = encoder.t
        self.config = encoder.config
        self.layout = _Layout(self.t)
        self.text_idf = np.ones(TEXT_FEATURES, dtype=np.float32)
        self.text_df_cut = np.zeros(0, dtype=np.int64)  # hashed terms not indexed (too common)
        self.n_docs_at_build = 0
        # main segment
        self.ids: list[RecordId] = []
        self.postings = sp.csr_matrix((self.layout.n_features, 0), dtype=np.float32)
        self.doc_occ = sp.csr_matrix((0, self.t.n_occ), dtype=np.float32)
        self.doc_skill = sp.csr_matrix((0, len(self.t.skill_ids)), dtype=np.float32)
        self.free_skills: list[tuple[str, ...]] = []
        self.structured: list[_Structured | None] = []
        self.alive = np.zeros(0, dtype=bool)
        self.row_of: dict[RecordId, int] = {}
        # delta segment: id -> (vector, encoded, structured)
        self.delta: dict[RecordId, tuple[sp.csr_matrix, EncodedRecord, _Structured]] = {}
        self._delta_ids: list[RecordId] = []
        self._delta_matrix: sp.csr_matrix | None = None
        self._views: OrderedDict[int, _DocView] = OrderedDict()  # main row -> decoded, least recent first

    # ---- vectors ------------------------------------------------------------------------
    def _block_arrays(
        self, encs: Sequence[EncodedRecord]
    ) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(row, column, value) triplets per block for a batch of encoded records.

        One vectorised path for documents and queries, so both sides use exactly the
        same arithmetic. Occupation probabilities are summed up the ISCO hierarchy;
        skills are IDF-weighted and L2-normalised per record; text terms stay raw tf
        (their IDF depends on the document collection and is applied afterwards).
        """
        t = self.t
        occ_n = np.fromiter((len(e.occ) for e in encs), dtype=np.int64, count=len(encs))
        occ_r = np.repeat(np.arange(len(encs), dtype=np.int64), occ_n)
        occ_c = np.fromiter((o for e in encs for o, _ in e.occ), dtype=np.int64, count=int(occ_n.sum()))
        occ_v = np.fromiter((p for e in encs for _, p in e.occ), dtype=np.float64, count=int(occ_n.sum()))
        out: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {"occ": (occ_r, occ_c, occ_v)}
        for name, level in (("unit", t.occ_unit), ("minor", t.occ_minor), ("sub", t.occ_sub)):
            lv = level[occ_c].astype(np.int64)
            ok = lv >= 0
            width = int(level.max()) + 1 if len(level) else 1
            keys = occ_r[ok] * width + lv[ok]
            uniq, inv = np.unique(keys, return_inverse=True)
            sums = np.bincount(inv, weights=occ_v[ok], minlength=len(uniq))
            out[name] = (uniq // width, uniq % width, sums)
        sk_n = np.fromiter((len(e.skills) for e in encs), dtype=np.int64, count=len(encs))
        sk_r = np.repeat(np.arange(len(encs), dtype=np.int64), sk_n)
        sk_c = np.fromiter((s for e in encs for s, _ in e.skills), dtype=np.int64, count=int(sk_n.sum()))
        sk_w = np.fromiter((w for e in encs for _, w in e.skills), dtype=np.float64, count=int(sk_n.sum()))
        out["skill_raw"] = (sk_r, sk_c, sk_w)
        out["skill"] = (sk_r, sk_c, _row_normalize(sk_r, sk_w * t.skill_idf[sk_c], len(encs)))
        tm_n = np.fromiter((len(e.terms) for e in encs), dtype=np.int64, count=len(encs))
        tm_r = np.repeat(np.arange(len(encs), dtype=np.int64), tm_n)
        tm_c = np.fromiter((k for e in encs for k, _ in e.terms), dtype=np.int64, count=int(tm_n.sum()))
        tm_v = np.fromiter((v for e in encs for _, v in e.terms), dtype=np.float64, count=int(tm_n.sum()))
        out["term"] = (tm_r, tm_c, tm_v)
        return out

    def _assemble(
        self, blocks: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], n_rows: int, *, query: bool
    ) -> sp.csr_matrix:
        """Weighted (query) or unweighted (document) rows in the shared feature space."""
        cfg, lay = self.config, self.layout
        tr, tc, tv = blocks["term"]
        tv = _row_normalize(tr, tv * self.text_idf[tc], n_rows)
        if not query and len(self.text_df_cut):
            keep = ~np.isin(tc, self.text_df_cut)
            tr, tc, tv = tr[keep], tc[keep], tv[keep]
        parts = [
            ("occ", 0, cfg.w_occ),
            ("unit", lay.off_unit, cfg.w_unit),
            ("minor", lay.off_minor, cfg.w_minor),
            ("sub", lay.off_sub, cfg.w_sub),
            ("skill", lay.off_skill, cfg.w_skill),
        ]
        rows = [blocks[name][0] for name, _, _ in parts] + [tr]
        cols = [blocks[name][1] + off for name, off, _ in parts] + [tc + lay.off_text]
        vals = [blocks[name][2] * (w if query else 1.0) for name, _, w in parts] + [
            tv * (cfg.w_text if query else 1.0)
        ]
        if n_rows == 1:  # a query: one row, built directly (the COO route costs ~0.3 ms)
            one = _one_row(np.concatenate(cols), np.concatenate(vals).astype(np.float32), lay.n_features)
            if one is not None:
                return one
        m = sp.csr_matrix(
            (np.concatenate(vals).astype(np.float32), (np.concatenate(rows), np.concatenate(cols))),
            shape=(n_rows, lay.n_features),
        )
        m.sum_duplicates()
        m.eliminate_zeros()
        return m

    def _doc_vector(self, enc: EncodedRecord) -> sp.csr_matrix:
        """Unweighted document vector (weights go on the query side)."""
        return self._assemble(self._block_arrays([enc]), 1, query=False)

    # ---- building ---------------------------------------------------------------------
    def build(
        self, records: Sequence[SeekerRecord | VacancyRecord], batch: int = 20_000, workers: int = 1
    ) -> None:
        """Index ``records`` from scratch.

        Records are encoded in batches and immediately reduced to arrays, so memory
        stays proportional to the index, not to Python objects per record (1M+ docs).
        Encoding is nine tenths of a build; ``workers`` > 1 spreads the batches over that
        many forked processes (:func:`_encoded_batches`), with the same arrays as one.
        """
        n = len(records)
        # Encoded in title order: each title then lands in one or two batches, so a worker's memo
        # meets most repeats of the titles it encodes and two workers rarely encode one title twice.
        order = np.array(sorted(range(n), key=lambda i: records[i].title.casefold()), dtype=np.int64)
        ordered = [records[i] for i in order]
        blocks: list[dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]] = []
        free: list[tuple[str, ...]] = [()] * n
        for start, b, chunk_free in _encoded_batches(self, ordered, batch, workers):
            blocks.append({k: (order[r + start], c, v) for k, (r, c, v) in b.items()})
            for pos, f in zip(order[start : start + len(chunk_free)].tolist(), chunk_free, strict=True):
                free[pos] = f
        merged = {
            k: tuple(np.concatenate([b[k][i] for b in blocks]) if blocks else np.zeros(0) for i in range(3))
            for k in (blocks[0] if blocks else {})
        }
        if not merged:
            empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
            merged = {k: empty for k in ("occ", "unit", "minor", "sub", "skill", "skill_raw", "term")}
        self._fit_text_idf(merged["term"][1], n)
        docs = self._assemble(merged, n, query=False)  # type: ignore[arg-type]
        occ = _triplets_csr(merged["occ"], n, self.t.n_occ)  # type: ignore[arg-type]
        skill = _triplets_csr(merged["skill_raw"], n, len(self.t.skill_ids))  # type: ignore[arg-type]
        self._set_main_matrix(
            [r.id for r in records], docs, occ, skill, free, [_structured(r) for r in records]
        )

    def _fit_text_idf(self, term_cols: np.ndarray, n_docs: int) -> None:
        df = np.bincount(term_cols, minlength=TEXT_FEATURES).astype(np.int64)
        n = max(n_docs, 1)
        self.n_docs_at_build = n_docs
        self.text_idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self.text_df_cut = np.flatnonzero(df > MAX_TEXT_DF * n) if n >= 50 else np.zeros(0, dtype=np.int64)

    def _set_main_matrix(
        self,
        ids: list[RecordId],
        docs: sp.csr_matrix,
        doc_occ: sp.csr_matrix,
        doc_skill: sp.csr_matrix,
        free: Sequence[tuple[str, ...]],
        structured: Sequence[_Structured | None],
    ) -> None:
        self.postings = docs.T.tocsr().astype(np.float32)
        self.ids = list(ids)
        self.row_of = {rid: i for i, rid in enumerate(self.ids)}
        if len(self.row_of) != len(self.ids):
            raise ValueError("duplicate record ids")
        self.doc_occ = doc_occ.astype(np.float32)
        self.doc_skill = doc_skill.astype(np.float32)
        self.free_skills = list(free)
        self.structured = _shared(structured)
        self.alive = np.ones(len(self.ids), dtype=bool)
        self.delta = {}
        self._delta_ids = []
        self._delta_matrix = None
        self._views = OrderedDict()

    # ---- incremental updates ------------------------------------------------------------
    def upsert(self, record: SeekerRecord | VacancyRecord) -> None:
        """Add or replace one record; visible to the next query (milliseconds)."""
        enc = self.encoder.encode_batch([encode_inputs(record)])[0]
        row = self.row_of.get(record.id)
        if row is not None:
            self.alive[row] = False
        self.delta[record.id] = (self._doc_vector(enc), enc, _structured(record))
        self._delta_matrix = None

    def remove(self, record_id: RecordId) -> bool:
        """Remove one record; returns whether it was present."""
        found = False
        row = self.row_of.get(record_id)
        if row is not None and self.alive[row]:
            self.alive[row] = False
            found = True
        if record_id in self.delta:
            del self.delta[record_id]
            self._delta_matrix = None
            found = True
        return found

    def __len__(self) -> int:
        return int(self.alive.sum()) + len(self.delta)

    def __contains__(self, record_id: object) -> bool:
        if record_id in self.delta:
            return True
        if not isinstance(record_id, str | int):
            return False
        row = self.row_of.get(record_id)
        return row is not None and bool(self.alive[row])

    def compact(self) -> None:
        """Fold the delta segment and tombstones into the main segment (the nightly rebuild, in place)."""
        if not self.delta and self.alive.all():
            return
        keep = np.flatnonzero(self.alive)
        docs_main = self.postings.T.tocsr()[keep]
        ids = [self.ids[i] for i in keep]
        occ_main = self.doc_occ[keep]
        skill_main = self.doc_skill[keep]
        free = [self.free_skills[i] for i in keep]
        structured: list[_Structured | None] = [self.structured[i] for i in keep]
        vecs, occ_rows, skill_rows = [], [], []
        for rid, (vec, enc, st) in self.delta.items():
            ids.append(rid)
            vecs.append(vec)
            occ_rows.append(enc.occ)
            skill_rows.append(enc.skills)
            free.append(enc.free_skills)
            structured.append(st)
        docs = sp.vstack([docs_main, *vecs], format="csr")
        occ = sp.vstack([occ_main, _rows_matrix(occ_rows, self.t.n_occ)], format="csr")
        skill = sp.vstack([skill_main, _rows_matrix(skill_rows, len(self.t.skill_ids))], format="csr")
        self._set_main_matrix(ids, docs, occ, skill, free, structured)

    # ---- querying ---------------------------------------------------------------------
    def query_vector(self, enc: EncodedRecord) -> sp.csr_matrix:
        """The weighted query vector of an encoded record."""
        return self._assemble(self._block_arrays([enc]), 1, query=True)

    def search_vector(
        self, q: sp.csr_matrix, k: int, *, among: Collection[RecordId] | None = None
    ) -> tuple[list[RecordId], np.ndarray, list[int]]:
        """Top-``k`` ids and scores for a query vector; also returns main rows (-1 for delta docs).
        ``among`` keeps the search to those ids (e.g. vacancies open to foreign specialists)."""
        res = sparse_product(q, self.postings)  # 1 x n_docs, only docs sharing a feature
        idx, vals = res.indices, res.data
        if len(idx) and not self.alive.all():
            ok = self.alive[idx]
            idx, vals = idx[ok], vals[ok]
        if among is not None:
            allowed = np.zeros(len(self.ids), dtype=bool)
            rows = [r for r in (self.row_of.get(i) for i in among) if r is not None]
            allowed[rows] = True
            ok = allowed[idx]
            idx, vals = idx[ok], vals[ok]
        cand_ids: list[RecordId] = []
        cand_rows: list[int] = []
        cand_vals: list[np.ndarray] = []
        if len(vals) > k:
            part = np.argpartition(-vals, k - 1)[:k]
            idx, vals = idx[part], vals[part]
        cand_ids.extend(self.ids[i] for i in idx.tolist())
        cand_rows.extend(idx.tolist())
        cand_vals.append(vals)
        if self.delta:
            if self._delta_matrix is None:
                self._delta_ids = list(self.delta)
                self._delta_matrix = sp.vstack([self.delta[r][0] for r in self._delta_ids], format="csr")
            dv = np.asarray((self._delta_matrix @ q.T).todense()).ravel()
            nz = np.flatnonzero(dv > 0)
            if among is not None:
                wanted = set(among)
                nz = np.array([i for i in nz.tolist() if self._delta_ids[i] in wanted], dtype=np.int64)
            cand_ids.extend(self._delta_ids[i] for i in nz.tolist())
            cand_rows.extend([-1] * len(nz))
            cand_vals.append(dv[nz].astype(np.float32))
        all_vals = np.concatenate(cand_vals) if cand_vals else np.zeros(0, dtype=np.float32)
        order = np.lexsort((np.arange(len(all_vals)), -all_vals))[:k]
        return [cand_ids[i] for i in order], all_vals[order], [cand_rows[i] for i in order]

    def _doc_view(self, rid: RecordId, row: int, lists: _TaxonomyLists) -> _DocView:
        """A document decoded for explanations; main-segment rows are kept (their data never
        changes until the main segment is replaced), the ``MAX_DOC_VIEWS`` most recently used of
        them, so the documents that keep coming back in results are decoded once, not per result."""
        if row < 0:
            return _DocView(self, rid, row, lists)
        views = self._views
        view = views.get(row)
        if view is None:
            if len(views) >= MAX_DOC_VIEWS:
                views.popitem(last=False)  # the least recently used
            view = views[row] = _DocView(self, rid, row, lists)
        else:
            views.move_to_end(row)
        return view

    def doc_data(
        self, rid: RecordId, row: int
    ) -> tuple[
        tuple[tuple[int, float], ...], tuple[tuple[int, float], ...], tuple[str, ...], _Structured | None
    ]:
        """(occupations, skills, free skills, structured) of an indexed document."""
        if row < 0:
            _, enc, st = self.delta[rid]
            return enc.occ, enc.skills, enc.free_skills, st
        return (
            _row_pairs(self.doc_occ, row),
            _row_pairs(self.doc_skill, row),
            self.free_skills[row],
            self.structured[row],
        )

    # ---- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Compact, then write ``<kind>/*.npy`` + ``<kind>_index.json`` (no pickle).

        One uncompressed ``.npy`` per array, so :meth:`load` can memory-map them: every web
        worker on a machine then shares one copy of the index in the page cache.
        """
        self.compact()
        value_of: dict[_Structured, int] = {}
        for st in self.structured:
            if st is not None and st not in value_of:
                value_of[st] = len(value_of)
        values = list(value_of)
        d = Path(directory)
        folder = d / self.kind
        folder.mkdir(parents=True, exist_ok=True)
        arrays = {
            **csr_arrays("post", self.postings),
            **csr_arrays("occ", self.doc_occ),
            **csr_arrays("skill", self.doc_skill),
            "text_idf": self.text_idf,
            "text_df_cut": self.text_df_cut,
        }
        for name, array in arrays.items():
            tmp = folder / f"{name}.tmp.npy"
            np.save(tmp, np.ascontiguousarray(array))
            tmp.replace(folder / f"{name}.npy")
        meta = {
            "version": INDEX_VERSION,
            "kind": self.kind,
            "fingerprint": self.t.fingerprint,
            "config": self.config.as_dict(),
            "n_docs_at_build": self.n_docs_at_build,
            "arrays": sorted(arrays),
            "ids": self.ids,
            # only the rows that have any, and each distinct structured value once with a
            # per-row reference: parsing a million small lists costs a worker more memory than it
            # keeps (the freed objects fragment its heap)
            "free_skills": {str(i): list(f) for i, f in enumerate(self.free_skills) if f},
            "structured_values": [st.as_list() for st in values],
            "structured_rows": [-1 if st is None else value_of[st] for st in self.structured],
        }
        with open(d / f"{self.kind}_index.json.tmp", "w", encoding="utf-8") as fh:
            json.dump(meta, fh, ensure_ascii=False)
        (d / f"{self.kind}_index.json.tmp").replace(d / f"{self.kind}_index.json")

    @classmethod
    def load(
        cls, directory: str | Path, kind: Kind, encoder: RecordEncoder, *, mmap: bool = True
    ) -> MatchIndex:
        """Read what :meth:`save` wrote; ``encoder`` must come from the same taxonomy.

        With ``mmap`` (the default) the big arrays stay on disk, mapped read-only and shared
        between processes; updates never write to them (they go to the delta segment).
        """
        d = Path(directory)
        with open(d / f"{kind}_index.json", encoding="utf-8") as fh:
            meta = json.load(fh)
        if meta["version"] != INDEX_VERSION:
            raise ValueError("index format changed; rebuild")
        if meta["fingerprint"] != encoder.t.fingerprint:
            raise ValueError("index was built with a different taxonomy")
        self = cls(kind, encoder)
        mode: Literal["r"] | None = "r" if mmap else None
        arrays = {name: np.load(d / kind / f"{name}.npy", mmap_mode=mode) for name in meta["arrays"]}
        self.postings = _csr_from(arrays, "post")
        self.doc_occ = _csr_from(arrays, "occ")
        self.doc_skill = _csr_from(arrays, "skill")
        self.text_idf = np.asarray(arrays["text_idf"])
        self.text_df_cut = np.asarray(arrays["text_df_cut"])
        self.n_docs_at_build = int(meta["n_docs_at_build"])
        self.ids = list(meta["ids"])
        self.row_of = {rid: i for i, rid in enumerate(self.ids)}
        self.free_skills = [()] * len(self.ids)
        for i, f in meta.pop("free_skills").items():
            self.free_skills[int(i)] = tuple(f)
        values = _shared(_Structured.from_list(v) for v in meta.pop("structured_values"))
        self.structured = [None if v < 0 else values[v] for v in meta.pop("structured_rows")]
        self.alive = np.ones(len(self.ids), dtype=bool)
        return self


_Blocks = dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
_BUILD_JOB: tuple[MatchIndex, Sequence[SeekerRecord | VacancyRecord]] | None = None  # in a worker only


def _encode_batch_of(
    index: MatchIndex, records: Sequence[SeekerRecord | VacancyRecord], lo: int, hi: int
) -> tuple[int, _Blocks, list[tuple[str, ...]]]:
    """One batch of a build: its block arrays and free skills."""
    encs = index.encoder.encode_batch([encode_inputs(r) for r in records[lo:hi]])
    return lo, index._block_arrays(encs), [e.free_skills for e in encs]


def _set_build_job(index: MatchIndex, records: Sequence[SeekerRecord | VacancyRecord]) -> None:
    """A forked worker's initializer: the job it inherited (fork passes it without pickling)."""
    global _BUILD_JOB
    _BUILD_JOB = (index, records)


def _encode_range(lo: int, hi: int) -> tuple[int, _Blocks, list[tuple[str, ...]]]:
    """One batch of a build, in a forked worker."""
    assert _BUILD_JOB is not None
    return _encode_batch_of(*_BUILD_JOB, lo, hi)


def build_workers_possible() -> bool:
    """Whether this process may fork encoding workers: Linux-like ``fork``, and not itself a
    daemonic worker (a django-q2 worker is one unless ``daemonize_workers`` is off)."""
    return "fork" in mp.get_all_start_methods() and not mp.current_process().daemon


def _encoded_batches(
    index: MatchIndex, records: Sequence[SeekerRecord | VacancyRecord], batch: int, workers: int
) -> Iterator[tuple[int, _Blocks, list[tuple[str, ...]]]]:
    """The build's batches, encoded in order, in this process or in ``workers`` forked ones.

    Forked workers share the encoder and the records copy-on-write: each gets them as its
    initializer's arguments, held by the process object that fork copies, so nothing is pickled
    and two builds in two threads cannot swap jobs. ``gc.freeze()`` keeps the collector from
    writing to (and so copying) every inherited object. Each worker sends back only numpy arrays
    and the free-skill tuples of its batch. Where forking is impossible (a daemonic process, no
    ``fork``) or not worth it (one batch), it encodes in-process.
    """
    bounds = [(lo, min(lo + batch, len(records))) for lo in range(0, len(records), batch)]
    if workers <= 1 or len(bounds) < 2 or not build_workers_possible():
        for lo, hi in bounds:
            yield _encode_batch_of(index, records, lo, hi)
        return
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(bounds)),
            mp_context=mp.get_context("fork"),
            initializer=_set_build_job,
            initargs=(index, records),
        ) as pool:
            futures = [pool.submit(_encode_range, lo, hi) for lo, hi in bounds]
            for fut in futures:
                yield fut.result()
    finally:
        gc.unfreeze()


def _one_row(cols: np.ndarray, vals: np.ndarray, n_cols: int) -> sp.csr_matrix | None:
    """A 1 x n_cols CSR row from distinct columns (None when a column repeats: the caller sums)."""
    order = np.argsort(cols, kind="stable")
    cols, vals = cols[order], vals[order]
    if len(cols) > 1 and not (cols[1:] != cols[:-1]).all():
        return None
    keep = vals != 0
    cols, vals = cols[keep].astype(np.int32), vals[keep]
    return sp.csr_matrix((vals, cols, np.array([0, len(cols)], dtype=np.int32)), shape=(1, n_cols))


def _row_normalize(rows: np.ndarray, vals: np.ndarray, n_rows: int) -> np.ndarray:
    norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=n_rows))
    norms[norms == 0] = 1.0
    return vals / norms[rows]


def _triplets_csr(trip: tuple[np.ndarray, np.ndarray, np.ndarray], n_rows: int, n_cols: int) -> sp.csr_matrix:
    r, c, v = trip
    m = sp.csr_matrix((v.astype(np.float32), (r, c)), shape=(n_rows, n_cols))
    m.sum_duplicates()
    return m


def _rows_matrix(rows: Sequence[tuple[tuple[int, float], ...]], n_cols: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((c for r in rows for c, _ in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((v for r in rows for _, v in r), dtype=np.float32, count=int(indptr[-1]))
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))


_second = operator.itemgetter(1)


def _row_pairs(m: sp.csr_matrix, row: int) -> tuple[tuple[int, float], ...]:
    lo, hi = m.indptr[row], m.indptr[row + 1]
    pairs = zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist(), strict=True)
    # largest weight first; reverse=True keeps equal weights in index order, as a key of -weight would
    return tuple(sorted(pairs, key=_second, reverse=True)) if m is not None else ()


def _csr_from(arrays: dict[str, np.ndarray], prefix: str) -> sp.csr_matrix:
    """A CSR matrix over the given arrays without copying them (memory maps stay maps)."""
    shape = tuple(int(x) for x in arrays[f"{prefix}_shape"])
    m = sp.csr_matrix(shape, dtype=arrays[f"{prefix}_data"].dtype)
    m.data, m.indices, m.indptr = (
        arrays[f"{prefix}_data"],
        arrays[f"{prefix}_indices"],
        arrays[f"{prefix}_indptr"],
    )
    return m


class MatchEngine:
    """Both directions: vacancies for a seeker, seekers for a vacancy.

    Typical use (Django task or the benchmark)::

        engine = MatchEngine(encoder)
        engine.build(vacancies=[...], seekers=[...])
        engine.vacancies_for(seeker, k=20)   # -> list[Match] with explanations
        engine.seekers_for(vacancy, k=50)
        engine.upsert(record); engine.remove("vacancy", id)
        engine.save(path); MatchEngine.load(path, encoder)
    """

    def __init__(self, encoder: RecordEncoder):
        self.encoder = encoder
        self.vacancies = MatchIndex("vacancy", encoder)
        self.seekers = MatchIndex("seeker", encoder)

    def build(
        self, vacancies: Sequence[VacancyRecord] = (), seekers: Sequence[SeekerRecord] = (), workers: int = 1
    ) -> None:
        """Index both sides from scratch (encoding in ``workers`` processes, see MatchIndex.build)."""
        self.vacancies.build(list(vacancies), workers=workers)
        self.seekers.build(list(seekers), workers=workers)

    def upsert(self, record: SeekerRecord | VacancyRecord) -> None:
        """Add or replace one record on its side."""
        (self.seekers if isinstance(record, SeekerRecord) else self.vacancies).upsert(record)

    def remove(self, kind: Kind, record_id: RecordId) -> bool:
        """Remove one record from the given side."""
        return (self.seekers if kind == "seeker" else self.vacancies).remove(record_id)

    def vacancies_for(
        self,
        seeker: SeekerRecord,
        k: int = 20,
        *,
        explain: bool = True,
        among: Collection[RecordId] | None = None,
    ) -> list[Match]:
        """Rank vacancies for a seeker (only those of ``among`` when given)."""
        return _rank(self.vacancies, seeker, k, explain, among=among)

    def seekers_for(
        self,
        vacancy: VacancyRecord,
        k: int = 20,
        *,
        explain: bool = True,
        among: Collection[RecordId] | None = None,
    ) -> list[Match]:
        """Rank seekers for a vacancy (only those of ``among`` when given)."""
        return _rank(self.seekers, vacancy, k, explain, among=among)

    def save(self, directory: str | Path) -> None:
        """Save both sides (npz + json)."""
        self.vacancies.save(directory)
        self.seekers.save(directory)

    @classmethod
    def load(cls, directory: str | Path, encoder: RecordEncoder, *, mmap: bool = True) -> MatchEngine:
        """Load both sides saved by :meth:`save` (memory-mapped unless ``mmap=False``)."""
        eng = cls(encoder)
        eng.vacancies = MatchIndex.load(directory, "vacancy", encoder, mmap=mmap)
        eng.seekers = MatchIndex.load(directory, "seeker", encoder, mmap=mmap)
        return eng


def _rank(
    index: MatchIndex,
    query: SeekerRecord | VacancyRecord,
    k: int,
    explain: bool,
    *,
    among: Collection[RecordId] | None = None,
) -> list[Match]:
    enc = index.encoder.encode_batch([encode_inputs(query)])[0]
    return rank_encoded(index, enc, _structured(query), k, explain=explain, among=among)


def rank_encoded(
    index: MatchIndex,
    enc: EncodedRecord,
    qst: _Structured | None,
    k: int,
    *,
    explain: bool = True,
    among: Collection[RecordId] | None = None,
) -> list[Match]:
    """Rank with an already encoded query (the benchmark times encoding separately too);
    ``among`` keeps the ranking to those ids."""
    # a seeker's occupation evidence is spread before ranking vacancies (EngineConfig.query_temperature)
    q = index.query_vector(_query_hedged(enc, index.config) if index.kind == "vacancy" else enc)
    use_structured = qst is not None and not qst.empty()
    pool = max(4 * k, 200) if use_structured else k
    ids, scores, rows = index.search_vector(q, pool, among=among)
    results: list[tuple[float, RecordId, int, list[StructuredFactor]]] = []
    for rid, s, row in zip(ids, scores.tolist(), rows, strict=True):
        factors: list[StructuredFactor] = []
        if use_structured:
            _, _, _, dst = index.doc_data(rid, row)
            if dst is not None and qst is not None:
                seeker, vacancy = (dst, qst) if index.kind == "seeker" else (qst, dst)
                factors = structured_factors(seeker, vacancy)
        total = s + sum(f.contribution for f in factors)
        results.append((total, rid, row, factors))
    if use_structured:
        results.sort(key=lambda r: -r[0])
    out = []
    ctx = _ExplainContext(index, enc) if explain else None
    for total, rid, row, factors in results[:k]:
        expl = ctx.explain(rid, row, total, factors) if ctx is not None else None
        out.append(Match(id=rid, score=round(float(total), 6), explanation=expl))
    return out


class _VacancySide:
    """What an explanation reads of the vacancy side of a pair, whichever side is the query:
    its skills, the required ones in the order the missing ones are listed (essential to its
    occupation first, then the rest, each rarer first) with their names and ids, and its
    unrecognised skills."""

    __slots__ = (
        "sk",
        "sk_set",
        "required",
        "req_pos",
        "req_names",
        "req_ids",
        "free",
        "free_order",
        "free_names",
    )

    def __init__(
        self,
        occ: Sequence[tuple[int, float]],
        sk: dict[int, float],
        sk_set: set[int],
        free: dict[str, str],
        lists: _TaxonomyLists,
        floor: float,
        names: Sequence[str],
        ids: Sequence[str],
    ):
        self.sk = sk
        self.sk_set = sk_set
        required = [s for s, w in sk.items() if w >= floor]
        self.required = len(required)
        by_rarity = lists.neg_skill_idf.__getitem__
        # sorting all required skills once and filtering per pair gives the order that sorting
        # each pair's missing ones gives: the sorts are stable
        if occ:
            essential = lists.essential(occ[0][0])
            order = sorted([s for s in required if s in essential], key=by_rarity)
            order += sorted([s for s in required if s not in essential], key=by_rarity)
        else:
            order = sorted(required, key=by_rarity)
        self.req_pos = {s: i for i, s in enumerate(order)}
        self.req_names = tuple(map(names.__getitem__, order))
        self.req_ids = tuple(map(ids.__getitem__, order))
        self.free = free  # normalised name -> as written
        # the unrecognised skills in listing order (by normalised name), once per record: a pair
        # with no unrecognised skill in common misses them all, and most pairs have none
        self.free_order = tuple(sorted(free))
        self.free_names = tuple([free[k] for k in self.free_order])

    def free_split(self, seeker_free: dict[str, str]) -> tuple[list[str], tuple[str, ...]]:
        """Names of the unrecognised skills the seeker also has (matched) and of the others
        (missing), each in the order of their normalised names."""
        if not seeker_free:
            return [], self.free_names
        shared = seeker_free.keys() & self.free.keys()
        if not shared:
            return [], self.free_names
        free = self.free
        return (
            [free[k] for k in sorted(shared)],
            tuple([free[k] for k in self.free_order if k not in shared]),
        )

    def missing(self, matched: Iterable[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Names and ids of the required skills not in ``matched`` (the skills the pair shares),
        in listing order: the precomputed tuples with the few matched ones cut out, instead of a
        test of every required skill per result."""
        pos = self.req_pos
        cut = sorted([pos[s] for s in matched if s in pos])
        if not cut:
            return self.req_names, self.req_ids
        names: list[str] = []
        ids: list[str] = []
        lo = 0
        for i in cut:
            names += self.req_names[lo:i]
            ids += self.req_ids[lo:i]
            lo = i + 1
        names += self.req_names[lo:]
        ids += self.req_ids[lo:]
        return tuple(names), tuple(ids)


class _DocView:
    """One indexed document as explanations read it, decoded once (``MatchIndex._doc_view``)."""

    __slots__ = ("occ", "top", "sk", "sk_set", "skill_norm", "self_cal", "free", "vacancy")

    def __init__(self, index: MatchIndex, rid: RecordId, row: int, lists: _TaxonomyLists):
        occ, skills, free, _ = index.doc_data(rid, row)
        idf = lists.skill_idf
        self.occ = occ
        self.top = occ[0][0] if occ else None
        self.sk = dict(skills)
        self.sk_set = set(self.sk)
        self.skill_norm = math.sqrt(sum([(w * idf[s]) ** 2 for s, w in skills]))
        self.self_cal = _list_kernel(lists, occ, occ, _kernel_table(_CALIBRATION))
        self.free = {normalize_skill(x): x for x in free}
        self.vacancy = (
            _VacancySide(
                occ,
                self.sk,
                self.sk_set,
                self.free,
                lists,
                index.config.extracted_weight,
                index.t.skill_names,
                index.t.skill_ids,
            )
            if index.kind == "vacancy"
            else None
        )


def _list_kernel(
    lists: _TaxonomyLists,
    a: Sequence[tuple[int, float]],
    b: Sequence[tuple[int, float]],
    table: tuple[float, ...],
) -> float:
    """``_occupation_kernel`` with the per-level weights of ``table``."""
    unit, minor, sub = lists.occ_unit, lists.occ_minor, lists.occ_sub
    total = 0.0
    for oa, pa in a:
        ua, ma, sa = unit[oa], minor[oa], sub[oa]
        for ob, pb in b:
            if oa == ob:
                k = table[0]
            elif ua >= 0 and ua == unit[ob]:
                k = table[1]
            elif ma >= 0 and ma == minor[ob]:
                k = table[2]
            elif sa >= 0 and sa == sub[ob]:
                k = table[3]
            else:
                continue
            total += pa * pb * k
    return total


class _ExplainContext:
    """What every explanation of one query shares, computed once per query.

    The taxonomy's per-occupation arrays are read as Python lists (``_TaxonomyLists``), the
    query's skills, free skills, self-kernel and skill norm once, and each document's decoded
    rows, skill norm, self-kernel and required skills once per index (``MatchIndex._doc_view``);
    each result then costs one pass over the occupation pairs (both kernels) and a few set
    operations. The arithmetic is the one of the reference formulas (``_occupation_kernel``,
    ``_skill_cosine``, ``_occupation_fit``) in the same order, so the explanations and scores
    are identical to computing them pair by pair.
    """

    __slots__ = (
        "index",
        "q",
        "lists",
        "k_rank",
        "k_cal",
        "q_sk",
        "q_sk_set",
        "q_sk_pos",
        "q_free",
        "q_self_cal",
        "q_skill_norm",
        "q_top",
        "q_vacancy",
        "q_levels",
        "q_occ_id",
        "relations",
        "kernels_of",
    )

    def __init__(self, index: MatchIndex, q: EncodedRecord):
        t, cfg = index.t, index.config
        self.index = index
        self.q = q
        self.lists = _TaxonomyLists.of(t)
        self.k_rank = _kernel_table(cfg)
        self.k_cal = _kernel_table(_CALIBRATION)
        self.q_sk = dict(q.skills)
        self.q_sk_set = set(self.q_sk)
        # a pair shares a few of the query's skills: its dot product adds them in the query's
        # order (the reference formula's) by sorting those few, not by a pass over all of them
        self.q_sk_pos = {s: i for i, s in enumerate(self.q_sk)}
        self.q_free = {normalize_skill(x): x for x in q.free_skills}
        self.q_self_cal = self.kernel(q.occ, q.occ, self.k_cal)
        idf = self.lists.skill_idf
        self.q_skill_norm = math.sqrt(sum((w * idf[s]) ** 2 for s, w in self.q_sk.items()))
        self.q_top = q.occ[0][0] if q.occ else None
        lists = self.lists
        self.q_levels = [(o, p, lists.occ_unit[o], lists.occ_minor[o], lists.occ_sub[o]) for o, p in q.occ]
        self.q_vacancy = (
            _VacancySide(
                q.occ,
                self.q_sk,
                self.q_sk_set,
                self.q_free,
                lists,
                cfg.extracted_weight,
                t.skill_names,
                t.skill_ids,
            )
            if index.kind == "seeker"
            else None
        )
        self.q_occ_id = t.occ_ids[self.q_top] if self.q_top is not None else None
        self.relations: dict[int | None, tuple[str, str, str | None]] = {}
        # documents of one title carry equal occupation lists: a third of a query's results
        # have a list another result already had
        self.kernels_of: dict[tuple[tuple[int, float], ...], tuple[float, float]] = {}

    def kernel(
        self, a: Sequence[tuple[int, float]], b: Sequence[tuple[int, float]], table: tuple[float, ...]
    ) -> float:
        """``_occupation_kernel`` with the per-level weights of ``table``."""
        return _list_kernel(self.lists, a, b, table)

    def _kernels(self, b: Sequence[tuple[int, float]]) -> tuple[float, float]:
        """The ranking and the calibration kernel of the query with ``b``, in one pass (each sum in
        the order ``kernel`` adds it)."""
        unit, minor, sub = self.lists.occ_unit, self.lists.occ_minor, self.lists.occ_sub
        kr, kc = self.k_rank, self.k_cal
        rank = cal = 0.0
        for oa, pa, ua, ma, sa in self.q_levels:
            for ob, pb in b:
                if oa == ob:
                    level = 0
                elif ua >= 0 and ua == unit[ob]:
                    level = 1
                elif ma >= 0 and ma == minor[ob]:
                    level = 2
                elif sa >= 0 and sa == sub[ob]:
                    level = 3
                else:
                    continue
                rank += pa * pb * kr[level]
                cal += pa * pb * kc[level]
        return rank, cal

    def explain(self, rid: RecordId, row: int, total: float, factors: list[StructuredFactor]) -> Explanation:
        """The explanation of one result (see ``_explain_reference`` in the tests for the formulas)."""
        index, q, lists = self.index, self.q, self.lists
        t, cfg = index.t, index.config
        idf = lists.skill_idf
        d = index._doc_view(rid, row, lists)
        d_occ = d.occ
        q_top = self.q_top
        d_top = d.top
        rel = self.relations.get(d_top)  # (relation, its code, the document's occupation id)
        if rel is None:
            relation = (
                t.relation(q_top, d_top) if q_top is not None and d_top is not None else "occupation unknown"
            )
            rel = self.relations[d_top] = (
                relation,
                _relation_code(relation),
                t.occ_ids[d_top] if d_top is not None else None,
            )
        relation, relation_code, d_occ_id = rel
        kernels = self.kernels_of.get(d_occ)
        if kernels is None:
            kernels = self.kernels_of[d_occ] = self._kernels(d_occ)
        occ_part, cross = kernels
        if index.kind == "seeker":
            vac = self.q_vacancy
            seeker_set, seeker_free = d.sk_set, d.free
        else:
            vac = d.vacancy
            seeker_set, seeker_free = self.q_sk_set, self.q_free
        assert vac is not None
        common = seeker_set & vac.sk_set  # the skills the pair shares, whichever side is the query
        q_sk = self.q_sk
        cosine = 0.0
        if common:
            d_sk = d.sk
            nb = d.skill_norm
            dot = sum(
                [q_sk[s] * d_sk[s] * idf[s] ** 2 for s in sorted(common, key=self.q_sk_pos.__getitem__)]
            )
            cosine = dot / (self.q_skill_norm * nb) if self.q_skill_norm and nb else 0.0
        skill_part = cfg.w_skill * cosine
        vac_free = vac.free
        names = t.skill_names
        ids = t.skill_ids
        if common:
            matched = sorted(common, key=lists.neg_skill_idf.__getitem__)
            matched_names = list(map(names.__getitem__, matched))
            matched_ids = tuple(map(ids.__getitem__, matched))
        else:
            matched_names, matched_ids = [], ()
        missing_names, missing_ids = vac.missing(common)
        if vac_free:
            free_matched, free_missing = vac.free_split(seeker_free)
            matched_names += free_matched
            missing_names += free_missing
        structured_sum = sum(f.contribution for f in factors) if factors else 0
        text_part = max(0.0, total - structured_sum - occ_part - skill_part)
        occ_fit = 0.0
        if q.occ and d_occ and cross > 0.0:
            norm = math.sqrt(self.q_self_cal * d.self_cal)
            occ_fit = min(1.0, cross / norm) if norm > 0 else 0.0
        required = vac.required + len(vac_free)
        matched_required = max(0, required - len(missing_names))
        negative = [f for f in factors if f.contribution < 0] if factors else []
        penalties = sum(f.contribution for f in negative) if negative else 0
        worst = min(negative, key=lambda f: f.contribution).name if negative else ""
        score = calibrated_score(occ_fit, matched_required, required, penalties)
        return Explanation(
            occupation_relation=relation,
            query_occupation=self.q_occ_id,
            document_occupation=d_occ_id,
            matched_skills=tuple(matched_names),
            missing_skills=missing_names,
            components={
                "occupation": round(occ_part, 6),
                "skills": round(skill_part, 6),
                "text": round(text_part, 6),
                "structured": round(structured_sum, 6),
                "total": round(float(total), 6),
            },
            structured=tuple(factors),
            matched_skill_ids=matched_ids,
            missing_skill_ids=missing_ids,
            score=score,
            reason=MatchReason(relation_code, matched_required, required, worst),
        )


class _TaxonomyLists:
    """A taxonomy index's per-occupation and per-skill arrays as Python lists (fast scalar reads),
    and the essential skills of each occupation, built once per taxonomy index."""

    # weak keys: a taxonomy index replaced by a new artifact's is not kept alive by this cache
    _cache: weakref.WeakKeyDictionary[TaxonomyIndex, _TaxonomyLists] = weakref.WeakKeyDictionary()

    def __init__(self, t: TaxonomyIndex):
        self.occ_skill = t.occ_skill  # not ``t`` itself: a value must not keep its weak key alive
        self.occ_unit: list[int] = t.occ_unit.tolist()
        self.occ_minor: list[int] = t.occ_minor.tolist()
        self.occ_sub: list[int] = t.occ_sub.tolist()
        self.skill_idf: list[float] = t.skill_idf.tolist()
        self.neg_skill_idf: list[float] = [-x for x in self.skill_idf]
        self._essential: dict[int, frozenset[int]] = {}

    @classmethod
    def of(cls, t: TaxonomyIndex) -> _TaxonomyLists:
        lists = cls._cache.get(t)
        if lists is None:
            lists = cls(t)
            cls._cache[t] = lists
        return lists

    def essential(self, occ: int) -> frozenset[int]:
        """Skills essential to occupation ``occ`` (weight 1 in the occupation x skill matrix)."""
        got = self._essential.get(occ)
        if got is None:
            m = self.occ_skill
            lo, hi = m.indptr[occ], m.indptr[occ + 1]
            got = frozenset(
                s for s, w in zip(m.indices[lo:hi].tolist(), m.data[lo:hi].tolist(), strict=True) if w >= 1.0
            )
            self._essential[occ] = got
        return got


def _kernel_table(cfg: EngineConfig) -> tuple[float, float, float, float]:
    """Kernel values for the same occupation, unit, minor and sub-major group (as ``_occupation_kernel``)."""
    return (
        cfg.w_occ + cfg.w_unit + cfg.w_minor + cfg.w_sub,
        cfg.w_unit + cfg.w_minor + cfg.w_sub,
        cfg.w_minor + cfg.w_sub,
        cfg.w_sub,
    )


def _query_hedged(enc: EncodedRecord, cfg: EngineConfig) -> EncodedRecord:
    """A seeker query's occupation distribution re-tempered to ``cfg.query_temperature`` (see there).

    ``p ** (t / query_temperature)``, renormalised, over the occupations the record kept: the order
    of the seeker's occupations is unchanged (so vacancies of the best guess still come first), the
    ones named almost as well as the best weigh more. A record that names its occupation is not
    touched.
    """
    tq = cfg.query_temperature
    if tq <= 0 or tq == cfg.temperature or len(enc.occ) < 2 or enc.explicit:
        return enc
    power = (cfg.title_only_temperature if not enc.skills else cfg.temperature) / tq
    raw = [p**power for _, p in enc.occ]
    norm = sum(raw)
    occ = tuple((o, w / norm) for (o, _), w in zip(enc.occ, raw, strict=True))
    return dataclasses.replace(enc, occ=occ)


def _explain(
    index: MatchIndex,
    q: EncodedRecord,
    rid: RecordId,
    row: int,
    total: float,
    factors: list[StructuredFactor],
) -> Explanation:
    """The explanation of one pair (pages explaining many results share an ``_ExplainContext``)."""
    return _ExplainContext(index, q).explain(rid, row, total, factors)


def _occupation_fit(
    t: TaxonomyIndex, a: Sequence[tuple[int, float]], b: Sequence[tuple[int, float]]
) -> float:
    """Occupation kernel of the pair over the geometric mean of the self-kernels (0..1)."""
    if not a or not b:
        return 0.0
    cross = _occupation_kernel(t, _CALIBRATION, a, b)
    if cross <= 0.0:
        return 0.0
    norm = math.sqrt(_occupation_kernel(t, _CALIBRATION, a, a) * _occupation_kernel(t, _CALIBRATION, b, b))
    return min(1.0, cross / norm) if norm > 0 else 0.0


def _occupation_kernel(
    t: TaxonomyIndex, cfg: EngineConfig, a: Iterable[tuple[int, float]], b: Iterable[tuple[int, float]]
) -> float:
    total = 0.0
    b_list = list(b)
    for oa, pa in a:
        for ob, pb in b_list:
            if oa == ob:
                k = cfg.w_occ + cfg.w_unit + cfg.w_minor + cfg.w_sub
            elif t.occ_unit[oa] >= 0 and t.occ_unit[oa] == t.occ_unit[ob]:
                k = cfg.w_unit + cfg.w_minor + cfg.w_sub
            elif t.occ_minor[oa] >= 0 and t.occ_minor[oa] == t.occ_minor[ob]:
                k = cfg.w_minor + cfg.w_sub
            elif t.occ_sub[oa] >= 0 and t.occ_sub[oa] == t.occ_sub[ob]:
                k = cfg.w_sub
            else:
                continue
            total += pa * pb * k
    return total


def _skill_cosine(t: TaxonomyIndex, a: dict[int, float], b: dict[int, float]) -> float:
    if not a or not b:
        return 0.0
    na = math.sqrt(sum((w * float(t.skill_idf[s])) ** 2 for s, w in a.items()))
    nb = math.sqrt(sum((w * float(t.skill_idf[s])) ** 2 for s, w in b.items()))
    dot = sum(w * b[s] * float(t.skill_idf[s]) ** 2 for s, w in a.items() if s in b)
    return dot / (na * nb) if na and nb else 0.0


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call ``fn`` and return (result, seconds); used by the benchmark scripts."""
    t0 = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - t0
