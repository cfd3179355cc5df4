"""A form sent twice creates one thing (issue #12, item 7): a double click, a browser resending
after a timeout, a replayed POST.

The rule, the same as the offline device's entries (`cases.CaseNote.client_key`): the one who
submits names the submission with a key, and the database keeps one row per key. For a page's
form the key is minted when the form is shown (`SubmissionKeyField`, hidden), so every resend of
that form carries it; the model has a `client_key` with a unique constraint per owner; the service
looks the key up first and raises `AlreadySubmitted` with the row the first send made (also when
two sends race and the constraint refuses the second); the view answers with a redirect to that
row and a message, never an error page. The API's writes have their own `Idempotency-Key`
(`mobility.api`), which stores the first answer."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class AlreadySubmitted(Exception):
    """This submission's key already made `existing`: the send is a resend."""

    def __init__(self, existing: Any) -> None:
        super().__init__(f"already submitted: {existing!r}")
        self.existing = existing


class SubmissionKeyField(forms.UUIDField):
    """The hidden key of one showing of a form: a new one each time the form is rendered empty,
    sent back with every resend of it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault(
            "error_messages",
            {"required": _("This form has expired. Check it and send it again.")},
        )
        super().__init__(**kwargs)
