"""Working days from the holiday table: weekends, fixed holidays, Kurban Ait (a moving date, read
from the table), and the government's transfers (a Saturday that works, a weekday off)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from mobility.core.audit import audit_trail
from mobility.core.calendar import add_working_days, days_off, is_working_day, working_days_between
from mobility.reference.models import CalendarDay
from mobility.reference.services import calendar_day_confirm, calendar_day_save, calendar_days_load

pytestmark = pytest.mark.django_db


def day(date: dt.date, kind: str, name: str = "x") -> CalendarDay:
    return CalendarDay.objects.create(date=date, kind=kind, name_kk=name, name_ru=name, name_en=name)


def test_a_weekend_is_skipped():
    friday = dt.date(2026, 11, 27)
    assert not is_working_day(dt.date(2026, 11, 28))
    assert add_working_days(friday, 1) == dt.date(2026, 11, 30)
    assert add_working_days(friday, 5) == dt.date(2026, 12, 4)
    assert working_days_between(friday, dt.date(2026, 12, 4)) == 5
    assert working_days_between(dt.date(2026, 12, 4), friday) == -5
    assert add_working_days(friday, 0) == friday


def test_independence_day_is_skipped():
    day(dt.date(2026, 12, 16), CalendarDay.Kind.HOLIDAY, "Independence Day")
    assert not is_working_day(dt.date(2026, 12, 16))
    # Tuesday 15 December + 1 working day skips Wednesday 16th.
    assert add_working_days(dt.date(2026, 12, 15), 1) == dt.date(2026, 12, 17)
    assert working_days_between(dt.date(2026, 12, 14), dt.date(2026, 12, 18)) == 3


def test_kurban_ait_is_read_from_the_table_for_its_year():
    wednesday = dt.date(2026, 5, 27)
    assert is_working_day(wednesday)  # nothing in the table: an ordinary Wednesday
    day(wednesday, CalendarDay.Kind.RELIGIOUS, "Kurban Ait")
    assert not is_working_day(wednesday)
    assert add_working_days(dt.date(2026, 5, 26), 1) == dt.date(2026, 5, 28)


def test_a_transfer_makes_a_saturday_working_and_a_weekday_off():
    # 2024: Saturday 4 May worked, Wednesday 8 May off (between the 7th and the 9th).
    day(dt.date(2024, 5, 4), CalendarDay.Kind.TRANSFER_WORKING)
    day(dt.date(2024, 5, 7), CalendarDay.Kind.HOLIDAY)
    day(dt.date(2024, 5, 8), CalendarDay.Kind.TRANSFER_OFF)
    day(dt.date(2024, 5, 9), CalendarDay.Kind.HOLIDAY)
    assert is_working_day(dt.date(2024, 5, 4))
    assert not is_working_day(dt.date(2024, 5, 8))
    # Friday 3 May + 1 is the working Saturday, + 2 Monday 6 May; 7, 8 and 9 May are off.
    assert add_working_days(dt.date(2024, 5, 3), 1) == dt.date(2024, 5, 4)
    assert add_working_days(dt.date(2024, 5, 3), 2) == dt.date(2024, 5, 6)
    assert add_working_days(dt.date(2024, 5, 3), 3) == dt.date(2024, 5, 10)
    assert working_days_between(dt.date(2024, 5, 3), dt.date(2024, 5, 10)) == 3


def test_a_long_run_of_holidays_is_crossed(django_assert_num_queries):
    # Nowruz 2026: Monday 23 to Wednesday 25 March off, after the weekend of 21-22.
    for d in (23, 24, 25):
        day(dt.date(2026, 3, d), CalendarDay.Kind.HOLIDAY)
    assert add_working_days(dt.date(2026, 3, 20), 1) == dt.date(2026, 3, 26)
    with django_assert_num_queries(1):
        assert add_working_days(dt.date(2026, 3, 20), 30) == dt.date(2026, 5, 6)


def test_days_off_names_the_holiday_and_knows_plain_weekends():
    holiday = day(dt.date(2026, 12, 16), CalendarDay.Kind.HOLIDAY, "Independence Day")
    found = days_off([dt.date(2026, 12, 16), dt.date(2026, 12, 19), dt.date(2026, 12, 17)])
    assert found == {dt.date(2026, 12, 16): holiday, dt.date(2026, 12, 19): None}


def test_the_package_seeds_holidays_observed_days_kurban_ait_and_transfers():
    counts = calendar_days_load(years=[2024, 2025])
    assert counts["created"] > 30
    rows = {row.date: row for row in CalendarDay.objects.all()}
    assert rows[dt.date(2024, 12, 16)].kind == CalendarDay.Kind.HOLIDAY
    assert rows[dt.date(2024, 12, 16)].name_ru == "День Независимости"
    assert rows[dt.date(2024, 12, 16)].name_kk == "Тәуелсіздік күні"
    assert rows[dt.date(2024, 6, 16)].kind == CalendarDay.Kind.RELIGIOUS  # Kurban Ait 2024
    assert rows[dt.date(2025, 6, 6)].kind == CalendarDay.Kind.RELIGIOUS  # Kurban Ait 2025
    assert rows[dt.date(2024, 7, 8)].kind == CalendarDay.Kind.OBSERVED  # Capital Day on a Saturday
    assert rows[dt.date(2024, 5, 8)].kind == CalendarDay.Kind.TRANSFER_OFF
    assert rows[dt.date(2024, 5, 4)].kind == CalendarDay.Kind.TRANSFER_WORKING
    assert rows[dt.date(2025, 1, 5)].is_working  # Sunday 5 January 2025 worked for Friday the 3rd
    assert all(r.source == CalendarDay.Source.PACKAGE and not r.confirmed for r in rows.values())
    assert add_working_days(dt.date(2024, 5, 3), 3) == dt.date(2024, 5, 10)


def test_loading_again_changes_nothing_and_keeps_what_staff_confirmed_or_edited(admin_user):
    calendar_days_load(years=[2024])
    confirmed = CalendarDay.objects.get(date=dt.date(2024, 12, 16))
    calendar_day_confirm(day=confirmed, by=admin_user)
    edited = CalendarDay.objects.get(date=dt.date(2024, 3, 8))
    edited.name_en = "Women's Day"
    calendar_day_save(day=edited, by=admin_user)
    CalendarDay.objects.filter(pk=confirmed.pk).update(name_en="Independence Day (decree)")
    before = list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name_en"))
    assert calendar_days_load(years=[2024]) == {"created": 0, "updated": 0, "kept": 2, "removed": 0}
    assert list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name_en")) == before


def test_a_package_row_the_package_no_longer_lists_is_removed_unless_confirmed(admin_user):
    stale = day(dt.date(2024, 6, 17), CalendarDay.Kind.RELIGIOUS)
    CalendarDay.objects.filter(pk=stale.pk).update(source=CalendarDay.Source.PACKAGE)
    kept = day(dt.date(2024, 6, 18), CalendarDay.Kind.TRANSFER_OFF)  # staff's own row
    counts = calendar_days_load(years=[2024])
    assert counts["removed"] == 1
    assert not CalendarDay.objects.filter(pk=stale.pk).exists()
    assert CalendarDay.objects.filter(pk=kept.pk).exists()


def test_the_command_takes_a_range_of_years():
    call_command("load_holidays", "--years", "2024-2026")
    years = set(CalendarDay.objects.values_list("date__year", flat=True))
    assert years == {2024, 2025, 2026}


def test_confirming_records_who_and_when_and_is_audited(admin_user):
    holiday = day(dt.date(2026, 12, 16), CalendarDay.Kind.HOLIDAY)
    calendar_day_confirm(day=holiday, by=admin_user)
    holiday.refresh_from_db()
    assert holiday.confirmed and holiday.confirmed_by == admin_user and holiday.confirmed_at
    assert audit_trail(holiday).filter(action="calendar_day.confirmed", actor=admin_user).exists()


def test_only_a_weekend_day_is_made_working_and_only_a_weekday_is_moved_off(admin_user):
    with pytest.raises(ValidationError) as err:
        calendar_day_save(
            day=CalendarDay(
                date=dt.date(2026, 5, 6),
                kind=CalendarDay.Kind.TRANSFER_WORKING,
                name_kk="a",
                name_ru="a",
                name_en="a",
            ),
            by=admin_user,
        )
    assert "date" in err.value.message_dict
    with pytest.raises(ValidationError):
        calendar_day_save(
            day=CalendarDay(
                date=dt.date(2026, 5, 9),
                kind=CalendarDay.Kind.TRANSFER_OFF,
                name_kk="a",
                name_ru="a",
                name_en="a",
            ),
            by=admin_user,
        )


def test_an_administrator_adds_a_transfer_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/en/admin/reference/calendarday/add/").content.decode()
    assert "decree" in page
    response = client.post(
        "/en/admin/reference/calendarday/add/",
        {
            "date": "2026-12-19",
            "kind": "transfer_working",
            "name_kk": "Жұмыс күні",
            "name_ru": "Рабочий день",
            "name_en": "Working Saturday",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302
    saturday = CalendarDay.objects.get(date=dt.date(2026, 12, 19))
    assert saturday.source == CalendarDay.Source.STAFF and saturday.confirmed_by == admin_user
    assert is_working_day(saturday.date)


def test_counsellors_see_the_table_but_do_not_change_it(client, dana):
    day(dt.date(2026, 12, 16), CalendarDay.Kind.HOLIDAY)
    client.force_login(dana)
    assert client.get("/en/admin/reference/calendarday/").status_code == 200
    assert client.get("/en/admin/reference/calendarday/add/").status_code == 403
