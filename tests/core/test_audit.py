"""The audit trail: actor snapshots, old and new values, append-only on PostgreSQL, codes in words."""

import datetime as dt
import decimal
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from mobility.cases import services as cases
from mobility.core.audit import HIDDEN, audit_changes, audit_log, audit_snapshot, audit_trail
from mobility.core.audit_labels import ACTION_LABELS, audit_action_label, audit_state_label
from mobility.core.models import AuditEntry, AuditRedaction
from mobility.exchange.models import Vacancy
from tests.factories import (
    OrganisationFactory,
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    centre,
)

pytestmark = pytest.mark.django_db


class TestActorSnapshot:
    def test_a_person_is_kept_by_number_name_and_kind(self, aigerim):
        org = OrganisationFactory()
        entry = audit_log(actor=aigerim, action="organisation.updated", obj=org)
        assert (entry.actor_id, entry.actor_label, entry.actor_kind) == (aigerim.pk, str(aigerim), "person")

    def test_the_system_has_no_number(self):
        entry = audit_log(actor=None, action="organisation.updated", obj=OrganisationFactory())
        assert (entry.actor_id, entry.actor_label, entry.actor_kind) == (None, "", "system")

    def test_an_api_key_is_named_as_such(self, bolat, bolat_org):
        from mobility.api.principal import ApiKeyPrincipal
        from mobility.api.services import api_key_create
        from mobility.core.actors import actor_of

        key, _secret = api_key_create(organisation=bolat_org, scopes=["vacancies:write"], by=bolat, name="HR")
        for who in (ApiKeyPrincipal(key), actor_of(mock.Mock(auth=key, method="POST"))):
            entry = audit_log(actor=who, action="vacancy.updated", obj=bolat_org)
            assert (entry.actor_kind, entry.actor_id) == ("api_key", bolat.pk)
            assert entry.actor_label == f"api-key:{key.prefix} HR"

    def test_an_actor_of_a_person_is_that_person(self, aigerim):
        from mobility.core.actors import actor_of

        entry = audit_log(actor=actor_of(aigerim), action="user.email_confirmed", obj=aigerim)
        assert (entry.actor_kind, entry.actor_id, entry.actor_label) == ("person", aigerim.pk, str(aigerim))

    def test_a_person_without_a_name_is_labelled_by_masked_iin(self):
        person = UserFactory(first_name="", last_name="", email=None)
        entry = audit_log(actor=person, action="user.email_confirmed", obj=person)
        assert entry.actor_label == person.masked_iin and person.iin not in entry.actor_label

    def test_deleting_a_person_leaves_their_entries_unchanged(self, dana):
        person = UserFactory(first_name="Асель", last_name="Нурланова")
        org = OrganisationFactory()
        entry = audit_log(actor=person, action="organisation.updated", obj=org, reason="typo")
        before = AuditEntry.objects.filter(pk=entry.pk).values().get()
        person_id = person.pk
        person.delete()
        after = AuditEntry.objects.filter(pk=entry.pk).values().get()
        assert after == before
        assert (after["actor_id"], after["actor_label"]) == (person_id, "Нурланова Асель")

    def test_the_history_still_shows_who_after_the_account_is_gone(self, client, admin_user):
        person = UserFactory(first_name="Асель", last_name="Нурланова")
        org = OrganisationFactory()
        entry = audit_log(actor=person, action="organisation.updated", obj=org)
        person.delete()
        client.force_login(admin_user)
        body = client.get("/en/admin/core/auditentry/").content.decode()
        assert "Нурланова Асель" in body and "details changed" in body
        assert client.get(f"/en/admin/core/auditentry/{entry.pk}/change/").status_code == 200


class TestChanges:
    def test_old_and_new_values_of_the_changed_fields_only(self, bolat):
        vacancy = Vacancy.objects.get(pk=_vacancy().pk)
        before = audit_snapshot(vacancy, ["title", "salary_min", "expires_on"])
        vacancy.title = "Электрик"
        vacancy.expires_on = dt.date(2027, 1, 31)
        changes = audit_changes(before, vacancy, ["title", "salary_min", "expires_on"])
        assert changes == {
            "title": [before["title"], "Электрик"],
            "expires_on": [before["expires_on"] and before["expires_on"].isoformat(), "2027-01-31"],
        }

    def test_before_may_be_a_copy_of_the_object(self):
        vacancy = _vacancy()
        old = Vacancy.objects.get(pk=vacancy.pk)
        vacancy.title = "Сварщик"
        assert audit_changes(old, vacancy, ["title", "organisation"]) == {"title": [old.title, "Сварщик"]}

    def test_values_are_json_safe_iins_masked_and_passwords_never_kept(self, aigerim):
        old_iin = aigerim.iin
        before = {"iin": old_iin, "password": "x", "amount": decimal.Decimal("10.50")}
        aigerim.iin = "900101300017"
        aigerim.set_password("new-secret-2026")
        after = {"iin": aigerim.iin, "password": aigerim.password, "amount": decimal.Decimal("12.00")}
        entry = audit_log(
            actor=aigerim,
            action="user.email_confirmed",
            obj=aigerim,
            changes={k: [before[k], after[k]] for k in before},
        )
        entry.refresh_from_db()
        assert entry.changes["password"] == [HIDDEN, HIDDEN]
        assert entry.changes["iin"] == ["".join([old_iin[:4], "******", old_iin[-2:]]), "9001******17"]
        assert entry.changes["amount"] == ["10.50", "12.00"]
        assert "new-secret" not in str(entry.changes) and aigerim.password not in str(entry.changes)


