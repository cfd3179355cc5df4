"""The mobile group's offline queue (issue #12, item 5), in a browser that really goes offline:
a registration typed without a connection is kept on the device, sent once when the connection
is back, and leaves no IIN behind; a failed send shows the error and retries; signing out clears
the queue, so nothing is ever sent under the next person to sign in on the same phone."""

from __future__ import annotations

import datetime as dt
import json

from playwright.sync_api import Page, expect

from mobility.core.identifiers import make_iin
from tests.e2e.journey_pages import PHONE
from tests.e2e.steps import sign_in

QUEUES = """() => Object.keys(localStorage).filter(k => k.startsWith("mobility.offline.queue"))"""


def _stored(page: Page) -> str:
    """Everything the offline queues keep on the device, as one string."""
    return page.evaluate(
        """() => Object.keys(localStorage).filter(k => k.startsWith("mobility.offline.queue"))
                  .map(k => localStorage.getItem(k)).join("\\n")"""
    )


def _register(page: Page, iin: str, last_name: str) -> None:
    form = page.locator("form.offline-form[data-kind=registration]")
    form.locator("#m-iin").fill(iin)
    form.locator("#m-last").fill(last_name)
    form.locator("#m-first").fill("Әсел")
    form.locator("#m-date").fill(dt.date.today().isoformat())
    form.locator("input[name=documents]").check()
    form.locator("button[type=submit]").click()


def test_a_registration_made_offline_is_sent_once_when_back_online(page: Page, live_server, world):
    from mobility.accounts.models import User
    from mobility.cases.models import Case, OfflineSubmission

    page.set_viewport_size(PHONE)
    base = live_server.url
    dana = User.objects.get(email="dana@demo.kz")
    sign_in(page, base, "dana@demo.kz", world.DEMO_PASSWORD, language="kk")
    page.goto(f"{base}/kk/staff/mobile/")
    status = page.locator("#offline-status")

    # Offline: the entry stays on the device, in Dana's own queue, IIN included.
    page.context.set_offline(True)
    expect(status).to_have_class("offline-status offline")
    first_iin = make_iin(dt.date(1988, 2, 14), male=False, serial=4411)
    _register(page, first_iin, "Нұрланова")
    entry = page.locator("#offline-queue li").first
    expect(entry).to_have_attribute("data-state", "queued")
    assert page.evaluate(QUEUES) == [f"mobility.offline.queue.{dana.pk}"]
    assert first_iin in _stored(page)
    assert not User.objects.filter(iin=first_iin).exists()

    # Back online: sent once, and the IIN and the name leave the device.
    page.context.set_offline(False)
    expect(entry).to_have_attribute("data-state", "sent")
    expect(page.locator("#offline-error")).to_be_hidden()
    person = User.objects.get(iin=first_iin)
    assert Case.objects.filter(person=person).count() == 1
    assert OfflineSubmission.objects.filter(author=dana).count() == 1
    stored = _stored(page)
    assert first_iin not in stored and "Нұрланова" not in stored
    page.reload()  # a reload sends nothing again
    expect(page.locator("#offline-queue li").first).to_have_attribute("data-state", "sent")
    assert OfflineSubmission.objects.filter(author=dana).count() == 1

    # The server fails: the page says so and when it tries again, waiting twice as long each
    # time; "Try again now" sends it at once.
    failures: list[str | None] = []
    healthy: list[bool] = []

    def failing(route):
        if healthy:
            route.continue_()
        else:
            failures.append(route.request.post_data)
            route.fulfill(status=503, body="busy")

    page.route("**/staff/mobile/sync/", failing)
    second_iin = make_iin(dt.date(1990, 7, 1), male=True, serial=4412)
    _register(page, second_iin, "Серіков")
    problem = page.locator("#offline-error")
    expect(problem).to_be_visible()
    expect(problem).to_have_attribute("data-attempts", "2", timeout=10_000)  # retried by itself
    assert 3_000 <= int(problem.get_attribute("data-delay") or 0) <= 5_000  # 2 s, then 4 s
    assert len(failures) == 2
    assert json.loads(failures[0] or "{}")["queued_by"] == dana.pk
    expect(page.locator("#offline-retry")).to_be_visible()
    healthy.append(True)
    page.evaluate("document.getElementById('offline-retry').click()")
    expect(page.locator("#offline-queue li[data-state=sent]")).to_have_count(2)
    expect(problem).to_be_hidden()
    assert User.objects.filter(iin=second_iin).count() == 1
    page.unroute("**/staff/mobile/sync/")

    # Offline again, an entry is queued, then Dana signs out: she is warned, and the queue goes.
    page.context.set_offline(True)
    third_iin = make_iin(dt.date(1979, 12, 30), male=True, serial=4413)
    _register(page, third_iin, "Омаров")
    expect(page.locator("#offline-queue li[data-state=queued]")).to_have_count(1)
    page.route("**/staff/mobile/sync/", lambda route: route.abort())  # the server stays out of reach
    page.context.set_offline(False)
    expect(page.locator("#offline-error")).to_be_visible()
    warned: list[str] = []

    def accept(dialog) -> None:
        warned.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible():
        toggle.click()
    page.locator("form[data-sign-out] button[type=submit]").first.click()
    expect(page).not_to_have_url(f"{base}/kk/staff/mobile/")
    assert warned, "signing out with unsent entries asks first"
    assert page.evaluate(QUEUES) == []
    page.unroute("**/staff/mobile/sync/")

    # Olga signs in on the same phone: nothing of Dana's is sent under her name.
    sign_in(page, base, "olga@demo.kz", world.DEMO_PASSWORD, language="kk")
    page.goto(f"{base}/kk/staff/mobile/")
    expect(page.locator("#offline-queue li")).to_have_count(0)
    assert not User.objects.filter(iin=third_iin).exists()
