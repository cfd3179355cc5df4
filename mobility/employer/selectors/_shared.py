"""Helpers the employer selectors share."""

from __future__ import annotations

from django.utils.translation import get_language

from mobility.exchange.models import ApplicationStatus


def _lang() -> str:
    return (get_language() or "kk")[:2]


PIPELINE_COLUMNS = [
    ApplicationStatus.INVITED,
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
]
