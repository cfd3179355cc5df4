"""The text index's fast paths give exactly what the library routes gave.

``sparse_product`` is scipy's ``a @ b`` without the sizing pass (the same entries in the same
order); ``CharNgramIndex.vectorize`` hashes n-grams itself instead of calling sklearn's
``HashingVectorizer``, and ``l2_normalize_rows`` sums squares without building a matrix.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from matching.engine.textindex import CharNgramIndex, product_rows, sparse_product


def _same(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    want = (a @ b).tocsr()
    rows = list(product_rows(a, b))
    assert len(rows) == a.shape[0]
    for r, (cols, vals) in enumerate(rows):
        lo, hi = want.indptr[r], want.indptr[r + 1]
        assert np.array_equal(cols, want.indices[lo:hi])
        assert np.array_equal(vals, want.data[lo:hi])
    got = sparse_product(a, b)
    assert got.shape == want.shape
    assert np.array_equal(got.indptr, want.indptr)
    assert np.array_equal(got.indices, want.indices)  # order too: top-k ties are broken by it
    assert np.array_equal(got.data, want.data)


def test_the_product_equals_scipys_entry_for_entry() -> None:
    rng = np.random.default_rng(16)
    b = sp.random(400, 3000, density=0.02, format="csr", dtype=np.float32, random_state=rng)
    for rows in (1, 3, 17):
        a = sp.random(rows, 400, density=0.05, format="csr", dtype=np.float32, random_state=rng)
        _same(a, b)
    _same(sp.csr_matrix((2, 400), dtype=np.float32), b)  # no shared feature: empty result
    _same(sp.random(1, 400, density=0.05, format="csr", dtype=np.float64, random_state=rng), b)  # other dtype


def test_rows_taken_in_groups_give_the_same_product(monkeypatch) -> None:
    import matching.engine.textindex as textindex

    rng = np.random.default_rng(7)
    b = sp.random(300, 2000, density=0.03, format="csr", dtype=np.float32, random_state=rng)
    a = sp.random(40, 300, density=0.04, format="csr", dtype=np.float32, random_state=rng)
    a[5, :] = 0  # an empty row inside a group
    a = a.tocsr()
    a.eliminate_zeros()
    touched = [
        int(sum(b.indptr[j + 1] - b.indptr[j] for j in a.indices[a.indptr[r] : a.indptr[r + 1]]))
        for r in range(40)
    ]
    monkeypatch.setattr(textindex, "MAX_ONE_PASS", max(touched) + 1)  # many groups of a few rows
    _same(a, b)
    monkeypatch.setattr(textindex, "MAX_ONE_PASS", max(touched) - 1)  # a row over the limit: scipy's route
    _same(a, b)


def test_label_similarities_are_unchanged() -> None:
    labels = ["сварщик", "электрогазосварщик", "welder", "sales manager", "manager sales", "бухгалтер"]
    idx = CharNgramIndex.build(labels)
    q = idx.vectorize(["svarshchik", "сварщик ручной дуговой сварки", "manager of sales", "zzz"])
    _same(q, idx.matrix_t)
    assert idx.top("manager sales", 2)[0][1] > 0.99


def _library_rows(idx: CharNgramIndex, texts: list[str]) -> sp.csr_matrix:
    raw = idx._vec.transform(texts).tocsr()  # sklearn's hashing
    if raw.nnz:
        raw.data = 1.0 + np.log(raw.data)
        raw.data *= idx.idf[raw.indices]
    sq = np.asarray(raw.multiply(raw).sum(axis=1)).ravel()  # scipy's row norms
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    raw.data *= np.repeat((1.0 / norms).astype(np.float32), np.diff(raw.indptr))
    return raw


def test_vectorize_equals_the_hashing_vectorizer_route() -> None:
    labels = ["сварщик", "электрогазосварщик", "welder", "sales manager", "бухгалтер", "1с бухгалтерия", "a"]
    idx = CharNgramIndex.build(labels)
    texts = [
        *labels,
        "",
        "   ",
        "ab",
        "x  y\t\tz",
        "ведение первичной  документации",
        "mağaza müdürü",
        "e\u0301cole",
        "құбыр жөндеу",
        "svarshchik ruchnoy dugovoy svarki",
    ]
    want = _library_rows(idx, texts)
    for got in (idx.vectorize(texts), sp.vstack([idx.vectorize([t]) for t in texts], format="csr")):
        assert np.array_equal(got.indptr, want.indptr)
        assert np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)


def test_top_set_is_argpartitions_set_or_defers_on_a_tie() -> None:
    from matching.engine.encoder import _top_set

    rng = np.random.default_rng(3)
    for n, k in ((60_000, 200), (5_000, 10), (11, 10)):
        values = rng.random(n).astype(np.float32)
        got = _top_set(values, k)
        assert got is not None
        assert set(got.tolist()) == set(np.argpartition(-values, k - 1)[:k].tolist())
    tied = np.array([0.9, 0.5, 0.5, 0.1], dtype=np.float32)
    assert _top_set(tied, 2) is None  # the second place is shared: argpartition decides
    three = _top_set(tied, 3)
    assert three is not None and sorted(three.tolist()) == [0, 1, 2]
    assert _top_set(tied, 4) is None  # nothing to choose


def test_top_set_cut_at_a_sampled_threshold_keeps_the_set_and_the_ties() -> None:
    """Large arrays are first cut at a threshold read off every eighth value: the set, and the
    deferral on a tie at the k-th place, must be the ones a partition of all values gives."""
    from matching.engine.encoder import _top_set

    def reference(values: np.ndarray, k: int) -> list[int] | None:
        n = len(values)
        part = np.partition(values, n - k - 1)
        kth = part[n - k :].min()
        return None if kth <= part[n - k - 1] else np.flatnonzero(values >= kth).tolist()

    rng = np.random.default_rng(11)
    shapes = (
        lambda n: np.asarray(rng.random(n) ** 4, dtype=np.float32),  # a title's cosines: few high, many low
        lambda n: np.round(rng.random(n), 2).astype(np.float32),  # many ties
        lambda n: np.sort(rng.random(n)).astype(np.float32),  # sorted: the sample is not random
        lambda n: np.asarray(rng.random(n) < 0.002, dtype=np.float32),  # mostly equal values
    )
    for trial in range(200):
        n, k = int(rng.integers(8_192, 90_000)), int(rng.choice([10, 200, 1_000]))
        values = shapes[trial % len(shapes)](n)
        got = _top_set(values, k)
        want = reference(values, k)
        assert (got is None) == (want is None)
        if got is not None:
            assert sorted(got.tolist()) == want
