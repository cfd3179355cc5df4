"""Word-stem matching of job titles against the project's Russian and Kazakh labels.

Char n-grams compare spellings, which serves most titles but fails on short Kazakh words and
on compounds that reword a label. «Мұнара кранының машинисі» (tower crane operator) shares more
n-grams with «контейнерлік кран машинисі» than with its own «мұнаралы кран машинисі»; in «ас үй
жұмысшысы» (kitchen worker) the two-letter words «ас үй» give a handful of n-grams while
«жұмысшысы» (worker) gives many, so every "... worker" label comes close. Comparing word stems,
weighted by how rare each is among the labels, finds the tower crane, and raises «ас үйдің
көмекші жұмысшысы» (every stem of the title is in it) though not yet above *stevedore*.

A title and a label are scored by ``sqrt(coverage of the title x coverage of the label)``, each
coverage the IDF-weighted share of its stems matched by the other side. A title's stem matches
an equal label stem and, in a Kazakh title, one it begins (four letters or more: «мұнара» is the
base of «мұнаралы») or one that begins it (five letters or more: the suffix stripper has no
dictionary and cuts the same word differently in different forms).

Titles and labels are stemmed from their normalised (Latin, folded) form, so both sides agree
whatever script the person typed in; a Kazakh label or record takes the Kazakh suffix stripper,
others the Russian stemmer. In titles the Kazakh stripper leaves the agent ending (-шы/-ші) on:
the occupation is «есепші», not the «есеп» (account) of the skill labels.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from .morphology import en_stem, kazakh_stem, latin_to_cyrillic, ru_stem
from .normalize import transliterate
from .textindex import csr_arrays, csr_from_arrays

__all__ = ["TitleStemIndex", "title_stems"]

_MIN_PREFIX = 4  # a title's stem matches the label stems it begins («мұнара»: «мұнаралы»)
# a label stem matches the title stems it begins only from five letters: «убор» (of «головных
# уборов», hats) is not the beginning of «уборщица»
_MIN_LABEL_PREFIX = 5


# Function words only: «жұмысшы», «работник» are what a title is about, unlike in prose.
_TITLE_STOP = frozenset(
    """
    i v vo na s so po dlya ot do iz k ili a and or the of in on at to for with by from zhane men ushin
    """.split()
)


@lru_cache(maxsize=200_000)
def _word_stem(word: str, english: bool, kazakh: bool) -> str:
    if english:
        return en_stem(word)
    cyr = latin_to_cyrillic(word)
    if kazakh:
        return transliterate(kazakh_stem(cyr, 2, derivational=False))
    return transliterate(ru_stem(cyr))


def title_stems(
    norm_title: str, english_vocab: Collection[str] = (), kazakh: bool = False
) -> tuple[str, ...]:
    """Stems of a normalised title's words, without function words and one-letter words.

    English words of the taxonomy take the English stemmer; the others the Kazakh suffix
    stripper when the record (or label) is Kazakh, else the Russian stemmer.
    """
    out: list[str] = []
    for w in norm_title.split():
        if len(w) < 2 or w in _TITLE_STOP:
            continue
        st = _word_stem(w, w in english_vocab, kazakh)
        if len(st) >= 2 and st not in out:
            out.append(st)
    return tuple(out)


class TitleStemIndex:
    """Labels x stems, IDF-weighted, with :meth:`scores` for a batch of titles."""

    def __init__(self) -> None:
        self.vocab: list[str] = []  # sorted stems
        self.vocab_ix: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self.label_ids = np.zeros(0, dtype=np.int32)  # row -> taxonomy label index
        self.matrix_t = sp.csr_matrix((0, 0), dtype=np.float32)  # stems x rows, 1 where present
        self.row_total = np.zeros(0, dtype=np.float32)  # sum of a row's stem weights

    @classmethod
    def build(
        cls,
        labels: Sequence[str],
        label_ids: Sequence[int],
        english_vocab: Collection[str] = (),
        kazakh: Sequence[bool] = (),
    ) -> TitleStemIndex:
        """Index normalised ``labels`` (taxonomy label indices ``label_ids``; ``kazakh``: which
        labels are Kazakh)."""
        self = cls()
        kk = list(kazakh) or [False] * len(labels)
        stems = [title_stems(lab, english_vocab, k) for lab, k in zip(labels, kk, strict=True)]
        # a label given twice (Kazakh and Russian stems) keeps its second row only when it differs
        seen: set[tuple[int, tuple[str, ...]]] = set()
        keep = []
        for i, label_stems in enumerate(stems):
            if label_stems and (label_ids[i], label_stems) not in seen:
                seen.add((label_ids[i], label_stems))
                keep.append(i)
        vocab = sorted({st for i in keep for st in stems[i]})
        self.vocab = vocab
        self.vocab_ix = {st: i for i, st in enumerate(vocab)}
        df = np.zeros(len(vocab), dtype=np.float64)
        rows: list[int] = []
        cols: list[int] = []
        for r, i in enumerate(keep):
            for st in stems[i]:
                j = self.vocab_ix[st]
                df[j] += 1
                rows.append(j)
                cols.append(r)
        n = max(len(keep), 1)
        self.idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
        self.label_ids = np.asarray([label_ids[i] for i in keep], dtype=np.int32)
        m = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(vocab), len(keep)))
        m.sum_duplicates()
        m.data[:] = 1.0
        self._set_matrix(m)
        return self

    def _set_matrix(self, m: sp.csr_matrix) -> None:
        self.matrix_t = m.tocsr()
        weighted = sp.diags(self.idf) @ self.matrix_t
        self.row_total = np.asarray(weighted.sum(axis=0)).ravel().astype(np.float32)

    def _expand(self, stem: str, prefixes: bool = True) -> list[int]:
        """Vocabulary stems that ``stem`` matches: equal, or (``prefixes``) sharing a beginning."""
        out = []
        j = self.vocab_ix.get(stem)
        if j is not None:
            out.append(j)
        if not prefixes or len(stem) < _MIN_PREFIX:
            return out
        lo = bisect.bisect_left(self.vocab, stem)
        hi = lo
        while hi < len(self.vocab) and self.vocab[hi].startswith(stem):
            if self.vocab[hi] != stem:
                out.append(hi)
            hi += 1
        for k in range(_MIN_LABEL_PREFIX, len(stem)):
            j = self.vocab_ix.get(stem[:k])
            if j is not None:
                out.append(j)
        return out

    def _postings(
        self, stems: Sequence[str], prefix: bool, indptr: np.ndarray, indices: np.ndarray, max_idf: float
    ) -> tuple[float, list[np.ndarray], list[float], set[int]]:
        """For one title's stems, over a stems-by-rows CSR (``indptr``, ``indices``): the sum of
        the stems' weights, per matched stem the rows holding it (or a stem it matches) and its
        weight, and the vocabulary stems matched. An unknown stem weighs the largest IDF."""
        total = 0.0
        parts: list[np.ndarray] = []
        part_w: list[float] = []
        union: set[int] = set()
        for st in stems:
            j0 = self.vocab_ix.get(st)
            w = float(self.idf[j0]) if j0 is not None else max_idf
            total += w
            ex = self._expand(st, prefix)
            if not ex:
                continue
            rows = np.concatenate([indices[indptr[j] : indptr[j + 1]] for j in ex])
            parts.append(np.unique(rows) if len(ex) > 1 else rows)
            part_w.append(w)
            union.update(ex)
        return total, parts, part_w, union

    def scores(
        self, titles: Sequence[tuple[str, ...]], min_score: float = 0.5, prefixes: Sequence[bool] = ()
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each title's stems, ``(taxonomy label indices, scores in [0, 1])`` above ``min_score``.

        ``prefixes``: per title, whether stems also match by beginning (Kazakh titles: derivation
        and a stemmer without a dictionary). Russian stems match only equal ones: Snowball is
        reliable there, and «бригада» (a crew) must not find «бригадир» (its foreman).
        """
        use_prefix = list(prefixes) or [True] * len(titles)
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        if not len(self.vocab):
            return [empty for _ in titles]
        # numpy over the CSR arrays, a title at a time: scipy's sparse products cost more in
        # set-up than in work for the few stems a title has
        indptr, indices = self.matrix_t.indptr, self.matrix_t.indices
        max_idf = float(self.idf.max())
        out = []
        for stems, prefix in zip(titles, use_prefix, strict=True):
            total, parts, part_w, union = self._postings(stems, prefix, indptr, indices, max_idf)
            if not parts or total <= 0:
                out.append(empty)
                continue
            lens = [len(p) for p in parts]
            uniq, inv = np.unique(np.concatenate(parts), return_inverse=True)
            cover_t = np.bincount(inv, weights=np.repeat(part_w, lens), minlength=len(uniq)) / total
            ub = sorted(union)
            lab_rows = [indices[indptr[j] : indptr[j + 1]] for j in ub]
            at = np.searchsorted(uniq, np.concatenate(lab_rows))
            lw = np.repeat(self.idf[ub], [len(r) for r in lab_rows])
            label_total = np.maximum(self.row_total[uniq], 1e-9)
            cover_l = np.bincount(at, weights=lw, minlength=len(uniq)) / label_total
            score = np.sqrt(np.clip(cover_t, 0, 1) * np.clip(cover_l, 0, 1))
            keep = score >= min_score
            ids, vals = self.label_ids[uniq[keep]], score[keep].astype(np.float32)
            if len(ids) > 1:
                # a label with rows of both stemmers counts once, at its better score
                order = np.argsort(-vals, kind="stable")
                ids, first = np.unique(ids[order], return_index=True)
                vals = vals[order][first]
            out.append((ids, vals))
        return out

    def pool(self, label_concepts: sp.csr_matrix, n_concepts: int) -> sp.csr_matrix:
        """Stems x concepts, 1 where any label of the concept (columns < ``n_concepts`` of the
        taxonomy's labels x concepts matrix) has the stem: every word the concept is named with,
        in Russian and in Kazakh, pooled."""
        lc = label_concepts[self.label_ids][:, :n_concepts].tocsr().copy()
        lc.data[:] = 1.0
        pooled = (self.matrix_t @ lc).tocsr()
        pooled.data[:] = 1.0
        return pooled.astype(np.float32)

    def pool_scores(
        self, titles: Sequence[tuple[str, ...]], pool_t: sp.csr_matrix, prefixes: Sequence[bool] = ()
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each title's stems, ``(concept indices, IDF-weighted share of the title's stems
        found among the concept's pooled label stems)``; titles of one stem give nothing.

        «Погрузчик жүргізушісі» names its Russian noun and its Kazakh head (forklift operator is
        «водитель погрузчика» and «тиегіш жүргізушісі»); no single label holds both words, the
        occupation's pooled stems do. A one-word title is a label's business: pooled, every
        occupation with that word anywhere in its labels would cover it fully.
        """
        use_prefix = list(prefixes) or [True] * len(titles)
        empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        if not len(self.vocab):
            return [empty for _ in titles]
        indptr, indices = pool_t.indptr, pool_t.indices
        max_idf = float(self.idf.max())
        out = []
        for stems, prefix in zip(titles, use_prefix, strict=True):
            if len(stems) < 2:
                out.append(empty)
                continue
            total, parts, part_w, _ = self._postings(stems, prefix, indptr, indices, max_idf)
            if len(parts) < 2 or total <= 0:  # one matched word: the labels' own scores decide
                out.append(empty)
                continue
            lens = [len(p) for p in parts]
            uniq, inv = np.unique(np.concatenate(parts), return_inverse=True)
            cover = np.bincount(inv, weights=np.repeat(part_w, lens), minlength=len(uniq)) / total
            # only occupations whose pooled words meet at least two of the title's
            hits = np.bincount(inv, minlength=len(uniq))
            keep = hits >= 2
            out.append((uniq[keep].astype(np.int32), cover[keep].astype(np.float32)))
        return out

    # ---- persistence -----------------------------------------------------------------
    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """Arrays for ``np.savez`` under ``prefix`` (the vocabulary goes to the JSON side)."""
        return {
            f"{prefix}_idf": self.idf,
            f"{prefix}_label_ids": self.label_ids,
            **csr_arrays(prefix, self.matrix_t),
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str, vocab: list[str]) -> TitleStemIndex:
        """Inverse of :meth:`arrays`."""
        self = cls()
        self.vocab = vocab
        self.vocab_ix = {st: i for i, st in enumerate(vocab)}
        self.idf = arrays[f"{prefix}_idf"]
        self.label_ids = arrays[f"{prefix}_label_ids"]
        self._set_matrix(csr_from_arrays(arrays, prefix))
        return self
