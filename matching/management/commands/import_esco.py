"""Import the ESCO v1.1.1 CSV release (and optionally ESCO labels in more languages).

    python manage.py import_esco PATH [--melo DIR]

PATH is the folder holding `esco_v1.1.1_classification_en_csv.zip` and
`esco_v1.1.1_relations_csv.zip` (as downloaded from the ESCO portal), or its parent.
--melo names a folder of MELO-layout datasets (`*_c_<lang>/corpus_elements.tsv.gz` +
`concept_mapping.tsv.gz`); only those two files are read. Safe to run again.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.engine.taxonomy import add_melo_labels, esco_paths, load_esco, read_esco_skills
from matching.models import Source
from matching.taxonomy_store import taxonomy_save


class Command(BaseCommand):
    help = "Import the ESCO v1.1.1 CSV release from PATH (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="folder with the ESCO classification and relations zips")
        parser.add_argument("--melo", help="folder of MELO datasets with ESCO labels in more languages")

    def handle(self, *args: Any, path: str, melo: str | None = None, **options: Any) -> None:
        started = time.monotonic()
        try:
            classification, relations = esco_paths(path)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        tax = load_esco(classification, relations)
        types = {
            row["uri"]: "knowledge" if row["skill_type"] == "knowledge" else "skill"
            for row in read_esco_skills(classification)
        }
        report = taxonomy_save(tax, source=Source.ESCO, skill_types=types)
        self.stdout.write(f"ESCO: {report}")
        if melo:
            melo_dir = Path(melo)
            if not melo_dir.is_dir():
                raise CommandError(f"{melo} is not a folder")
            labels_only = type(tax)(sources=["melo"])
            for occ in tax.occupations.values():
                labels_only.add_occupation(occ.id, occ.isco, "en", [])
            count = add_melo_labels(labels_only, melo_dir)
            for occ in labels_only.occupations.values():
                occ.labels = {k: v for k, v in occ.labels.items() if v}
            report = taxonomy_save(labels_only, source=Source.MELO)
            self.stdout.write(f"MELO: {count} labels read, {report}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s"))
