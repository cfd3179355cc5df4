"""The centre verifies an organisation within a number of working days of its request (five by
default): the deadline is stored at sign-up and when a refused organisation asks again, skips
public holidays, and the queue shows and filters what is overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from mobility.accounts.models import Organisation
from mobility.core.calendar import add_working_days, working_days_between
from mobility.core.identifiers import make_bin
from mobility.employer import services
from mobility.reference.models import CalendarDay
from tests.factories import OrganisationFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def sign_up():  # untyped: factory types confuse mypy
    return services.employer_sign_up(
        user=UserFactory(), bin=make_bin(2025, 1, serial=777), name="ТОО «Новая»", region=region("KZ-55")
    )


def test_sign_up_sets_a_deadline_in_working_days_that_skips_a_holiday():
    today = timezone.localdate()
    holiday = add_working_days(today, 1)
    CalendarDay.objects.create(
        date=holiday, kind=CalendarDay.Kind.HOLIDAY, name_kk="Мереке", name_ru="Праздник", name_en="Holiday"
    )
    organisation = sign_up()
    assert organisation.verification_due is not None
    assert holiday < organisation.verification_due
    assert working_days_between(today, organisation.verification_due) == 5
    assert organisation.verification_due == add_working_days(holiday, 5)  # the holiday counts for none


def test_the_number_of_days_is_a_setting(settings):
    settings.ORGANISATION_VERIFICATION_DAYS = 2
    assert sign_up().verification_due == add_working_days(timezone.localdate(), 2)


def test_asking_again_after_a_refusal_sets_a_new_deadline(dana):
    organisation = sign_up()
    owner = organisation.memberships.get().user
    services.organisation_decide(organisation=organisation, verify=False, by=dana, reason="BIN mismatch")
    Organisation.objects.filter(pk=organisation.pk).update(verification_due=dt.date(2020, 1, 6))
    organisation.refresh_from_db()
    services.organisation_request_verification(organisation=organisation, by=owner)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.verification_due == add_working_days(timezone.localdate(), 5)


class TestQueue:
    @pytest.fixture
    def late(self, db):
        return OrganisationFactory(
            name="ТОО «Опоздавшая»", region=region("KZ-55"), verification_due=dt.date(2026, 1, 5)
        )

    @pytest.fixture
    def on_time(self, db):
        return OrganisationFactory(
            name="ТОО «Вовремя»",
            region=region("KZ-55"),
            verification_due=timezone.localdate() + dt.timedelta(days=30),
        )

    def test_the_queue_shows_the_deadline_and_marks_the_overdue_first(self, client, dana, late, on_time):
        client.force_login(dana)
        body = client.get("/en/staff/verification/").content.decode()
        assert "Verify by" in body
        assert body.index(late.name) < body.index(on_time.name)
        late_row = body[body.index(late.name) : body.index(on_time.name)]
        assert "overdue" in late_row
        assert "overdue" not in body[body.index(on_time.name) :]

    def test_the_queue_filters_the_overdue(self, client, dana, late, on_time):
        client.force_login(dana)
        body = client.get("/en/staff/verification/?show=overdue").content.decode()
        assert late.name in body and on_time.name not in body

    def test_a_verified_organisation_is_never_overdue(self, client, dana, late):
        late.status, late.verified_at = Organisation.Status.VERIFIED, timezone.now()
        late.save()
        client.force_login(dana)
        assert late.name not in client.get("/en/staff/verification/?show=overdue").content.decode()
        assert not late.is_verification_overdue

    def test_the_detail_page_shows_the_deadline(self, client, dana, late):
        client.force_login(dana)
        body = client.get(f"/en/staff/verification/{late.id}/").content.decode()
        assert "Verify by" in body and "overdue" in body
