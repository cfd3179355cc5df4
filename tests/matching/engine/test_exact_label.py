"""A title that states one of the project's labels is read as what that label names."""

from __future__ import annotations

import pytest

from matching.engine import EngineConfig, RecordEncoder, Taxonomy, TaxonomyIndex

from .conftest import OCC


@pytest.fixture(scope="module")
def tindex() -> TaxonomyIndex:
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "dispatcher", "4323", "en", ["freight transport dispatcher"])
    tax.add_occupation(OCC + "dispatcher", "4323", "ru", ["Логист", "диспетчер по грузоперевозкам"])
    tax.add_occupation(OCC + "dispatcher", "4323", "kk", ["Логист", "жүк тасымалы диспетчері"])
    # the engineer's labels in other languages all say "logist...": its pooled labels are alike
    tax.add_occupation(OCC + "engineer", "2149", "en", ["logistics engineer", "logistician"])
    for lang, labels in {
        "de": ["Logistikingenieur", "Logistiker"],
        "fr": ["ingénieur logisticien", "logisticien"],
        "bg": ["логистик", "инженер логистик"],
        "pl": ["logistyk", "inżynier logistyk"],
        "sv": ["logistiker", "logistikingenjör"],
        "cs": ["logistik", "logistický inženýr"],
        "uk": ["логіст", "інженер-логіст"],
        "hr": ["logističar", "inženjer logistike"],
    }.items():
        tax.add_occupation(OCC + "engineer", "2149", lang, labels)
    tax.add_occupation(OCC + "engineer", "2149", "ru", ["Инженер-логист"])
    return TaxonomyIndex.build(tax, fingerprint="exact-label")


def best(tindex: TaxonomyIndex, title: str, config: EngineConfig) -> str:
    occ = RecordEncoder(tindex, config).encode(title).occ
    return tindex.occ_ids[occ[0][0]].removeprefix(OCC)


def test_a_title_that_is_a_project_label_is_what_the_label_names(tindex: TaxonomyIndex) -> None:
    assert best(tindex, "Логист", EngineConfig()) == "dispatcher"
    assert best(tindex, "логист", EngineConfig()) == "dispatcher"  # normalised, word for word
    assert best(tindex, "Инженер-логист", EngineConfig()) == "engineer"
    # without the rule, the engineer's alike labels outvote the dispatcher's own
    assert best(tindex, "Логист", EngineConfig(title_exact_pooled=False)) == "engineer"


def test_a_label_of_another_language_is_not_stated_by_a_russian_title(tindex: TaxonomyIndex) -> None:
    """«логистик» is a Bulgarian label: a Russian or Kazakh title that spells it gets no help;
    the Ukrainian «логіст» spells the project's «Логист», and only the latter names its occupation."""
    lid = tindex.label_exact["logistik"]
    lo, hi = tindex.label_concepts.indptr[lid], tindex.label_concepts.indptr[lid + 1]
    assert not tindex.label_concept_local[lo:hi].any()
    lid = tindex.label_exact["logist"]
    lo, hi = tindex.label_concepts.indptr[lid], tindex.label_concepts.indptr[lid + 1]
    named = tindex.label_concepts.indices[lo:hi]
    assert {tindex.occ_ids[o].removeprefix(OCC) for o in named} == {"dispatcher", "engineer"}
    assert {tindex.occ_ids[o].removeprefix(OCC) for o in named[tindex.label_concept_local[lo:hi]]} == {
        "dispatcher"
    }


@pytest.fixture(scope="module")
def spelt_alike() -> TaxonomyIndex:
    """«Энергетик» is the project's label of the electrical engineer; Bulgarian, Czech and Slovenian spell
    the energy engineer "energetik", and the Bulgarian ambulance dispatcher is «диспетчер»."""
    tax = Taxonomy(sources=["fixture"])
    tax.add_occupation(OCC + "electrical", "2151", "en", ["electrical engineer"])
    tax.add_occupation(OCC + "electrical", "2151", "ru", ["Инженер-электрик", "энергетик"])
    tax.add_occupation(OCC + "energy", "2149", "en", ["energy engineer"])
    tax.add_occupation(OCC + "energy", "2149", "cs", ["energetik"])
    tax.add_occupation(OCC + "energy", "2149", "sl", ["energetik", "inženir energetike"])
    tax.add_occupation(OCC + "energy", "2149", "bg", ["енергетик", "инженер енергетик"])
    tax.add_occupation(OCC + "ambulance", "4223", "en", ["emergency medical dispatcher"])
    tax.add_occupation(OCC + "ambulance", "4223", "ru", ["Диспетчер скорой помощи", "диспетчер 103"])
    tax.add_occupation(OCC + "freight", "4323", "en", ["freight transport dispatcher"])
    tax.add_occupation(OCC + "freight", "4323", "ru", ["Диспетчер по грузоперевозкам"])
    return TaxonomyIndex.build(tax, fingerprint="spelt-alike")


def test_a_project_label_the_title_states_outranks_the_same_spelling_in_another_language(
    spelt_alike: TaxonomyIndex,
) -> None:
    enc = RecordEncoder(spelt_alike, EngineConfig())
    occ, val = enc.title_scores_batch(["energetik"], [False], [False])[0]
    scores = {spelt_alike.occ_ids[o].removeprefix(OCC): float(v) for o, v in zip(occ, val, strict=True)}
    assert scores["electrical"] >= scores["energy"] + EngineConfig().title_exact_margin - 1e-6
    off = RecordEncoder(spelt_alike, EngineConfig(title_exact_margin=0.0))
    occ, val = off.title_scores_batch(["energetik"], [False], [False])[0]
    plain = {spelt_alike.occ_ids[o].removeprefix(OCC): float(v) for o, v in zip(occ, val, strict=True)}
    assert plain["electrical"] < scores["electrical"]  # the margin is what lifted it


def test_a_label_whose_number_normalising_drops_is_not_the_bare_word(spelt_alike: TaxonomyIndex) -> None:
    """«диспетчер 103» would normalise to «диспетчер»: the number said which dispatcher."""
    assert "dispetcher" not in spelt_alike.label_exact
    assert best(spelt_alike, "Диспетчер скорой помощи", EngineConfig()) == "ambulance"
