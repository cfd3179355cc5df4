"""Every public write service leaves an audit entry (docs/style.md rule 13), or is on the list
below with the reason it does not.

The test reads the services modules (no database): a function decorated with
`transaction.atomic` whose name does not start with "_" is a write service; it passes when it,
or a service it calls (in any services module, followed by name), calls `audit_log` or
`transition` (the workflow's move, which writes the entry).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

AUDITORS = {"audit_log", "transition"}

# service: why it writes no audit entry of its own
NOT_AUDITED = {
    "index_touch_all": "queues matcher index updates; changes nothing anyone is decided about",
    "password_reset_request": "sends a link; the reset itself is audited (account.password_set)",
    "saved_search_create": "the person's own search preferences; no decision, no personal data of others",
    "saved_search_mark_seen": "a read marker",
    "notify": "writes outbox rows; the event that triggers it is audited by its caller",
    "notify_many": "writes outbox rows; the event that triggers it is audited by its caller",
    "inbox_mark_read": "a read marker",
    "consent_withdraw_by_link": "consent history is its own append-only record (ConsentChange)",
    "sms_inbound_receive": "consent history is its own append-only record (ConsentChange)",
    "offer_open": "a read marker on an offer",
    "outcome_viewed": "the matcher's pseudonymous feedback log (MatchFeedback), not a decision about anyone",
    "personal_data_view_log": "a read, kept in its own log (PersonalDataView), not the change stream",
}


def _services_files() -> list[Path]:
    files = []
    for folder in ("mobility", "migration", "matching"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if path.name == "services.py" or "services" in path.parts:
                files.append(path)
    return files


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call):
            if isinstance(sub.func, ast.Name):
                names.add(sub.func.id)
            elif isinstance(sub.func, ast.Attribute):
                names.add(sub.func.attr)
    return names


def _index() -> dict[str, list[tuple[Path, ast.FunctionDef, bool]]]:
    found: dict[str, list[tuple[Path, ast.FunctionDef, bool]]] = {}
    for path in _services_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef):
                atomic = any("atomic" in ast.unparse(d) for d in node.decorator_list)
                found.setdefault(node.name, []).append((path, node, atomic))
    return found


def test_every_public_write_service_is_audited():
    index = _index()
    memo: dict[str, bool] = {}

    def audits(name: str, seen: frozenset[str]) -> bool:
        if name in memo:
            return memo[name]
        if name in seen or name not in index:
            return False
        result = False
        for _path, node, _atomic in index[name]:
            called = _called_names(node)
            if called & AUDITORS or any(audits(c, seen | {name}) for c in called):
                result = True
        memo[name] = result
        return result

    services = {name for name, defs in index.items() if not name.startswith("_") and any(a for *_, a in defs)}
    assert len(services) > 100, "the scan found too few services"
    missing = sorted(
        f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {name}"
        for name in services - set(NOT_AUDITED)
        if not audits(name, frozenset())
        for path, node, atomic in index[name]
        if atomic
    )
    assert missing == [], "write services without an audit entry (add audit_log or a reason here)"
    stale = sorted(name for name in NOT_AUDITED if audits(name, frozenset()))
    assert stale == [], "these services are audited now: take them off NOT_AUDITED"


def test_the_allow_list_names_real_services():
    index = _index()
    assert set(NOT_AUDITED) - set(index) == set()
