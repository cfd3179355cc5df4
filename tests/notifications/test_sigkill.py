"""Nothing lost, nothing sent twice: SIGKILL the real django-q2 cluster while it delivers 1,000
messages, start it again, and find every message delivered, each exactly once at a backend that
honours the message key (mobility.notifications.channels.KeyedFileEmailBackend).

PostgreSQL only (CI's PostgreSQL pass): the cluster is a separate process on the ORM broker with
short `retry`/`timeout` (Q_RETRY/Q_TIMEOUT), so a task whose worker was killed comes back within
seconds; the outbox's row lock and status make the repeat harmless, and the key makes it
invisible at the provider.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from mobility.core import outbox
from mobility.core.models import OutboxMessage
from tests.postgres import database_url

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 1000


def _cluster(mail_dir: Path, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "Q_TIMEOUT": "10",
        "Q_RETRY": "15",
        "Q_WORKERS": "2",
        "DB_CONN_MAX_AGE": "60",  # as in production: keep the connection between tasks
        "EMAIL_BACKEND": "mobility.notifications.channels.KeyedFileEmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: SIGKILL reaches every worker at once
    )


T0 = time.monotonic()


def _say(what: str) -> None:
    sys.stderr.write(f"[{time.monotonic() - T0:6.1f}s] {what}: sent={_sent()}\n")


def _sent() -> int:
    return OutboxMessage.objects.filter(key__startswith="sigkill:", status="sent").count()


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_killed_cluster_loses_nothing_and_repeats_nothing(monkeypatch, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the real cluster shares the database with the test: PostgreSQL only")
    _say("start")
    monkeypatch.setattr("django_q.conf.Conf.SYNC", False)  # queue to the ORM broker, like production
    mail_dir, log = tmp_path / "mail", tmp_path / "qcluster.log"
    # 1,000 waiting messages (written in bulk: the write path has its own tests), queued by the
    # outbox's sweeper in one transaction, as after an outage
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=f"sigkill:{n}",
            email=f"person{n}@example.kz",
            language="ru",
            topic="account",
            template="confirm_email",
            context={"confirm_url": f"https://example.kz/confirm/{n}/"},
        )
        for n in range(MESSAGES)
    )
    assert len(outbox.outbox_requeue_stale(retry_after=dt.timedelta(0))) == MESSAGES
    _say("written")
    started = time.monotonic()
    first = _cluster(mail_dir, log)
    try:
        assert _wait(lambda: _sent() >= 150, 60), log.read_text()
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # mid-delivery: no clean shutdown, no acknowledgement
        first.wait()
    at_kill = _sent()
    _say("killed")
    assert at_kill < MESSAGES, "the cluster finished before it was killed: nothing was tested"

    second = _cluster(mail_dir, log)
    try:
        if not _wait(lambda: _sent() == MESSAGES, 60):
            from django_q.models import OrmQ

            _say(
                f"not all after 60 s; queued {OrmQ.objects.count()}; pending ids "
                f"{list(OutboxMessage.objects.filter(status='pending').values_list('id', flat=True)[:10])}"
            )
            outbox.outbox_requeue_stale(retry_after=dt.timedelta(0))  # the sweeper
            assert _wait(lambda: _sent() == MESSAGES, 30), log.read_text()[-3000:]
        _say("all sent")
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()

    delivered = sorted(p.stem for p in mail_dir.glob("*.eml"))
    assert len(delivered) == MESSAGES  # one file per key: nothing lost, nothing twice
    assert set(delivered) == {f"sigkill_{n}" for n in range(MESSAGES)}
    assert not OutboxMessage.objects.filter(key__startswith="sigkill:").exclude(status="sent").exists()
    repeats = (mail_dir / "repeats.log").read_text().split() if (mail_dir / "repeats.log").exists() else []
    took = time.monotonic() - started
    print(f"killed after {at_kill} sent; repeats suppressed by the key: {len(repeats)}; {took:.0f} s")
