"""Only the outbox's delivery (`mobility.core.outbox._send`) sends mail or SMS: grep the code, and
read its syntax trees, for any other send."""

import ast
import re
from pathlib import Path

import pytest

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


# --- The same rule read from the syntax tree: no spelling, alias or variable escapes it ------------

# Calls that send mail or SMS (or open a mail connection to do so), whatever they are called on.
SENDING_CALLS = {"send", "send_messages", "send_mail", "send_mass_mail", "mail_admins", "mail_managers"}
MAIL_MODULES = ("django.core.mail", "smtplib")
DELIVERY = (ROOT / "mobility/core/outbox.py", "_send")  # the one function allowed to send


def sends_in(source: str) -> list[tuple[int, str, str]]:
    """(line, enclosing function, call) for every call in `source` that sends mail or SMS: a
    `.send(...)` / `.send_messages(...)` on anything (an EmailMessage, a connection, the SMS
    gateway or a variable holding one), Django's send_mail family under any alias, and any
    use of a name imported from django.core.mail or smtplib (EmailMessage(...), get_connection)."""
    tree = ast.parse(source)
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(MAIL_MODULES):
            imported |= {alias.asname or alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {
                (alias.asname or alias.name).split(".")[0]
                for alias in node.names
                if alias.name.startswith(MAIL_MODULES)
            }
    found: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            root = func
            while isinstance(root, ast.Attribute):
                root = root.value
            if name in SENDING_CALLS or name in imported or getattr(root, "id", None) in imported:
                found.append((node.lineno, function, ast.unparse(func)))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_nothing_but_the_outbox_delivery_sends_mail_or_sms():
    offenders = []
    for path in SOURCES:
        for line, function, call in sends_in(path.read_text(encoding="utf-8")):
            if (path, function) != DELIVERY:
                offenders.append(f"{path.relative_to(ROOT)}:{line} in {function or 'module'}(): {call}")
    assert offenders == []


def test_the_delivery_function_is_where_the_sends_are():
    calls = [call for _line, function, call in sends_in(DELIVERY[0].read_text(encoding="utf-8"))]
    assert "mail.send" in calls and any(c.endswith(".send") and "sms_backend" in c for c in calls)


@pytest.mark.parametrize(
    "snippet",
    [
        "from django.core.mail import send_mail\nsend_mail('s', 'b', None, ['a@b.kz'])",
        "from django.core.mail import send_mail as tell\ntell('s', 'b', None, ['a@b.kz'])",
        "from django.core import mail\nmail.send_mass_mail([])",
        "from django.core.mail import EmailMessage\nEmailMessage('s', 'b', to=['a@b.kz']).send()",
        "from django.core.mail import EmailMessage\nm = EmailMessage('s')\nm.send(fail_silently=True)",
        "from django.core.mail import get_connection\nget_connection().send_messages([m])",
        "from mobility.notifications import channels\nchannels.sms_backend().send(to='+7', text='t')",
        "def f(gateway):\n    gateway.send(to='+7701', text='hi', key='k')",
        "import smtplib\nsmtplib.SMTP('localhost').sendmail('a', ['b'], 'm')",
    ],
)
def test_the_tree_check_catches_every_way_to_send(snippet):
    assert sends_in(snippet)
