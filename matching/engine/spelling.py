"""One-letter typos in title words, corrected against the words of the taxonomy's labels.

People type titles fast: «Пеарь», «ПСХИОЛОГ», «уКрьер», "operrator". A title's char n-grams
survive a typo in a long word, but a short word loses most of them, and the title lands on
whatever shares the rest («Пеарь» on an accountant). A word the labels do not know is replaced
by the most frequent label word one edit away (a letter dropped, added, changed, or two
neighbours swapped: the optimal string alignment distance). The encoder keeps the corrected
title only when it scores higher than the typed one, so a real word the labels lack
(«тандырщик») is not pushed onto a neighbour.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable

from rapidfuzz.distance import OSA

# a shorter word has too many neighbours one edit away (Russian «бака» is Kazakh «баска»)
MIN_WORD = 5


class WordSpeller:
    """Label words by length and by their first and last two letters, with their frequency among
    the labels, for one-edit look-ups."""

    def __init__(self, frequencies: Counter[str]):
        self.freq = frequencies
        # One edit in a word of five letters or more leaves its first two letters or its last
        # two as they were, so a word's neighbours are among the label words of a length one
        # apart that share either pair: a few dozen words to compare instead of thousands.
        self._by_ends: dict[tuple[int, str, str], list[str]] = {}
        for w in sorted(frequencies):
            self._by_ends.setdefault((len(w), "^", w[:2]), []).append(w)
            self._by_ends.setdefault((len(w), "$", w[-2:]), []).append(w)
        self._memo: dict[str, tuple[str, ...]] = {}  # word -> its neighbours, best first
        self._lock = threading.Lock()

    @classmethod
    def from_labels(
        cls, labels: Iterable[str], vocabulary: Iterable[str] = (), extra: Iterable[str] = ()
    ) -> WordSpeller:
        """Words of normalised ``labels`` (alphabetic, four letters or more); with ``vocabulary``,
        only those words (e.g. the Russian/Kazakh labels' and the English ones': a typo in a
        Russian title should not land on a Polish word); ``extra`` words count once more each."""
        allowed = frozenset(vocabulary)
        freq: Counter[str] = Counter()
        for label in labels:
            for w in set(label.split()):
                if len(w) >= MIN_WORD - 1 and w.isalpha() and (not allowed or w in allowed):
                    freq[w] += 1
        freq.update(extra)
        return cls(freq)

    def correct_word(self, word: str, stem: Callable[[str], str] | None = None) -> str | None:
        """The label word one edit away from an unknown ``word`` (most frequent first, then
        alphabetical), or None when ``word`` is known, short, a known word of five letters or
        more with an ending, or has no such neighbour. With ``stem``, a neighbour of the same
        stem is another form of the word («мебель», «мебели»), not its correction: the word-stem
        match already meets it, and rewriting it only moves its char n-grams."""
        if len(word) < MIN_WORD or word in self.freq or not word.isalpha():
            return None
        if any(word[:k] in self.freq for k in range(MIN_WORD, len(word))):
            # a known word with an ending: Kazakh «аспазшы» is «аспаз» (cook) and the agent
            # suffix, one letter from «аспапшы» (tool maker); inflected Russian likewise
            return None
        near = self._memo.get(word)
        if near is None:
            ends = self._by_ends
            head, tail = word[:2], word[-2:]
            candidates: dict[str, None] = {}
            for length in (len(word) - 1, len(word), len(word) + 1):
                candidates.update(dict.fromkeys(ends.get((length, "^", head), ())))
                candidates.update(dict.fromkeys(ends.get((length, "$", tail), ())))
            distance = OSA.distance
            hits = [cand for cand in candidates if distance(word, cand, score_cutoff=1) <= 1]
            near = tuple(sorted(hits, key=lambda w: (-self.freq[w], w)))
            with self._lock:
                if len(self._memo) > 200_000:
                    self._memo.clear()
                self._memo[word] = near
        if not near:
            return None
        if stem is not None and stem(near[0]) == stem(word):
            return None
        return near[0]

    def correct(self, title: str, stem: Callable[[str], str] | None = None) -> str | None:
        """A normalised title with each unknown word corrected, or None when nothing changed."""
        words = title.split()
        fixed = [self.correct_word(w, stem) or w for w in words]
        return " ".join(fixed) if fixed != words else None
