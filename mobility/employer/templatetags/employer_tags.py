"""Small display helpers for the employer and staff templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from mobility.accounts.workflows import ORGANISATION_WORKFLOW
from mobility.employer.workflows import CENTRE_REQUEST_WORKFLOW
from mobility.exchange.models import APPLICATION_WORKFLOW, VACANCY_WORKFLOW, ApplicationStatus, Vacancy

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """An application status code as its label in the page's language ("" for the start)."""
    if code in ApplicationStatus.values:
        return str(ApplicationStatus(code).label)
    return code


@register.filter
def vacancy_status_label(code: str) -> str:
    if code in Vacancy.Status.values:
        return str(Vacancy.Status(code).label)
    return code


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def candidate_label(profile: Any) -> str:
    """How an anonymous candidate is called until they share their name."""
    return _("Candidate %(number)s") % {"number": profile.pk}


@register.filter
def vacancy_action_label(target: str, current: str) -> str:
    """The button that moves a vacancy to `target` from `current`."""
    if target == "published":
        return _("Re-open") if current in ("paused", "closed") else _("Publish")
    if target == "paused":
        return _("Pause")
    if target == "closed":
        return _("Close")
    return target


AUDIT_ACTIONS = {
    "vacancy.created": _lazy("created"),
    "vacancy.updated": _lazy("edited"),
    "vacancy.status_changed": _lazy("status changed"),
    "vacancy.duplicated": _lazy("created as a copy"),
    "organisation.created": _lazy("registered"),
    "organisation.updated": _lazy("details changed"),
    "organisation.status_changed": _lazy("verification status changed"),
    "organisation.member_added": _lazy("representative added"),
    "organisation.member_removed": _lazy("representative removed"),
    "organisation.invitation_sent": _lazy("colleague invited"),
    "organisation.invitation_revoked": _lazy("invitation withdrawn"),
    "centre_request.created": _lazy("sent"),
    "centre_request.taken": _lazy("taken into work"),
    "centre_request.answered": _lazy("answered"),
    "centre_request.cancelled": _lazy("cancelled"),
}


@register.filter
def audit_action(code: str) -> str:
    """An audit entry's action in words."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


@register.filter
def reason_label(reason: str) -> str:
    """A reason the system stored as a code ("expired", "all positions filled") in the page's
    language; a person's own words stay as they typed them."""
    for workflow in (VACANCY_WORKFLOW, APPLICATION_WORKFLOW, ORGANISATION_WORKFLOW, CENTRE_REQUEST_WORKFLOW):
        if reason in workflow.reasons:
            return workflow.reason_label(reason)
    return reason


@register.filter
def state_label(code: str) -> str:
    """A stored state code (vacancy, organisation, request) in words."""
    from mobility.accounts.models import Organisation
    from mobility.employer.models import CentreRequest

    for choices in (Vacancy.Status, Organisation.Status, CentreRequest.Status, ApplicationStatus):
        if code in choices.values:
            return str(choices(code).label)
    return code
