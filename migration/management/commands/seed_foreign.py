"""Fill the provisional 2026 shortage-occupation list from the taxonomy. Safe to run again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from matching.models import Occupation
from migration.models import Field, ShortageList

PROVISIONAL_VERSION = "shortage-2026-provisional"
# PROVISIONAL: ISCO-08 unit groups standing in for the in-demand professions of MLSP order No. 49
# of 20.02.2023 until the 2026 list is confirmed, with the field each belongs to.
SHORTAGE_ISCO = {
    "2111": Field.SCIENCE,
    "2113": Field.SCIENCE,
    "2131": Field.SCIENCE,
    "2141": Field.INDUSTRY,
    "2144": Field.INDUSTRY,
    "2145": Field.INDUSTRY,
    "2151": Field.INDUSTRY,
    "2211": Field.HEALTH,
    "2212": Field.HEALTH,
    "2221": Field.HEALTH,
    "2310": Field.EDUCATION,
    "2330": Field.EDUCATION,
    "2511": Field.IT,
    "2512": Field.IT,
    "2513": Field.IT,
    "2522": Field.IT,
    "3422": Field.SPORT,
    "2652": Field.CULTURE,
}


class Command(BaseCommand):
    help = "Link the taxonomy's occupations to the provisional 2026 shortage list (run after load_taxonomy)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        listed = ShortageList.objects.filter(year=2026, version=PROVISIONAL_VERSION).first()
        if listed is None:
            self.stdout.write(
                "No provisional 2026 list: nothing to do (a real list is managed in the admin)."
            )
            return
        added = 0
        for occupation in Occupation.objects.filter(isco_group__code__in=SHORTAGE_ISCO).select_related(
            "isco_group"
        ):
            _row, created = listed.occupations.get_or_create(
                occupation=occupation,
                defaults={"field": SHORTAGE_ISCO[occupation.isco_group.code], "note": "PROVISIONAL"},
            )
            added += created
        self.stdout.write(self.style.SUCCESS(f"Provisional 2026 shortage list: {added} occupations added."))
