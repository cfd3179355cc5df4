"""The per-query explanation context gives exactly the explanations of the pair-by-pair formulas.

``_ExplainContext`` (index.py) computes what all results of one query share once and reads the
taxonomy arrays as Python lists; ``_explain_reference`` below is the straightforward version it
replaced (issue 16, `--explain` latency). Every field, scores and components included, must be
equal, not approximately equal.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from matching.engine import MatchEngine, SeekerRecord, VacancyRecord
from matching.engine.encoder import EncodedRecord
from matching.engine.index import (
    _CALIBRATION,
    MatchIndex,
    _ExplainContext,
    _occupation_fit,
    _occupation_kernel,
    _relation_code,
    _skill_cosine,
    _structured,
    calibrated_score,
    encode_inputs,
    rank_encoded,
)
from matching.engine.normalize import normalize_skill
from matching.engine.records import Explanation, MatchReason, StructuredFactor

from .conftest import SEEKERS, VACANCIES


def _explain_reference(
    index: MatchIndex, q: EncodedRecord, rid: str, row: int, total: float, factors: list[StructuredFactor]
) -> Explanation:
    t, cfg = index.t, index.config
    d_occ, d_skills, d_free, _ = index.doc_data(rid, row)
    q_top = q.occ[0][0] if q.occ else None
    d_top = d_occ[0][0] if d_occ else None
    relation = t.relation(q_top, d_top) if q_top is not None and d_top is not None else "occupation unknown"
    occ_part = _occupation_kernel(t, cfg, q.occ, d_occ)
    q_sk = dict(q.skills)
    d_sk = dict(d_skills)
    skill_part = cfg.w_skill * _skill_cosine(t, q_sk, d_sk)
    seeker_sk, vac_sk = (d_sk, q_sk) if index.kind == "seeker" else (q_sk, d_sk)
    seeker_free_list, vac_free_list = (
        (d_free, q.free_skills) if index.kind == "seeker" else (q.free_skills, d_free)
    )
    seeker_free = {normalize_skill(x): x for x in seeker_free_list}
    vac_free = {normalize_skill(x): x for x in vac_free_list}
    matched = sorted(set(seeker_sk) & set(vac_sk), key=lambda s: -float(t.skill_idf[s]))
    matched_names = [t.skill_names[s] for s in matched] + [
        vac_free[k] for k in sorted(seeker_free.keys() & vac_free)
    ]
    vac_occ = q.occ if index.kind == "seeker" else d_occ
    essential: set[int] = set()
    if vac_occ:
        o = vac_occ[0][0]
        lo, hi = t.occ_skill.indptr[o], t.occ_skill.indptr[o + 1]
        essential = {
            int(s)
            for s, w in zip(t.occ_skill.indices[lo:hi], t.occ_skill.data[lo:hi], strict=True)
            if w >= 1.0
        }
    missing = [s for s, w in vac_sk.items() if s not in seeker_sk and w >= cfg.extracted_weight]
    missing.sort(key=lambda s: (s not in essential, -float(t.skill_idf[s])))
    missing_names = [t.skill_names[s] for s in missing] + [
        vac_free[k] for k in sorted(vac_free.keys() - seeker_free)
    ]
    structured_sum = sum(f.contribution for f in factors)
    text_part = max(0.0, total - structured_sum - occ_part - skill_part)
    occ_fit = _occupation_fit(t, q.occ, d_occ)
    required = sum(1 for w in vac_sk.values() if w >= cfg.extracted_weight) + len(vac_free)
    matched_required = max(0, required - len(missing_names))
    negative = [f for f in factors if f.contribution < 0]
    penalties = sum(f.contribution for f in negative)
    worst = min(negative, key=lambda f: f.contribution).name if negative else ""
    return Explanation(
        occupation_relation=relation,
        query_occupation=t.occ_ids[q_top] if q_top is not None else None,
        document_occupation=t.occ_ids[d_top] if d_top is not None else None,
        matched_skills=tuple(matched_names),
        missing_skills=tuple(missing_names),
        components={
            "occupation": round(occ_part, 6),
            "skills": round(skill_part, 6),
            "text": round(text_part, 6),
            "structured": round(structured_sum, 6),
            "total": round(float(total), 6),
        },
        structured=tuple(factors),
        matched_skill_ids=tuple(t.skill_ids[s] for s in matched),
        missing_skill_ids=tuple(t.skill_ids[s] for s in missing),
        score=calibrated_score(occ_fit, matched_required, required, penalties),
        reason=MatchReason(_relation_code(relation), matched_required, required, worst),
    )


EXTRA_VACANCIES = [
    VacancyRecord(
        id="x-1", title="Аудитор", text="аудит, отчётность", skills=("excel", "трактор"), region="KZ-71"
    ),
    VacancyRecord(id="x-2", title="", text="сварка и резка металла, водитель", schedule="вахта"),
    VacancyRecord(id="x-3", title="Финансовый аналитик", skills=("sql", "python", "умение улыбаться")),
]
EXTRA_SEEKERS = [
    SeekerRecord(id="y-1", title="", text="бухгалтерский учёт и аудит", skills=("вязание",)),
    SeekerRecord(
        id="y-2", title="Аудитор", skills=("audit", "excel"), region="KZ-55", salary_expected=900_000
    ),
]


def _check(index: MatchIndex, query: SeekerRecord | VacancyRecord) -> int:
    enc = index.encoder.encode(*encode_inputs(query))
    matches = rank_encoded(index, enc, _structured(query), 50, explain=True)
    plain = rank_encoded(index, enc, _structured(query), 50, explain=False)
    assert [m.id for m in matches] == [m.id for m in plain]
    assert all(m.explanation is not None for m in matches)
    return len(matches)


@pytest.fixture
def compared(monkeypatch) -> list[str]:
    """Every explanation the engine gives is checked against the pair-by-pair reference; the ids
    explained are listed here."""
    fast = _ExplainContext.explain
    explained: list[str] = []

    def both(
        self: _ExplainContext, rid: str, row: int, total: float, factors: list[StructuredFactor]
    ) -> Explanation:
        got = fast(self, rid, row, total, factors)
        assert got == _explain_reference(self.index, self.q, rid, row, total, factors)
        explained.append(rid)
        return got

    monkeypatch.setattr(_ExplainContext, "explain", both)
    return explained


def test_explanations_equal_the_pair_by_pair_formulas(engine: MatchEngine, compared: list[str]) -> None:
    for r in EXTRA_VACANCIES + EXTRA_SEEKERS:
        engine.upsert(r)  # delta-segment documents are explained from their encodings
    checked = 0
    for seeker in [*SEEKERS, *EXTRA_SEEKERS]:
        checked += _check(engine.vacancies, seeker)
    for vacancy in [*VACANCIES, *EXTRA_VACANCIES]:
        checked += _check(engine.seekers, vacancy)
    engine.vacancies.compact()
    engine.seekers.compact()
    for seeker in SEEKERS:
        checked += _check(engine.vacancies, seeker)
    assert checked > 50 and len(compared) == checked
    assert math.isclose(_CALIBRATION.w_occ, 4.0 / 7.0)


def test_decoded_documents_follow_the_index_through_compaction(
    engine: MatchEngine, compared: list[str]
) -> None:
    """Documents are decoded once per index row for explanations; a compaction moves rows, so a
    row decoded before it must not explain another document after it."""
    for seeker in SEEKERS:
        _check(engine.vacancies, seeker)  # decodes the main segment's rows
    first, last = VACANCIES[0], VACANCIES[-1]
    # the first vacancy is rewritten: after compaction every other row moves up by one
    engine.upsert(dataclasses.replace(first, title=last.title, text=last.text, skills=last.skills))
    engine.vacancies.compact()
    before = len(compared)
    for seeker in SEEKERS:
        _check(engine.vacancies, seeker)
    assert len(compared) - before >= 5


def test_decoded_documents_are_bounded_and_evicted_least_recent_first(
    engine: MatchEngine, compared: list[str], monkeypatch
) -> None:
    import matching.engine.index as index_module

    monkeypatch.setattr(index_module, "MAX_DOC_VIEWS", 3)
    vacancies = engine.vacancies
    for seeker in SEEKERS:
        _check(vacancies, seeker)  # every result still explained exactly, with evictions
        assert len(vacancies._views) <= 3
    lists = index_module._TaxonomyLists.of(vacancies.t)
    oldest, *rest = list(vacancies._views)
    vacancies._doc_view(vacancies.ids[oldest], oldest, lists)  # used again: now the most recent
    newcomer = next(r for r in range(len(vacancies.ids)) if r not in vacancies._views)
    vacancies._doc_view(vacancies.ids[newcomer], newcomer, lists)
    assert list(vacancies._views) == [*rest[1:], oldest, newcomer]


def test_the_list_cache_does_not_keep_a_replaced_taxonomy_alive() -> None:
    import gc
    import weakref

    from matching.engine.encoder import TaxonomyIndex
    from matching.engine.index import _TaxonomyLists

    from .conftest import fixture_taxonomy

    t = TaxonomyIndex.build(fixture_taxonomy(), fingerprint="old")
    assert _TaxonomyLists.of(t) is _TaxonomyLists.of(t)
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is None


def test_missing_skills_cut_the_shared_ones_out_of_the_listing_order(engine: MatchEngine) -> None:
    """A vacancy's required skills are listed once per index (essential first, rarer first); a
    result's missing ones are that listing with the shared skills cut out, wherever they stand."""
    from matching.engine.index import _TaxonomyLists, _VacancySide

    t = engine.vacancies.t
    lists = _TaxonomyLists.of(t)
    skills = list(range(6))
    side = _VacancySide((), {s: 1.0 for s in skills}, set(skills), {}, lists, 0.5, t.skill_names, t.skill_ids)
    order = sorted(skills, key=lambda s: -float(t.skill_idf[s]))
    assert side.missing(set()) == (
        tuple(t.skill_names[s] for s in order),
        tuple(t.skill_ids[s] for s in order),
    )
    for shared in ({order[0]}, {order[2], order[3]}, {order[-1], order[0]}, set(order), {99_999}):
        rest = [s for s in order if s not in shared]
        assert side.missing(shared) == (
            tuple(t.skill_names[s] for s in rest),
            tuple(t.skill_ids[s] for s in rest),
        ), shared
