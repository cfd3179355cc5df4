from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mobility.notifications.models import AlertPreference
from mobility.notifications.topics import TOPIC_HELP, Channel, Topic


def field_name(topic: str, channel: str) -> str:
    return f"{topic}__{channel}"


class ConsentForm(forms.Form):
    """One box per topic and channel; ticked means "yes, send me these this way"."""

    def __init__(self, *args: Any, current: dict[tuple[str, str], bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in Topic:
            for channel in Channel:
                self.fields[field_name(topic, channel)] = forms.BooleanField(
                    label=f"{topic.label}: {channel.label}",
                    required=False,
                    initial=current.get((topic.value, channel.value), False),
                )

    def rows(self) -> list[dict[str, Any]]:
        """The boxes as a table: one row per topic, one column per channel."""
        return [
            {
                "topic": topic,
                "help": TOPIC_HELP[topic],
                "fields": [self[field_name(topic, channel)] for channel in Channel],
            }
            for topic in Topic
        ]

    def choices(self) -> list[tuple[str, str, bool]]:
        return [
            (topic.value, channel.value, bool(self.cleaned_data[field_name(topic, channel)]))
            for topic in Topic
            for channel in Channel
        ]


class AlertPreferenceForm(forms.ModelForm):
    class Meta:
        model = AlertPreference
        fields = ["frequency", "threshold", "daily_limit"]


CHANNEL_COLUMNS = [c.label for c in Channel]
SMS_NEEDS_PHONE = _("Add a phone number to your account to receive SMS.")
