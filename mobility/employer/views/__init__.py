"""Employer pages: thin views over the employer and exchange services and scoped selectors.

Every object comes through `mobility.employer.access`, so another organisation's vacancy,
draft, pipeline, application, note or request, a hidden profile and a missing id all answer 404."""

from ._shared import (
    LOGIN_BACKEND,
)
from .candidate_search import (
    candidate_detail,
    candidate_invite,
    candidates,
    candidates_bulk_invite,
)
from .hiring_board import (
    application_detail,
    application_interview,
    application_interview_cancel,
    application_move,
    application_note,
    pipeline,
    pipeline_bulk,
)
from .market_info import (
    market,
)
from .organisations import (
    home,
    invitation_revoke,
    join,
    member_invite,
    member_remove,
    organisation,
    organisation_edit,
    organisation_reverify,
    signup,
)
from .requests import (
    request_cancel,
    request_detail,
    request_list,
    request_new,
)
from .vacancies import (
    vacancy_detail,
    vacancy_duplicate,
    vacancy_edit,
    vacancy_list,
    vacancy_new,
    vacancy_status,
)

__all__ = [
    "LOGIN_BACKEND",
    "application_detail",
    "application_interview",
    "application_interview_cancel",
    "application_move",
    "application_note",
    "candidate_detail",
    "candidate_invite",
    "candidates",
    "candidates_bulk_invite",
    "home",
    "invitation_revoke",
    "join",
    "market",
    "member_invite",
    "member_remove",
    "organisation",
    "organisation_edit",
    "organisation_reverify",
    "pipeline",
    "pipeline_bulk",
    "request_cancel",
    "request_detail",
    "request_list",
    "request_new",
    "signup",
    "vacancy_detail",
    "vacancy_duplicate",
    "vacancy_edit",
    "vacancy_list",
    "vacancy_new",
    "vacancy_status",
]
