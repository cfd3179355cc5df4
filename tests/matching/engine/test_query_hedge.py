"""A seeker's occupation evidence spread before ranking vacancies (EngineConfig.query_temperature)."""

from __future__ import annotations

import dataclasses

import pytest

from matching.engine import EngineConfig, MatchIndex, RecordEncoder, SeekerRecord
from matching.engine.encoder import EncodedRecord
from matching.engine.index import _query_hedged, encode_inputs, rank_encoded

from .conftest import VACANCIES

TWO = EncodedRecord(occ=((3, 0.9), (7, 0.1)), skills=((1, 1.0),), free_skills=(), terms=())


def test_off_by_default_and_for_named_occupations() -> None:
    assert _query_hedged(TWO, EngineConfig()) is TWO
    named = dataclasses.replace(TWO, explicit=True)
    assert _query_hedged(named, EngineConfig(query_temperature=0.12)) is named


def test_spreads_the_evidence_keeping_its_order() -> None:
    hedged = _query_hedged(TWO, EngineConfig(temperature=0.06, query_temperature=0.12))
    probs = dict(hedged.occ)
    assert [o for o, _ in hedged.occ] == [3, 7]  # the best guess stays first
    assert probs[3] > probs[7] > 0.1
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs[7] / probs[3] == pytest.approx((0.1 / 0.9) ** 0.5)  # p ** (0.06 / 0.12)


def test_ranking_uses_it_explanations_keep_the_records_own_occupations(tindex) -> None:
    off = RecordEncoder(tindex, EngineConfig())
    on = RecordEncoder(tindex, EngineConfig(query_temperature=0.5))
    seeker = SeekerRecord(id="q", title="Бухгалтер аудитор", skills=("audit", "accounting"))
    results = {}
    for name, enc in (("off", off), ("on", on)):
        index = MatchIndex("vacancy", enc)
        index.build(VACANCIES)
        q = enc.encode(*encode_inputs(seeker))
        assert len(q.occ) >= 2
        results[name] = rank_encoded(index, q, None, 7, explain=True)
    off_scores = {m.id: m.score for m in results["off"]}
    on_scores = {m.id: m.score for m in results["on"]}
    assert off_scores != on_scores
    assert [m.explanation.query_occupation for m in results["on"]] == [  # type: ignore[union-attr]
        m.explanation.query_occupation  # type: ignore[union-attr]
        for m in results["off"]
    ]
    # the reverse direction (seekers for a vacancy) is not touched
    seekers = MatchIndex("seeker", on)
    seekers.build([seeker])
    plain = MatchIndex("seeker", off)
    plain.build([seeker])
    v = on.encode(*encode_inputs(VACANCIES[2]))
    assert rank_encoded(seekers, v, None, 1)[0].score == rank_encoded(plain, v, None, 1)[0].score
