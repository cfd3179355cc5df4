"""A title that mixes the words of an occupation's Russian and Kazakh labels finds it: the
occupation's pooled label stems cover the title though no single label does."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex
from matching.engine.normalize import normalize_title
from matching.engine.titlestems import title_stems

OCC = "http://example.org/occupation/"


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "forklift", "8344", "ru", ["водитель погрузчика", "оператор погрузчика"])
    tax.add_occupation(OCC + "forklift", "8344", "kk", ["тиегіш жүргізушісі"])
    tax.add_occupation(OCC + "forklift", "8344", "en", ["forklift operator"])
    tax.add_occupation(OCC + "lorry", "8332", "ru", ["водитель грузовика"])
    tax.add_occupation(OCC + "lorry", "8332", "kk", ["жүк көлігінің жүргізушісі", "жүргізуші"])
    tax.add_occupation(OCC + "cafe", "1412", "ru", ["управляющий кафе", "администратор ресторана"])
    tax.add_occupation(OCC + "cafe", "1412", "kk", ["мейрамхана әкімшісі", "кафе басқарушысы"])
    tax.add_occupation(OCC + "sysadmin", "2522", "ru", ["системный администратор"])
    tax.add_occupation(OCC + "sysadmin", "2522", "kk", ["жүйелік әкімші"])
    tax.add_occupation(OCC + "loader", "9333", "ru", ["грузчик"])
    tax.add_occupation(OCC + "loader", "9333", "kk", ["жүк тиеуші"])
    return TaxonomyIndex.build(tax)


def _top(encoder: RecordEncoder, title: str) -> str:
    rec = encoder.encode(title)
    return encoder.t.occ_ids[rec.occ[0][0]].removeprefix(OCC)


def _pool_rows(tindex: TaxonomyIndex, title: str) -> dict[str, float]:
    tsi = tindex.title_stem_index
    assert tsi is not None
    stems = title_stems(normalize_title(title), tindex.english_vocab, True)
    ((occ, cover),) = tsi.pool_scores([stems], tindex.occ_stem_pool_t)
    return {tindex.occ_ids[o].removeprefix(OCC): round(float(c), 3) for o, c in zip(occ, cover, strict=True)}


def test_a_mixed_title_is_covered_by_its_occupations_pooled_labels(tindex: TaxonomyIndex) -> None:
    # the Russian noun of «водитель погрузчика» with the Kazakh head of «тиегіш жүргізушісі»
    assert _pool_rows(tindex, "Погрузчик жүргізушісі") == {"forklift": 1.0}
    # a word of one label of the cafe manager with a word of another
    assert _pool_rows(tindex, "Кафе әкімшісі") == {"cafe": 1.0}


def test_a_one_word_title_is_left_to_the_labels(tindex: TaxonomyIndex) -> None:
    # pooled, every driver occupation would cover «жүргізуші» fully
    assert _pool_rows(tindex, "Жүргізуші") == {}


def test_the_pool_ranks_the_occupation_first(tindex: TaxonomyIndex) -> None:
    on = RecordEncoder(tindex, EngineConfig(title_pool_weight=0.8))
    off = RecordEncoder(tindex, EngineConfig(title_pool_weight=0.0))
    assert _top(on, "Погрузчик жүргізушісі") == "forklift"
    assert _top(off, "Погрузчик жүргізушісі") != "forklift"  # the head word alone: any driver
    assert _top(on, "Кафе әкімшісі") == "cafe"
    # a title that is a label keeps that label's occupation
    assert _top(on, "Жүк көлігінің жүргізушісі") == "lorry"
    assert _top(on, "Водитель погрузчика") == "forklift"


def test_title_stems_keep_the_agent_noun_apart_from_its_base() -> None:
    # «есепші» (an accountant) is not «есеп» (an account, a report: in many skill labels), and
    # «әкімші» (an administrator) is not «әкім» (a mayor, Russian «аким»)
    assert (
        title_stems(normalize_title("Есепшінің көмекшісі"), kazakh=True)[0]
        == title_stems(normalize_title("есепші"), kazakh=True)[0]
    )
    assert title_stems(normalize_title("есепші"), kazakh=True) != title_stems(
        normalize_title("есеп"), kazakh=True
    )
    assert (
        title_stems(normalize_title("Кафе әкімшісі"), kazakh=True)[1]
        != title_stems(normalize_title("аким"), kazakh=False)[0]
    )
    assert title_stems(normalize_title("әкімшісі"), kazakh=True) == title_stems(
        normalize_title("әкімші"), kazakh=True
    )
