from typing import Any

from django.core.management.base import BaseCommand

from mobility.core.schedules import schedules_sync


class Command(BaseCommand):
    help = "Make the django-q2 schedules match mobility/core/schedules.py (after a deploy)."

    def handle(self, *args: Any, **options: Any) -> None:
        for name in schedules_sync():
            self.stdout.write(name)
