"""The hand-written postings sets are well formed: a writer's slip (a tab in a text, a repeated id,
a language tag the slices do not know) would silently drop or mislabel records."""

from __future__ import annotations

from pathlib import Path

import pytest

from matching.bench.variants import read_postings

BENCH = Path(__file__).resolve().parents[3] / "matching" / "bench"
LANGS = {"ru", "kk", "ru-lat", "kk-lat", "kk-plain"}


@pytest.mark.parametrize("path", sorted(BENCH.glob("kz_postings*.tsv")), ids=lambda p: p.name)
def test_postings_file_is_well_formed(path: Path) -> None:
    rows = read_postings(path)
    assert rows
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert None not in r, r["id"]  # no extra field (a tab inside a text)
        assert r["kind"] in {"seeker", "vacancy"}, r["id"]
        assert r["lang"] in LANGS, r["id"]
        assert (r["occupation"] or "").strip(), r["id"]
        assert (r["title"] or "").strip(), r["id"]
        if r["kind"] == "vacancy":
            assert (r["text"] or "").strip(), r["id"]
