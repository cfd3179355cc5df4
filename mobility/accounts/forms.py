from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mobility.core.forms import IinField
from mobility.exchange.forms import RegionChoiceField
from mobility.reference.models import Region


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


class SeekerSignUpForm(forms.Form):
    """A citizen signs up; the link to set their password goes to the email they give."""

    iin = IinField(help_text=_("12 digits, as on your ID card."))
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_(
            "We send a link there to set your password. No email? The career centre registers you "
            "and gives you an activation code."
        ),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "+7 700 000 00 00"}
        ),
    )
    region = RegionChoiceField(label=_("Region where you live"), queryset=Region.objects.all())

    def clean_iin(self) -> str:
        return self.cleaned_data["iin"].strip()

    def clean_phone(self) -> str:
        from mobility.accounts.services import normalise_phone

        try:
            return normalise_phone(self.cleaned_data.get("phone", ""))
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["phone"]) from exc


class PasswordResetRequestForm(forms.Form):
    login = forms.CharField(
        label=_("Email or IIN"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class ActivationCodeForm(SetPasswordMixin, forms.Form):
    """The IIN and the code from the centre's letter, and the password the person chooses."""

    iin = IinField(attrs={"autocomplete": "username"})
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        help_text=_("The 8 letters and digits on the letter from the centre."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1=_("New password"), label2=_("New password confirmation")
    )

    def clean(self) -> dict[str, Any]:
        self.validate_passwords("new_password1", "new_password2")
        return super().clean() or {}


class TwoFactorEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        help_text=_("The 6 digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class TwoFactorVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )
