"""The hiring pipeline of a vacancy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from mobility.employer.models import ApplicationNote
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Vacancy,
)
from mobility.exchange.selectors import vacancies_open_to_candidates

from ._shared import PIPELINE_COLUMNS
from .candidates import contacts_shared_with, may_reveal
from .organisations import employer_organisations


def vacancy_applications(vacancy: Vacancy) -> QuerySet[Application]:
    """The vacancy's applications with what the board shows, in a fixed number of queries."""
    return (
        Application.objects.filter(vacancy=vacancy)
        .select_related("seeker__user", "seeker__region")
        .annotate(note_count=Count("notes", distinct=True))
        .order_by("-updated_at", "-id")
    )


@dataclass
class PipelineCard:
    application: Application
    reveal: bool

    @property
    def display_name(self) -> str:
        return self.application.seeker.user.get_full_name() if self.reveal else ""


def pipeline_board(vacancy: Vacancy) -> list[tuple[str, str, list[PipelineCard]]]:
    """Columns (status, label, cards) of the hiring board."""
    applications = list(vacancy_applications(vacancy))
    shared = contacts_shared_with(vacancy.organisation, [a.seeker_id for a in applications])
    columns: dict[str, list[PipelineCard]] = {status: [] for status in PIPELINE_COLUMNS}
    for application in applications:
        reveal = application.contacts_shared or may_reveal(application.seeker, shared)
        columns.setdefault(application.status, []).append(PipelineCard(application, reveal))
    return [
        (str(status), str(ApplicationStatus(status).label), columns[status]) for status in PIPELINE_COLUMNS
    ]


def employer_applications(user: Any) -> QuerySet[Application]:
    """Applications to the vacancies of the person's organisations, once they are verified."""
    return Application.objects.filter(
        vacancy__organisation__in=employer_organisations(user).values("id"),
        vacancy__in=vacancies_open_to_candidates(user).values("id"),
    ).select_related("vacancy__organisation", "vacancy__region", "seeker__user", "seeker__region")


def application_history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("created_at", "id")


def application_notes(application: Application) -> QuerySet[ApplicationNote]:
    return application.notes.select_related("author").order_by("created_at", "id")
