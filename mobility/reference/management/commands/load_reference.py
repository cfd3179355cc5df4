from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from mobility.reference.loader import load_reference


class Command(BaseCommand):
    help = (
        "Create or update the reference data (regions, centres, MRP, quotas, rules) and the "
        "holiday table. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference(apps)
        self.stdout.write(", ".join(f"{k}={v}" for k, v in counts.items()))
        call_command("load_holidays", stdout=self.stdout)
