from typing import Any

from django.core.management.base import BaseCommand

from mobility import demo


class Command(BaseCommand):
    help = "Create the deterministic demo world and print its logins. Safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo.seed()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Every demo account's password: " + demo.DEMO_PASSWORD)
        )
        width = max(len(login.role) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.role:<{width}}  {login.login:<18}  {login.name}")
