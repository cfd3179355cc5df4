from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class SignInForm(AuthenticationForm):
    """One field for an email address or a 12-digit IIN."""

    username = forms.CharField(
        label=_("Email or IIN"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    error_messages = {
        "invalid_login": _(
            "The email or IIN and password do not match an account. Both are case-sensitive except the email."
        ),
        "inactive": _("This account is inactive."),
    }
