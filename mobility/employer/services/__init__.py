"""Writes of the employer pages and the centre's employer queues.

Each service is keyword-only, transactional, validated and audited; mail goes out after
commit, in the recipient's language. Vacancy and application state changes go through the
exchange's services (the one shared state machine); this module adds the employer's rules
on top: which moves an employer may make, who may invite colleagues, what a verified
organisation may do that a pending one may not."""

from .colleagues import (
    INVITATION_DAYS,
    INVITATION_SALT,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_join,
    invitation_revoke,
    invitation_token,
    member_remove,
)
from .organisations import (
    ORGANISATION_DETAILS,
    employer_sign_up,
    organisation_decide,
    organisation_request_verification,
    organisation_update,
)
from .pipeline import (
    application_move,
    application_note_add,
    applications_bulk_move,
    candidate_invite,
)
from .requests import (
    ANSWER_DAYS,
    answer_days,
    centre_request_answer,
    centre_request_cancel,
    centre_request_create,
    centre_request_take,
)
from .vacancies import (
    COPY_FIELDS,
    vacancy_duplicate,
)

__all__ = [
    "ANSWER_DAYS",
    "COPY_FIELDS",
    "INVITATION_DAYS",
    "INVITATION_SALT",
    "ORGANISATION_DETAILS",
    "answer_days",
    "application_move",
    "application_note_add",
    "applications_bulk_move",
    "candidate_invite",
    "centre_request_answer",
    "centre_request_cancel",
    "centre_request_create",
    "centre_request_take",
    "employer_sign_up",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_join",
    "invitation_revoke",
    "invitation_token",
    "member_remove",
    "organisation_decide",
    "organisation_request_verification",
    "organisation_update",
    "vacancy_duplicate",
]
