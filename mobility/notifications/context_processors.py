from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mobility.notifications.selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count in every portal's navigation; counted only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
