"""Hashed character n-gram TF-IDF index for short labels (titles, skill names).

Character n-grams (inside word boundaries) survive misspellings, inflection
("бухгалтера"/"бухгалтер"), compounds and word-order changes, and, over transliterated
text, let Cyrillic and Latin spellings of loan words meet. The vectoriser is a
*stateless* hashing one, so the whole index is a few numpy arrays that can be saved
with ``np.savez`` (no pickle) and queried with one sparse product.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

try:  # scipy's own kernel for A @ B (private module: a scipy without it takes the public route)
    from scipy.sparse._sparsetools import csr_matmat as _csr_matmat
except ImportError:  # pragma: no cover - depends on the scipy build
    _csr_matmat = None

__all__ = [
    "CharNgramIndex",
    "csr_arrays",
    "csr_from_arrays",
    "make_char_vectorizer",
    "l2_normalize_rows",
    "product_rows",
    "sparse_product",
]

N_FEATURES = 2**20
MAX_ONE_PASS = 2_000_000  # postings a product may touch to be computed in one pass


def csr_arrays(prefix: str, m: sp.csr_matrix) -> dict[str, np.ndarray]:
    """A CSR matrix as ``np.savez`` arrays ``<prefix>_data/_indices/_indptr/_shape`` (no pickle)."""
    return {
        f"{prefix}_data": m.data,
        f"{prefix}_indices": m.indices,
        f"{prefix}_indptr": m.indptr,
        f"{prefix}_shape": np.array(m.shape, dtype=np.int64),
    }


def csr_from_arrays(arrays: dict[str, np.ndarray] | np.lib.npyio.NpzFile, prefix: str) -> sp.csr_matrix:
    """Inverse of :func:`csr_arrays`."""
    shape = tuple(int(x) for x in arrays[f"{prefix}_shape"])
    return sp.csr_matrix(
        (arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]), shape=shape
    )


def make_char_vectorizer(ngram_range: tuple[int, int] = (3, 5)) -> HashingVectorizer:
    """The one char n-gram hasher used everywhere (inputs are already normalised)."""
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=ngram_range,
        n_features=N_FEATURES,
        alternate_sign=False,
        norm=None,
        lowercase=False,
        dtype=np.float32,
    )


_NGRAM_COLUMNS: dict[str, int] = {}  # n-gram -> hashed column, shared (a pure function of the n-gram)
MAX_NGRAM_COLUMNS = 300_000  # ~40 MB at most; cleared when full
_WHITE_SPACES = re.compile(r"\s\s+")


def _hash_column(gram: str) -> int:
    """The column ``HashingVectorizer(alternate_sign=False)`` gives an n-gram (sklearn's
    ``_hashing_fast``: murmurhash3 of the UTF-8 bytes, seed 0, ``abs(h) % n_features``)."""
    h = murmurhash3_32(gram, seed=0, positive=False)
    if h == -(2**31):
        return (2147483647 - (N_FEATURES - 1)) % N_FEATURES
    return abs(h) % N_FEATURES


def _char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """sklearn's ``char_wb`` analyser (no lower-casing, no accent stripping): n-grams inside
    space-padded words."""
    text = _WHITE_SPACES.sub(" ", text)
    out: list[str] = []
    add = out.append
    for w in text.split():
        w = " " + w + " "
        w_len = len(w)
        for n in range(min_n, max_n + 1):
            offset = 0
            add(w[offset : offset + n])
            while offset + n < w_len:
                offset += 1
                add(w[offset : offset + n])
            if offset == 0:  # a short word (w_len < n) counts once
                break
    return out


def l2_normalize_rows(mat: sp.csr_matrix) -> sp.csr_matrix:
    """Scale each row of a CSR matrix to unit length (zero rows stay zero)."""
    mat = sp.csr_matrix(mat, dtype=np.float32)
    if mat.has_canonical_format:
        # what ``mat.multiply(mat).sum(axis=1)`` computes (scipy's row sums are this reduceat),
        # without building the squared matrix
        sq = np.zeros(mat.shape[0], dtype=np.float32)
        rows = np.flatnonzero(np.diff(mat.indptr))
        if len(rows):
            sq[rows] = np.add.reduceat(mat.data * mat.data, mat.indptr[rows])
    else:
        sq = np.asarray(mat.multiply(mat).sum(axis=1)).ravel()
    norms = np.sqrt(sq)
    norms[norms == 0] = 1.0
    scale = np.repeat((1.0 / norms).astype(np.float32), np.diff(mat.indptr))
    mat.data *= scale
    return mat


def _product_groups(
    a: sp.csr_matrix, b: sp.csr_matrix
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``a @ b`` as ``(indptr, indices, data)`` blocks of consecutive rows, in row order.

    scipy first runs a sizing pass over every posting the product touches, then the product. The
    number of postings a group of query rows touches is a cheap, safe upper bound of its result's
    size, so the rows are taken in groups touching at most ``MAX_ONE_PASS`` postings, each
    computed by scipy's kernel in one pass into arrays of that size (the sizing pass was a third
    of a title lookup). The kernel computes each row on its own, so the rows are the ones of
    ``a @ b``, entry for entry and in the same order.
    """
    if (
        _csr_matmat is None
        or a.format != "csr"
        or b.format != "csr"
        or a.shape[1] != b.shape[0]
        or a.dtype != b.dtype
        or b.indptr.dtype != b.indices.dtype
    ):
        c = (a @ b).tocsr()
        yield c.indptr, c.indices, c.data
        return
    idx_dtype = b.indptr.dtype
    n_rows, n_cols = a.shape[0], b.shape[1]
    a_indptr = np.asarray(a.indptr, dtype=np.int64)
    a_indices = np.asarray(a.indices, dtype=idx_dtype)
    touched = np.zeros(len(a_indices) + 1, dtype=np.int64)
    np.cumsum(b.indptr[a_indices + 1] - b.indptr[a_indices], out=touched[1:])
    row_touch = (touched[a_indptr[1:]] - touched[a_indptr[:-1]]).tolist()
    if not n_rows or not 0 < touched[-1] <= np.iinfo(idx_dtype).max or max(row_touch) > MAX_ONE_PASS:
        c = (a @ b).tocsr()
        yield c.indptr, c.indices, c.data
        return
    r0 = 0
    while r0 < n_rows:
        r1, bound = r0, 0
        while r1 < n_rows and bound + row_touch[r1] <= MAX_ONE_PASS:
            bound += row_touch[r1]
            r1 += 1
        lo, hi = int(a_indptr[r0]), int(a_indptr[r1])
        indptr = np.empty(r1 - r0 + 1, dtype=idx_dtype)
        indices = np.empty(bound, dtype=idx_dtype)
        data = np.empty(bound, dtype=a.dtype)
        _csr_matmat(
            r1 - r0,
            n_cols,
            (a_indptr[r0 : r1 + 1] - lo).astype(idx_dtype),
            a_indices[lo:hi],
            a.data[lo:hi],
            b.indptr,
            b.indices,
            b.data,
            indptr,
            indices,
            data,
        )
        yield indptr, indices, data
        r0 = r1


def product_rows(a: sp.csr_matrix, b: sp.csr_matrix) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(columns, values)`` of each row of ``a @ b`` in turn (views: no matrix is assembled)."""
    for indptr, indices, data in _product_groups(a, b):
        bounds = indptr.tolist()
        for lo, hi in itertools.pairwise(bounds):
            yield indices[lo:hi], data[lo:hi]


def sparse_product(a: sp.csr_matrix, b: sp.csr_matrix) -> sp.csr_matrix:
    """``(a @ b).tocsr()`` for CSR ``a`` (queries) and a large CSR ``b`` (postings), computed by the
    same scipy kernel with one pass over the postings instead of two (``_product_groups``)."""
    parts = list(_product_groups(a, b))
    if len(parts) == 1 and len(parts[0][0]) == a.shape[0] + 1:
        indptr, indices, data = parts[0]
        nnz = int(indptr[-1])
        return sp.csr_matrix((data[:nnz], indices[:nnz], indptr), shape=(a.shape[0], b.shape[1]))
    offsets = np.cumsum([0] + [int(p[0][-1]) for p in parts])
    out_indptr = np.concatenate(
        [
            np.zeros(1, dtype=parts[0][0].dtype),
            *(p[0][1:] + off for p, off in zip(parts, offsets.tolist()[:-1], strict=True)),
        ]
    )
    return sp.csr_matrix(
        (
            np.concatenate([p[2][: int(p[0][-1])] for p in parts]),
            np.concatenate([p[1][: int(p[0][-1])] for p in parts]),
            out_indptr,
        ),
        shape=(a.shape[0], b.shape[1]),
    )


class CharNgramIndex:
    """Cosine search of normalised strings against a fixed list of normalised labels."""

    def __init__(self, idf: np.ndarray, matrix_t: sp.csr_matrix, ngram_range: tuple[int, int] = (3, 5)):
        self.idf = idf.astype(np.float32)
        self.matrix_t = matrix_t  # features x labels, CSR: one row per n-gram
        self.ngram_range = ngram_range
        self._vec = make_char_vectorizer(ngram_range)
        self.n_items = matrix_t.shape[1]

    @classmethod
    def build(
        cls, labels: Sequence[str], ngram_range: tuple[int, int] = (3, 5), max_df_share: float = 0.02
    ) -> CharNgramIndex:
        """Fit idf on ``labels`` and index them.

        N-grams found in more than ``max_df_share`` of the labels (and in more than 50) count in the
        vector norms but get no postings: they barely move a cosine, yet they would
        make every lookup touch a large share of the labels. Against no cut, over the 341,000
        occupation labels, 2 % keeps the top label of 97.3 % of dev seeker titles and 98.2 % of
        the ru/kk titles at a third of the cost (5 %: 99.5 %, two thirds of the cost); against
        5 %, no benchmark set lost more than 0.004 (``docs/benchmarks.md``, "Matcher, twentieth
        pass").
        """
        vec = make_char_vectorizer(ngram_range)
        # An empty taxonomy (a fresh database) is a valid state: the hasher cannot take [].
        empty = sp.csr_matrix((0, N_FEATURES), dtype=np.float64)
        raw = vec.transform(labels).tocsr() if len(labels) else empty
        raw.data = 1.0 + np.log(raw.data)  # sublinear tf
        df = np.bincount(raw.indices, minlength=N_FEATURES).astype(np.float64)
        n = max(len(labels), 1)
        idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        weighted = l2_normalize_rows(raw.multiply(idf[None, :]).tocsr())
        common = df > max(50.0, max_df_share * n)
        if common.any():
            weighted.data[common[weighted.indices]] = 0.0
            weighted.eliminate_zeros()
        return cls(idf, weighted.T.tocsr(), ngram_range)

    def vectorize(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Texts -> unit-length tf-idf rows in the index's feature space.

        The hashing is ``HashingVectorizer``'s (``char_wb`` n-grams, murmurhash3, the same
        columns and counts), done here with each n-gram's column memoised: a query's few texts
        cost a dictionary look-up per n-gram instead of sklearn's per-call set-up (a third of a
        title's vectorisation). ``tests/matching/engine/test_sparse_product.py`` checks the rows
        equal the sklearn route's.
        """
        if not len(texts):
            return sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        raw = self._hash_rows(texts)
        if raw.nnz:
            raw.data = 1.0 + np.log(raw.data)
            raw.data *= self.idf[raw.indices]
        return l2_normalize_rows(raw)

    def _hash_rows(self, texts: Sequence[str]) -> sp.csr_matrix:
        """``self._vec.transform(texts)``: n-gram counts per text, columns sorted."""
        columns = _NGRAM_COLUMNS
        if len(columns) > MAX_NGRAM_COLUMNS:
            columns.clear()
        lo, hi = self.ngram_range
        indptr = [0]
        indices: list[int] = []
        counts: list[float] = []
        for text in texts:
            row: dict[int, int] = {}
            for gram in _char_wb_ngrams(text, lo, hi):
                col = columns.get(gram)
                if col is None:
                    col = columns[gram] = _hash_column(gram)
                row[col] = row.get(col, 0) + 1
            for col in sorted(row):
                indices.append(col)
                counts.append(row[col])
            indptr.append(len(indices))
        return sp.csr_matrix(
            (
                np.asarray(counts, dtype=np.float32),
                np.asarray(indices, dtype=np.int32),
                np.asarray(indptr, dtype=np.int32),
            ),
            shape=(len(texts), N_FEATURES),
        )

    def similarities(self, queries: sp.csr_matrix) -> sp.csr_matrix:
        """Cosine of each query row with every label (sparse: only labels sharing an n-gram)."""
        return sparse_product(queries, self.matrix_t)

    def similarity_rows(self, queries: sp.csr_matrix) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """:meth:`similarities` row by row as ``(label indices, cosines)``, without assembling the
        matrix (a batch of titles touches tens of millions of label entries)."""
        return product_rows(queries, self.matrix_t)

    def top(self, text: str, k: int = 5) -> list[tuple[int, float]]:
        """The ``k`` most similar labels of one text as ``(label_index, cosine)``."""
        sims = self.similarities(self.vectorize([text]))
        if sims.nnz == 0:
            return []
        idx, vals = sims.indices, sims.data
        if len(vals) > k:
            part = np.argpartition(-vals, k)[:k]
            idx, vals = idx[part], vals[part]
        order = np.argsort(-vals, kind="stable")
        return [(int(idx[i]), float(vals[i])) for i in order]

    # ---- persistence ------------------------------------------------------------------
    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays for ``np.savez`` under ``prefix``."""
        return {
            f"{prefix}_idf": self.idf,
            **csr_arrays(prefix, self.matrix_t),
            f"{prefix}_ngram": np.array(self.ngram_range, dtype=np.int64),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray] | np.lib.npyio.NpzFile, prefix: str) -> CharNgramIndex:
        """Inverse of :meth:`arrays`."""
        m = csr_from_arrays(arrays, prefix)
        ngram = tuple(int(x) for x in arrays[f"{prefix}_ngram"])
        return cls(np.asarray(arrays[f"{prefix}_idf"]), m, (ngram[0], ngram[1]))
