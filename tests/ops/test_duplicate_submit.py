"""A duplicate submit (a double click, a browser resend after a timeout) creates nothing twice
(issue #12, item 7). The API's writes: tests/api/test_idempotency.py (Idempotency-Key, and the
database's unique constraints without one); the seeker's application form:
tests/mobility/test_portal.py::TestApplications::test_a_second_open_application_is_refused."""

from __future__ import annotations

from mobility.accounts.models import User
from mobility.cases.models import Case
from mobility.core.documents.models import Document
from mobility.exchange.models import Registration
from tests.cases import test_workspace


def test_the_registration_desk_sent_twice_registers_the_person_once(client, dana, documents_dir):
    client.force_login(dana)
    desk = test_workspace.TestRegistrationDesk()
    first = desk._post(client)
    assert first.status_code == 200
    second = desk._post(client)  # the same form, files and all, sent again
    assert second.status_code in (200, 302)
    iin = User.objects.get(last_name="Сейітов").iin
    assert User.objects.filter(iin=iin).count() == 1
    assert Case.objects.count() == 1
    assert Registration.objects.filter(status=Registration.Status.ACTIVE).count() == 1
    assert Document.objects.filter(original_name="удостоверение.pdf").count() == 1
