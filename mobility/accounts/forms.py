from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.outbox import outbox_add

# One reset mail per account per quarter-hour: asking again sooner finds the message already written.
PASSWORD_RESET_BUCKET_SECONDS = 15 * 60


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


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's reset form, its mail written to the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        bucket = int(timezone.now().timestamp()) // PASSWORD_RESET_BUCKET_SECONDS
        outbox_add(
            person=context["user"],
            topic="account",
            template="password_reset",
            context={k: context[k] for k in ("uid", "token", "domain", "protocol")},
            key=f"password_reset:{context['uid']}:{bucket}",
        )
