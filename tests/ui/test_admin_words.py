"""The admin's sign-in throttling section (django-axes) is in the page's language: its name is
the project's, and every string django-axes marks for translation is listed for the project's
catalogues (django-axes ships no Kazakh)."""

from __future__ import annotations

import re
from pathlib import Path

import axes
import pytest
from django.apps import apps
from django.utils import translation

from mobility.accounts.axes_words import AXES_WORDS


def test_every_string_of_django_axes_is_listed_for_the_catalogues():
    marked = set()
    for source in Path(axes.__file__).parent.glob("*.py"):
        marked |= set(re.findall(r'\b_\(\s*"([^"]+)"', source.read_text(encoding="utf-8")))
    assert marked, "django-axes still marks its strings with _()"
    assert marked <= set(AXES_WORDS), sorted(marked - set(AXES_WORDS))


def test_the_section_has_the_projects_name():
    config = apps.get_app_config("axes")
    assert config.label == "axes" and config.name == "axes"  # the same tables and migrations
    with translation.override("en"):
        assert str(config.verbose_name) == "Sign-in throttling"


@pytest.mark.django_db
def test_the_admin_lists_the_section_under_its_name(admin_client):
    page = admin_client.get("/en/admin/").content.decode()
    assert "Sign-in throttling" in page and ">Axes<" not in page
