"""The pages of the seeker's, the employer's and the staff's journeys, for the machine checks
(axe: tests/e2e/test_accessibility.py) and the screenshots (tests/e2e/test_screenshots.py).

Addresses are read from the demo world (`world` fixture) without changing it; each persona signs
in through the shared step, as a person would.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import ViewportSize

PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1280, height=900)


@dataclass(frozen=True)
class Journey:
    name: str
    login: str | None  # None: a visitor who is not signed in
    paths: tuple[str, ...]  # without the language prefix


def journeys() -> list[Journey]:
    from mobility.accounts.models import User
    from mobility.cases.models import Case
    from mobility.exchange.models import Vacancy

    bolat = User.objects.get(email="bolat@demo.kz")
    vacancy = (
        Vacancy.objects.filter(organisation__memberships__user=bolat, status=Vacancy.Status.PUBLISHED)
        .order_by("id")
        .first()
    )
    assert vacancy is not None, "the demo has a published vacancy of Bolat's organisation"
    organisation_id = vacancy.organisation_id
    case = Case.objects.filter(centre__code="KZ-55-pavlodar", status="open").order_by("id").first()
    assert case is not None, "the demo has an open case at Dana's centre"
    return [
        Journey(
            "visitor",
            None,
            (
                "/",
                "/regions/",
                "/vacancies/",
                f"/vacancies/{vacancy.id}/",
                "/accounts/login/",
                "/accounts/signup/",
                "/employer/signup/",
                "/accounts/password/reset/",
            ),
        ),
        Journey(
            "seeker",
            "aigerim@demo.kz",
            (
                "/me/seeker/",
                "/me/profile/basics/",
                "/me/profile/skills/",
                "/me/profile/experience/",
                "/me/profile/preferences/",
                "/me/for-me/",
                "/me/applications/",
                "/me/saved/",
                "/me/plan/",
                "/me/cv/",
                "/accounts/me/",
                "/my-data/",
                "/my-data/views/",
                "/accounts/two-factor/",
                "/accounts/two-factor/enrol/",  # optional for seekers: the secret and its QR code
            ),
        ),
        Journey(
            "employer",
            "bolat@demo.kz",
            (
                "/employer/",
                "/employer/vacancies/",
                f"/employer/vacancies/{vacancy.id}/",
                f"/employer/vacancies/{vacancy.id}/edit/",
                f"/employer/vacancies/{vacancy.id}/candidates/",
                f"/employer/vacancies/{vacancy.id}/pipeline/",
                f"/employer/organisations/{organisation_id}/",
                f"/employer/organisations/{organisation_id}/vacancies/new/",
                "/employer/requests/",
                "/employer/requests/new/",
                "/employer/market/",
            ),
        ),
        Journey(
            "staff",
            "dana@demo.kz",
            (
                "/staff/",
                "/staff/cases/",
                f"/staff/cases/{case.id}/",
                f"/staff/cases/{case.id}/plan/",
                "/staff/cases/register/",
                "/staff/dashboard/",
                "/staff/mobile/",
                "/staff/verification/",
                "/staff/employer-requests/",
                "/accounts/two-factor/",  # enrolled while signing in: the recovery codes left
            ),
        ),
    ]
