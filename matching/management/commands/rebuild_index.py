"""Build the matcher's index from the database and publish it as the current artifact: the
step `make seed` ends with (so a new machine's first "Vacancies for me" has results and
`/readyz` is green at once) and the one to run after `import_esco`. The nightly task does the
same through `matching.tasks.rebuild_index`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from matching.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the matcher's index from the database and publish it (what the nightly task does)."

    def handle(self, *args: Any, **options: Any) -> None:
        report = index_rebuild()
        self.stdout.write(
            f"Matcher index {report['artifact']}: {report['vacancies']} vacancies, "
            f"{report['seekers']} seekers in {report['seconds']} s"
        )
