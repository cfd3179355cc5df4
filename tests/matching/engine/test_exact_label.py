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
