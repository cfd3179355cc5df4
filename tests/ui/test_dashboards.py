"""Dashboards open on the scope that fits the role, and their bars are scaled to the largest
value (6, 5 and 4 used to be drawn the same length)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db
CSS = Path(__file__).resolve().parents[2] / "mobility" / "static" / "css" / "app.css"


def _selected_scope(page: str) -> str:
    match = re.search(r'<option value="(\w+)" selected>', page.split('name="scope"', 1)[1])
    assert match
    return match.group(1)


def test_a_regional_manager_opens_on_the_region(client, yerlan):
    client.force_login(yerlan)
    assert _selected_scope(client.get("/en/staff/dashboard/").content.decode()) == "region"


def test_a_counsellor_opens_on_the_centre(client, dana):
    client.force_login(dana)
    assert _selected_scope(client.get("/en/staff/dashboard/").content.decode()) == "centre"


def test_skill_gap_bars_are_not_capped():
    rule = re.search(r"^\.bar \{[^}]*\}", CSS.read_text(), re.M)
    assert rule and "max-width" not in rule.group(0) and "var(--w" in rule.group(0)
