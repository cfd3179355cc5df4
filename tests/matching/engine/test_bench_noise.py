"""The hard postings set's noisy copies: what each kind of noise does to a record."""

from __future__ import annotations

import random

from matching.bench.variants import KZ_POSTINGS_HARD, noisy_posting, read_postings

KAZAKH_LETTERS = set("әіңғүұқөһӘІҢҒҮҰҚӨҺ")


def test_every_record_gets_a_harder_copy_that_keeps_its_occupation() -> None:
    rows = read_postings(KZ_POSTINGS_HARD)
    assert len(rows) >= 100 and {r["kind"] for r in rows} == {"seeker", "vacancy"}
    rng = random.Random(7)
    kinds = set()
    for r in rows:
        copy, kind = noisy_posting(r, rng)
        kinds.add(kind)
        assert copy["id"] == r["id"] + "n" and copy["occupation"] == r["occupation"]
        assert copy["title"] != r["title"] or copy["text"] != r["text"] or not r["text"]
        if kind == "plain":
            assert copy["lang"] == "kk-plain"
            assert not KAZAKH_LETTERS & set(copy["title"] + copy["text"] + copy["skills"])
        if kind == "latin" and not r["lang"].endswith("lat"):
            assert copy["lang"].endswith("-lat")
            assert not any("а" <= ch <= "я" for ch in copy["text"].casefold())
    assert kinds == {"plain", "latin", "typos"}
