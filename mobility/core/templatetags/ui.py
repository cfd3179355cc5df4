"""Small template helpers of the shared layout (docs/ui.md)."""

from __future__ import annotations

import datetime as dt
import math

from django import template

register = template.Library()


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (a 90-second pause is "2 minutes")."""
    if not value:
        return 0
    return max(1, math.ceil(value.total_seconds() / 60))
