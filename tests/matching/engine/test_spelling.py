"""The speller's neighbour search, against a comparison with every label word."""

from __future__ import annotations

import random
from collections import Counter

from rapidfuzz.distance import OSA

from matching.engine.spelling import MIN_WORD, WordSpeller

ALPHABETS = ("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі", "abcdefghijklmnopqrstuvwxyz")


def _brute_force(speller: WordSpeller, word: str) -> str | None:
    """What ``correct_word`` answers, by comparing ``word`` with every label word."""
    if len(word) < MIN_WORD or word in speller.freq or not word.isalpha():
        return None
    if any(word[:k] in speller.freq for k in range(MIN_WORD, len(word))):
        return None
    near = sorted(
        (w for w in speller.freq if OSA.distance(word, w) == 1), key=lambda w: (-speller.freq[w], w)
    )
    return near[0] if near else None


def _edited(word: str, rng: random.Random, letters: str) -> str:
    """``word`` with one random edit: a letter dropped, added, changed, or two swapped."""
    i = rng.randrange(len(word))
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + rng.choice(letters) + word[i:]
    if kind == 2:
        return word[:i] + rng.choice(letters) + word[i + 1 :]
    if i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word


def test_neighbours_are_the_ones_a_full_comparison_finds() -> None:
    """The search looks only at words sharing the first or the last two letters: one edit
    never changes both pairs of a word of five letters or more, so nothing is missed."""
    rng = random.Random(7)
    for letters in ALPHABETS:
        vocab = {"".join(rng.choice(letters[:8]) for _ in range(rng.randint(4, 9))) for _ in range(3000)}
        freq = Counter({w: rng.randint(1, 5) for w in vocab})
        speller = WordSpeller(freq)
        words = sorted(vocab)
        probes = [_edited(rng.choice(words), rng, letters[:8]) for _ in range(1500)]
        probes += ["".join(rng.choice(letters[:8]) for _ in range(rng.randint(5, 8))) for _ in range(300)]
        found = 0
        for probe in probes:
            expected = _brute_force(speller, probe)
            assert speller.correct_word(probe) == expected, probe
            found += expected is not None
        assert found > 300  # the probes do exercise corrections, not only misses


def test_a_typo_at_either_end_is_corrected() -> None:
    speller = WordSpeller(Counter({"бухгалтер": 5, "водитель": 4, "электрик": 3}))
    assert speller.correct_word("бугалтер") == "бухгалтер"  # a letter dropped near the start
    assert speller.correct_word("вадитель") == "водитель"  # the second letter changed
    assert speller.correct_word("бодитель") == "водитель"  # the first letter changed
    assert speller.correct_word("электирк") == "электрик"  # two letters swapped at the end
