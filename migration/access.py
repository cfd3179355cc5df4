"""Fetch-or-404 for foreign-specialist objects: "missing" and "not yours" look the same."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from migration.models import Appeal, Application
from migration.selectors import appeals_visible_to, applications_visible_to


def get_application_for_user(user: Any, application_id: int) -> Application:
    return get_object_or_404(applications_visible_to(user), id=application_id)


def get_appeal_for_user(user: Any, appeal_id: int) -> Appeal:
    return get_object_or_404(appeals_visible_to(user), id=appeal_id)
