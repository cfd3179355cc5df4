from typing import Any

from django.http import HttpRequest

from mobility.accounts.access import roles_of


def roles(request: HttpRequest) -> dict[str, Any]:
    """Roles for the navigation; evaluated lazily so anonymous pages pay nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": set()}
    found = roles_of(user)
    return {
        "user_roles": found,
        "is_staff_member": bool(
            found & {"admin", "counsellor", "regional_manager", "migration_officer", "programme_finance"}
        ),
        "is_employer_rep": any(r.startswith("employer_") for r in found),
        "is_seeker": "seeker" in found,
    }
