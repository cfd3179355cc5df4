import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from mobility.reference.services import calendar_days_load


def year_range(value: str) -> range:
    """`2026` or `2024-2030` (inclusive)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", value.strip())
    if not match:
        raise CommandError("Give a year or a range of years, e.g. 2024-2030.")
    first = int(match[1])
    last = int(match[2] or first)
    if last < first:
        raise CommandError("The range must go from the earlier year to the later one.")
    return range(first, last + 1)


class Command(BaseCommand):
    help = (
        "Load Kazakhstan's public holidays, moved days off and transferred working days from the "
        "holidays package. Idempotent; never changes a day staff confirmed or edited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", help="e.g. 2024-2030 (default: last year to four years ahead)")

    def handle(self, *args: Any, **options: Any) -> None:
        this_year = timezone.localdate().year
        years = year_range(options["years"]) if options["years"] else range(this_year - 1, this_year + 5)
        counts = calendar_days_load(years=years)
        self.stdout.write(f"{years[0]}-{years[-1]}: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
