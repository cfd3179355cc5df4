"""`{% load identifiers %}` then `{{ person.iin|mask_iin }}`, `{{ applicant.passport_number|mask_passport }}`:
the masking rule of `mobility.core.identifiers` for templates (lists show nothing more)."""

from __future__ import annotations

from django import template

from mobility.core import identifiers

register = template.Library()


@register.filter
def mask_iin(value: str | None) -> str:
    return identifiers.mask_iin(value)


@register.filter
def mask_passport(value: str | None) -> str:
    return identifiers.mask_passport(value)
