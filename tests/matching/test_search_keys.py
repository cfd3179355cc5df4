"""Label search keys follow the normalisation: a fold it learns reaches the keys stored before."""

from __future__ import annotations

import pytest

from matching.engine.normalize import normalize_text
from matching.models import OccupationLabel
from matching.taxonomy_store import search_keys_refresh
from mobility.employer.selectors.vacancies import occupation_by_label

pytestmark = pytest.mark.django_db


def test_latin_spellings_of_shch_and_kh_meet_the_cyrillic_label(project_taxonomy):
    welder = OccupationLabel.objects.get(lang="ru", text="Электрогазосварщик").concept
    for typed in (
        "elektrogazosvarshchik",
        "elektrogazosvarschik",
        "elektrogazosvarshik",
        "ЭЛЕКТРОГАЗОСВАРЩИК",
    ):
        assert occupation_by_label(typed) == welder, typed
    assert normalize_text("bukhgalter") == normalize_text("бухгалтер") == normalize_text("buhgalter")


def test_keys_stored_in_an_older_form_are_refreshed(project_taxonomy):
    label = OccupationLabel.objects.get(lang="ru", text="Электрогазосварщик")
    OccupationLabel.objects.filter(pk=label.pk).update(search_key="elektrogazosvarshtik")  # the old «щ»

    assert search_keys_refresh() == 1
    label.refresh_from_db()
    assert label.search_key == "elektrogazosvarshik"
    assert occupation_by_label("elektrogazosvarschik") == label.concept
    assert search_keys_refresh() == 0  # nothing else was stale, and a second run changes nothing


def test_kazakh_in_latin_letters_meets_the_cyrillic_label(project_taxonomy):
    """«ж» is "j" in the 2018 and 2021 Kazakh alphabets and on phones, "zh" in the keys."""
    label = OccupationLabel.objects.filter(lang="kk", text="Жазушы").first()  # a writer
    assert label is not None
    for typed in ("Jazushy", "Jazýshy", "zhazushy", "ЖАЗУШЫ"):
        assert occupation_by_label(typed) == label.concept, typed
