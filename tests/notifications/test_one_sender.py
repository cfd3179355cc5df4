"""Only the outbox's delivery sends mail or SMS: grep the code for any other send."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("mobility", "matching", "migration") for p in (ROOT / d).rglob("*.py")]
SENDS = re.compile(
    r"\bsend_mail\b|\bsend_mass_mail\b|\bmail_admins\b|\bmail_managers\b|\bEmailMessage\b"
    r"|\bEmailMultiAlternatives\b|get_connection\(|\bsmtplib\b|sms_backend\(\)\.send|\.send_messages\("
)
# The one sender (outbox._send) and the channel implementations it calls.
ALLOWED = {ROOT / "mobility/core/outbox.py", ROOT / "mobility/notifications/channels.py"}


def test_no_mail_or_sms_is_sent_outside_the_outbox():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        if path not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SENDS.search(line)
    ]
    assert offenders == []


def test_the_outbox_sends_only_from_its_delivery_function():
    text = (ROOT / "mobility/core/outbox.py").read_text(encoding="utf-8")
    body_of_send = text.split("def _send(", 1)[1].split("\ndef ", 1)[0]
    assert "mail.send()" in body_of_send and ".send(to=" in body_of_send
    assert text.count("mail.send()") == 1 and text.count(".send(to=") == 1


def test_the_grep_would_catch_a_send():
    assert SENDS.search("    send_mail(subject, body, None, [to])")
    assert SENDS.search("EmailMessage(subject).send()")
    assert SENDS.search("channels.sms_backend().send(to=x)")
