"""The backup and restore scripts (scripts/pg_backup.sh, scripts/pg_restore.sh): a backup of the
service's database restored into an empty database is a database the service answers from;
the restore refuses a database that already has tables. PostgreSQL only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.factories import VacancyFactory
from tests.postgres import database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _admin(sql: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute(sql.encode())


def _run(command: list[str], database: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url(database)}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # noqa: S603 - fixed arguments


@pytest.fixture
def empty_database():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are PostgreSQL's tools")
    name = connection.settings_dict["NAME"] + "_restored"
    _admin(f'DROP DATABASE IF EXISTS "{name}"')
    _admin(f'CREATE DATABASE "{name}"')
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_and_the_service_answers(empty_database, tmp_path):
    vacancy = VacancyFactory(title="Backup welder", external_id="backup-1")
    source = connection.settings_dict["NAME"]
    archive = tmp_path / "mobility.dump"

    backup = _run(["scripts/pg_backup.sh", str(archive)], source)
    assert backup.returncode == 0, backup.stderr
    assert archive.stat().st_size > 0 and not Path(f"{archive}.tmp").exists()

    restore = _run(["scripts/pg_restore.sh", str(archive)], empty_database)
    assert restore.returncode == 0, restore.stderr

    manage = [sys.executable, "manage.py"]
    check = _run([*manage, "check", "--database", "default"], empty_database)
    assert check.returncode == 0, check.stderr
    pending = _run([*manage, "migrate", "--check", "--plan"], empty_database)
    assert pending.returncode == 0, pending.stdout + pending.stderr  # every migration is in the backup
    query = (
        "from mobility.exchange.models import Vacancy; "
        f"v = Vacancy.objects.get(pk={vacancy.pk}); print(v.title, v.external_id, v.organisation.name)"
    )
    answer = _run([*manage, "shell", "-c", query], empty_database)
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.strip().splitlines()[-1] == f"Backup welder backup-1 {vacancy.organisation.name}"


def test_the_restore_refuses_a_database_that_has_tables(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore are PostgreSQL's tools")
    archive = tmp_path / "mobility.dump"
    source = connection.settings_dict["NAME"]
    assert _run(["scripts/pg_backup.sh", str(archive)], source).returncode == 0
    restore = _run(["scripts/pg_restore.sh", str(archive)], source)
    assert restore.returncode == 3
    assert "already has" in restore.stderr