class TestLabels:
    def test_every_action_the_code_writes_has_a_label(self):
        written: set[str] = set()
        for folder in ("mobility", "migration", "matching"):
            for path in (Path(settings.BASE_DIR) / folder).rglob("*.py"):
                text = path.read_text(encoding="utf-8")
                # action="x.y" in a call, and action = "x.y" (or action, n = "x.y", ...) before one
                written.update(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
                written.update(re.findall(r'action(?:, \w+)* = "([a-z_]+\.[a-z_]+)"', text))
        assert written, "the scan found no audit_log call"
        assert written - set(ACTION_LABELS) == set()

    @translation.override("en")
    def test_codes_become_words(self):
        assert audit_action_label("vacancy.updated") == "edited"
        assert audit_action_label("something.new") == "something.new"
        assert audit_state_label("plan.agreed", "proposed") == "Waiting for the job seeker's confirmation"
        assert audit_state_label("case.closed", "closed") == "Closed"
        assert audit_state_label("case.reassigned", "17") == "17"

    def test_the_case_timeline_shows_words_and_the_recorded_name(self, client, dana):
        seeker = SeekerProfileFactory(region=centre("KZ-55-pavlodar").region)
        RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
        case = cases.case_open(person=seeker.user, centre=centre("KZ-55-pavlodar"), by=dana)
        colleague = UserFactory(first_name="Гүлнар", last_name="Ахметова")
        audit_log(actor=colleague, action="case.closed", obj=case, from_state="open", to_state="closed")
        colleague.delete()
        client.force_login(dana)
        body = client.get(f"/en/staff/cases/{case.id}/").content.decode()
        assert "Ахметова Гүлнар: case closed Open → Closed" in body
        assert "case.opened" not in body and "case opened" in body


def _vacancy():
    from tests.factories import VacancyFactory

    return VacancyFactory()


class TestAppendOnly:
    """The database itself refuses to change or remove audit rows, on SQLite and PostgreSQL."""

    def test_an_update_of_an_audit_row_fails(self):
        entry = audit_log(actor=None, action="organisation.updated", obj=OrganisationFactory())
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            entry.reason = "rewritten"
            entry.save()
        assert AuditEntry.objects.get(pk=entry.pk).reason == ""

    def test_a_delete_of_an_audit_row_fails(self):
        entry = audit_log(actor=None, action="organisation.updated", obj=OrganisationFactory())
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).delete()
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.filter(pk=entry.pk).exists()

    def test_deleting_a_person_does_not_touch_their_rows(self):
        person = UserFactory()
        entry = audit_log(actor=person, action="organisation.updated", obj=OrganisationFactory())
        person.delete()  # would fail here if anything cascaded into the audit table
        assert AuditEntry.objects.get(pk=entry.pk).actor_id == entry.actor_id


def test_administrators_cannot_delete_or_change_audit_rows(client, admin_user):
    entry = audit_log(actor=admin_user, action="organisation.updated", obj=OrganisationFactory())
    client.force_login(admin_user)
    assert client.post(f"/en/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        "/en/admin/core/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk]}
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert response.status_code in (200, 302)
    assert audit_trail(entry.target).count() == 1


class TestRedaction:
    """Only the retention task's recorded redaction may rewrite an entry's personal columns."""

    def test_a_recorded_redaction_may_rewrite_the_personal_columns(self):
        entry = audit_log(
            actor=None, action="organisation.updated", obj=OrganisationFactory(), reason="Айгерім"
        )
        with transaction.atomic():
            AuditRedaction.objects.create(entry=entry, rule="test")
            AuditEntry.objects.filter(pk=entry.pk).update(reason="[person 1]", changes={}, actor_label="x")
        assert AuditEntry.objects.get(pk=entry.pk).reason == "[person 1]"

    def test_a_redaction_never_changes_what_happened_or_removes_the_row(self):
        entry = audit_log(actor=None, action="organisation.updated", obj=OrganisationFactory())
        AuditRedaction.objects.create(entry=entry, rule="test")
        for column, value in (("action", "case.closed"), ("to_state", "x"), ("target_id", "0")):
            with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
                AuditRedaction.objects.create(entry=entry, rule="test")
                AuditEntry.objects.filter(pk=entry.pk).update(**{column: value})
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
        assert AuditEntry.objects.get(pk=entry.pk).action == "organisation.updated"

    def test_redactions_are_append_only_too(self):
        entry = audit_log(actor=None, action="organisation.updated", obj=OrganisationFactory())
        redaction = AuditRedaction.objects.create(entry=entry, rule="test")
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            AuditRedaction.objects.filter(pk=redaction.pk).update(rule="other")
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM core_auditredaction WHERE id = %s", [redaction.pk])


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_audit_tables_and_leaves_them_append_only():
    """Test runs and maintenance may empty the tables (TRUNCATE on PostgreSQL; on SQLite the
    project's `flush` lifts the triggers for it); the triggers are back afterwards."""
    from django.core.management import call_command

    entry = audit_log(actor=None, action="user.email_confirmed", obj=UserFactory())
    AuditRedaction.objects.create(entry=entry, rule="test")
    call_command("flush", "--no-input")
    assert not AuditEntry.objects.exists() and not AuditRedaction.objects.exists()
    entry = audit_log(actor=None, action="user.email_confirmed", obj=UserFactory())
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
