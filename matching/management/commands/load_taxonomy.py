"""Load the project's own taxonomy data (`matching/data/`): kk/ru labels of every ISCO-08
group and of the common occupations, and the starter taxonomy used by the demo.
Idempotent; staff edits made in the admin are kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from matching.services import taxonomy_load_project


class Command(BaseCommand):
    help = "Load the project's occupation and skill labels from matching/data (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = taxonomy_load_project()
        self.stdout.write(f"Project taxonomy: {report}")
