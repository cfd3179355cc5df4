"""Encoding a build in forked workers gives the index one process gives (the national build
spreads its encoding over the cores; docs/benchmarks.md)."""

from __future__ import annotations

import multiprocessing as mp

import numpy as np
import pytest

from matching.engine import MatchIndex, RecordEncoder
from matching.engine import index as index_module
from matching.engine.records import SeekerRecord

from .conftest import SEEKERS, VACANCIES

pytestmark = pytest.mark.skipif(
    not index_module.build_workers_possible(), reason="needs fork and a non-daemonic process"
)


def _many() -> list[SeekerRecord]:
    """Enough seekers for several batches, each distinct (ids and a varying skill)."""
    base = list(SEEKERS)
    out = []
    for i in range(60):
        s = base[i % len(base)]
        out.append(
            SeekerRecord(
                id=f"{s.id}-{i}",
                title=s.title,
                text=s.text,
                skills=(*s.skills, ("excel", "python", "сварка")[i % 3]),
                region=s.region,
            )
        )
    return out


def _arrays(ix: MatchIndex) -> dict[str, np.ndarray]:
    return {
        "postings": ix.postings.toarray(),
        "occ": ix.doc_occ.toarray(),
        "skill": ix.doc_skill.toarray(),
        "idf": np.asarray(ix.text_idf),
    }


def test_forked_encoding_builds_the_same_index(encoder: RecordEncoder) -> None:
    records = _many()
    one = MatchIndex("seeker", encoder)
    one.build(records, batch=7)
    two = MatchIndex("seeker", RecordEncoder(encoder.t, encoder.config))  # cold memo, as a worker's
    two.build(records, batch=7, workers=2)
    assert not two.encoder._title_memo  # the workers encoded, not this process
    assert two.ids == one.ids
    assert two.free_skills == one.free_skills
    assert two.structured == one.structured
    for name, arr in _arrays(one).items():
        np.testing.assert_array_equal(_arrays(two)[name], arr, err_msg=name)
    query = VACANCIES[0]
    enc = encoder.encode_batch([index_module.encode_inputs(query)])[0]
    ids_two, scores_two, _ = two.search_vector(two.query_vector(enc), k=10)
    ids_one, scores_one, _ = one.search_vector(one.query_vector(enc), k=10)
    assert ids_two == ids_one and len(ids_one) > 0
    np.testing.assert_array_equal(scores_two, scores_one)


def test_a_daemonic_process_encodes_in_itself(
    encoder: RecordEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A django-q2 worker is daemonic and may not fork children: the build still completes."""
    monkeypatch.setattr(mp.current_process(), "daemon", True, raising=False)
    assert not index_module.build_workers_possible()
    ix = MatchIndex("seeker", encoder)
    ix.build(_many(), batch=7, workers=2)
    assert len(ix) == 60


def test_two_builds_in_two_threads_keep_their_own_records(encoder: RecordEncoder) -> None:
    """A build's batches are its own: no process-wide job another thread's build could replace."""
    import threading

    seekers = _many()
    alone = MatchIndex("seeker", encoder)
    alone.build(seekers, batch=5)
    vacancies = list(VACANCIES)
    built: dict[str, MatchIndex] = {}

    def build(kind: str) -> None:
        ix = MatchIndex(kind, encoder)  # type: ignore[arg-type]
        ix.build(seekers if kind == "seeker" else vacancies, batch=5 if kind == "seeker" else 2)
        built[kind] = ix

    threads = [threading.Thread(target=build, args=(k,)) for k in ("seeker", "vacancy")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert built["seeker"].ids == alone.ids
    assert built["vacancy"].ids == [v.id for v in VACANCIES]
    np.testing.assert_array_equal(built["seeker"].postings.toarray(), alone.postings.toarray())


@pytest.mark.parametrize("workers", [1, 2])
def test_each_row_is_its_own_records_vector(encoder: RecordEncoder, workers: int) -> None:
    """Batches are encoded in title order, not input order: every row still holds its own record."""
    records = _many()
    assert [r.title.casefold() for r in records] != sorted(r.title.casefold() for r in records)
    ix = MatchIndex("seeker", RecordEncoder(encoder.t, encoder.config))
    ix.build(records, batch=7, workers=workers)
    assert ix.ids == [r.id for r in records]
    postings = ix.postings.T.tocsr()
    for row, record in enumerate(records):
        enc = encoder.encode_batch([index_module.encode_inputs(record)])[0]
        np.testing.assert_allclose(
            postings[row].toarray(), ix._doc_vector(enc).toarray(), rtol=1e-6, err_msg=record.id
        )
        assert ix.free_skills[row] == enc.free_skills
