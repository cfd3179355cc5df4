"""Labels the project wrote itself stay marked unreviewed until a native speaker confirms them."""

from __future__ import annotations

import pytest

from matching.admin import OccupationLabelInline, SkillLabelInline
from matching.engine.taxonomy import Taxonomy
from matching.models import IscoGroupLabel, OccupationLabel, SkillLabel, Source
from matching.taxonomy_store import taxonomy_save

pytestmark = pytest.mark.django_db

MANAGE_STAFF = "http://data.europa.eu/esco/skill/339ac029-066a-4985-9f9d-b3d7c8fea0bb"


def test_project_labels_load_unreviewed(project_taxonomy):
    for model in (SkillLabel, OccupationLabel, IscoGroupLabel):
        assert model.objects.filter(source=Source.PROJECT).exists()
        assert not model.objects.filter(source=Source.PROJECT, reviewed=True).exists()
    label = SkillLabel.objects.get(concept__uri=MANAGE_STAFF, lang="ru", text="управление персоналом")
    assert label.reviewed is False


def test_labels_from_esco_count_as_reviewed(project_taxonomy):
    tax = Taxonomy()
    tax.add_skill(MANAGE_STAFF, "en", ["manage staff"])
    taxonomy_save(tax, source=Source.ESCO)
    assert SkillLabel.objects.get(concept__uri=MANAGE_STAFF, lang="en").reviewed is True


def test_reloading_project_data_keeps_a_confirmation(project_taxonomy):
    from matching import services

    label = SkillLabel.objects.get(concept__uri=MANAGE_STAFF, lang="ru", text="управление персоналом")
    label.reviewed = True
    label.save()
    services.taxonomy_load_project()
    label.refresh_from_db()
    assert label.reviewed is True


def test_staff_tick_reviewed_in_the_admin():
    assert "reviewed" in SkillLabelInline.fields
    assert "reviewed" in OccupationLabelInline.fields
