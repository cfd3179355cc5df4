"""Small display helpers for the employer and staff templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

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
