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


def _skill(uri: str, **labels: str):
    from matching.models import Skill, SkillLabel, Source

    skill = Skill.objects.create(uri=uri, source=Source.PROJECT)
    for lang, text in labels.items():
        SkillLabel.objects.create(
            concept=skill, lang=lang, text=text, preferred=True, search_key=text.casefold()
        )
    return skill


def test_skill_gaps_are_named_in_the_pages_language_and_scaled_to_the_largest(client, dana):
    from mobility.exchange.models import VacancySkill
    from tests.factories import VacancyFactory

    welding = _skill("project:welding", kk="Дәнекерлеу", ru="Сварка", en="Welding")
    driving = _skill("project:driving", kk="Көлік жүргізу", ru="Вождение", en="Driving")
    # Employers typed Russian words (and two spellings of one skill); the taxonomy knows them.
    for skill, name in [(welding, "сварка")] * 4 + [(welding, "Сварщик РДС")] * 2:
        VacancySkill.objects.create(vacancy=VacancyFactory(), skill=skill, name=name)
    for _ in range(5):
        VacancySkill.objects.create(vacancy=VacancyFactory(), skill=driving, name="вождение")
    for _ in range(4):
        VacancySkill.objects.create(vacancy=VacancyFactory(), skill=None, name="1С")
    client.force_login(dana)
    page = client.get("/kk/staff/dashboard/").content.decode()
    table = page.split('class="table gap-table"', 1)[1]
    assert "Дәнекерлеу" in table and "Көлік жүргізу" in table and "1С" in table
    assert "Сварка" not in table and "Вождение" not in table and "Сварщик" not in table
    # 6, 5 and 4 vacancies: bars of 100, 83 and 67 % of the longest, in that order.
    assert re.findall(r'class="bar demand" style="--w: (\d+)"', table) == ["100", "83", "67"]
    assert "Welding" in client.get("/en/staff/dashboard/").content.decode()
