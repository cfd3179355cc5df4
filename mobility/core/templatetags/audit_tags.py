"""Showing audit entries: their codes in words (the words live in mobility.core.audit_labels)."""

from __future__ import annotations

from django import template

from mobility.core.audit_labels import audit_action_label, audit_state_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """`{{ entry.action|audit_action }}`: an audit entry's action in words."""
    return audit_action_label(code)


@register.filter
def audit_state(code: str, action: str) -> str:
    """`{{ entry.to_state|audit_state:entry.action }}`: a from/to state in words."""
    return audit_state_label(action, code)
