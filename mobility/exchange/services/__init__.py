"""Writes of the labour exchange: each one transactional, validated, audited, and each change
that affects rankings queued for the matcher's index in the same transaction."""

from .applications import (
    application_create,
    application_transition,
)
from .cv_files import (
    profile_cv_remove,
    profile_cv_upload,
)
from .interviews import (
    application_interview_cancel,
    application_interview_schedule,
)
from .profiles import (
    PROFILE_FIELDS,
    profile_background_set,
    profile_create,
    profile_set_skills,
    profile_update,
)
from .registrations import (
    registration_create,
    registration_end,
)
from .saved_searches import (
    saved_search_collect,
    saved_search_create,
    saved_search_mark_seen,
    vacancies_close_expired,
)
from .vacancies import (
    VACANCY_EDITABLE_FIELDS,
    vacancy_create,
    vacancy_set_status,
    vacancy_update,
    vacancy_validate,
)

__all__ = [
    "PROFILE_FIELDS",
    "VACANCY_EDITABLE_FIELDS",
    "application_create",
    "application_interview_cancel",
    "application_interview_schedule",
    "application_transition",
    "profile_background_set",
    "profile_create",
    "profile_cv_remove",
    "profile_cv_upload",
    "profile_set_skills",
    "profile_update",
    "registration_create",
    "registration_end",
    "saved_search_collect",
    "saved_search_create",
    "saved_search_mark_seen",
    "vacancies_close_expired",
    "vacancy_create",
    "vacancy_set_status",
    "vacancy_update",
    "vacancy_validate",
]
