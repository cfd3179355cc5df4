"""Staff two-factor (issue #12, accounts): the real rule, with no test shortcut.

Every test here is marked `two_factor`, so `tests/conftest.py` does not count a `force_login`
session as verified: staff without a device reach no staff page, the workspace, the mobile
group, the admin or the API by session; they enrol (secret as text and QR, confirmed by a code,
recovery codes shown once), later verify with a code or a recovery code (spent on use), and
wrong codes lock the device for a while. Staff tokens need the factor and expire.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobility.accounts import services, twofactor
from mobility.accounts.models import CentreMembership, RecoveryCode, RecoveryCodeDevice
from mobility.accounts.tokens import recovery_code_matches
from mobility.api import services as api_services
from mobility.api.models import PersonalToken
from mobility.core.models import AuditEntry
from tests.factories import CentreMembershipFactory, SeekerProfileFactory, UserFactory
from tests.two_factor import code_for, enrol, prove

pytestmark = [pytest.mark.two_factor, pytest.mark.django_db]

ENROL = "/en/accounts/two-factor/enrol/"
VERIFY = "/en/accounts/two-factor/verify/"
CODES = "/en/accounts/two-factor/recovery-codes/"
STAFF_PAGES = [
    "/en/staff/",  # the staff home
    "/en/staff/cases/",  # the workspace: caseload
    "/en/staff/cases/register/",  # the registration desk
    "/en/staff/dashboard/",
    "/en/staff/mobile/",  # the mobile group
    "/en/admin/",
    "/en/accounts/me/",  # nothing at all before the second factor
]
ROLES = [
    CentreMembership.Role.COUNSELLOR,
    CentreMembership.Role.REGIONAL_MANAGER,
    CentreMembership.Role.MIGRATION_OFFICER,
    CentreMembership.Role.PROGRAMME_FINANCE,
]


def _sign_in(client, user):
    response = client.post("/en/accounts/login/", {"username": user.email, "password": "pass-2026"})
    assert response.status_code == 302
    return response


def _actions(user) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(user.pk), action__startswith="two_factor.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- Who must: every staff role, administrators; not seekers ------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_needs_a_second_factor(role):
    from mobility.core.actors import actor_of

    assert actor_of(CentreMembershipFactory(role=role).user).needs_second_factor
    assert actor_of(UserFactory(is_superuser=True, is_staff=True)).needs_second_factor
    assert actor_of(UserFactory(is_staff=True)).needs_second_factor  # the admin site lets them in
    assert not actor_of(UserFactory()).needs_second_factor


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_without_a_device_are_sent_to_enrol_from_every_page(client, dana, path):
    client.force_login(dana)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL + "?next=")


def test_an_administrator_without_a_device_cannot_open_the_admin(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/en/admin/accounts/user/")
    assert response.status_code == 302 and response["Location"].startswith(ENROL)


@pytest.mark.parametrize("role", ROLES)
def test_staff_api_by_session_is_403_problem_json(client, role):
    client.force_login(CentreMembershipFactory(role=role).user)
    response = client.get("/api/v1/registrations/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "second_factor_required"
    # a POST by session is refused the same way, before any view runs
    assert client.post("/api/v1/vacancies/", {}, content_type="application/json").status_code == 403


def test_a_post_to_a_staff_page_does_nothing_and_goes_to_enrolment(client, dana):
    client.force_login(dana)
    response = client.post("/en/staff/cases/register/", {"iin": "x"})
    assert response.status_code == 302 and response["Location"] == ENROL


def test_signing_in_lands_staff_on_enrolment_with_their_home_next(client, dana):
    target = _sign_in(client, dana)["Location"]
    response = client.get(target)
    assert response["Location"] == ENROL + "?next=%2Fen%2Fstaff%2Fcases%2F"


def test_seekers_need_nothing_until_they_enrol(client, aigerim):
    SeekerProfileFactory(user=aigerim)
    client.force_login(aigerim)
    assert client.get("/en/me/for-me/").status_code == 200
    assert client.get("/en/accounts/two-factor/").status_code == 200


# --- Enrolment ----------------------------------------------------------------------------------


def _secret_on(page: str) -> str:
    match = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page)
    assert match, "the secret is shown as text"
    return match.group(1).replace(" ", "")


def _hex(secret_b32: str) -> str:
    from base64 import b32decode

    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    return b32decode(padded).hex()


def test_enrolment_shows_the_secret_as_text_and_as_qr_and_checks_the_code(client, dana):
    client.force_login(dana)
    page = client.get(ENROL + "?next=/en/staff/cases/").content.decode()
    assert "<svg" in page and "qr-code" in page  # the QR code, inline (no external service)
    key_hex = _hex(_secret_on(page))
    assert _secret_on(client.get(ENROL).content.decode()) == _secret_on(page)  # the same until confirmed

    wrong = client.post(ENROL, {"code": "000000" if code_for(key_hex) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "This code is not the one your app shows now" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=dana).exists()

    right = client.post(ENROL, {"code": code_for(key_hex), "next": "/en/staff/cases/"})
    assert right.status_code == 302 and right["Location"].startswith(CODES)
    device = TOTPDevice.objects.get(user=dana)
    assert device.confirmed and device.key == key_hex
    assert _actions(dana) == ["two_factor.enrolled"]

    codes_page = client.get(right["Location"])
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    stored = list(RecoveryCode.objects.filter(device__user=dana))
    assert len(stored) == 10  # the codes shown are the ones kept, as digests only
    assert all(any(recovery_code_matches(c, salt=r.salt, digest=r.digest) for r in stored) for c in codes)
    assert 'href="/en/staff/cases/"' in codes_page.content.decode()  # on to where they were going
    assert client.get(CODES).status_code == 302  # shown once
    # the session proved the factor: the workspace opens
    assert client.get("/en/staff/cases/").status_code == 200


def test_enrolment_code_cannot_be_replayed_to_verify(client, dana):
    client.force_login(dana)
    key_hex = _hex(_secret_on(client.get(ENROL).content.decode()))
    code = code_for(key_hex)
    client.post(ENROL, {"code": code})
    client.logout()
    client.force_login(dana)
    assert client.post(VERIFY, {"code": code}).status_code == 200  # the same time step, refused


# --- Verification ---------------------------------------------------------------------------------


def test_staff_with_a_device_verify_with_a_code_and_go_on(client, dana):
    key_hex, _codes = enrol(dana)
    target = _sign_in(client, dana)["Location"]
    response = client.get(target)
    assert response["Location"] == VERIFY + "?next=%2Fen%2Fstaff%2Fcases%2F"
    done = client.post(VERIFY + "?next=/en/staff/cases/", {"code": code_for(key_hex, steps_ahead=1)})
    assert done.status_code == 302 and done["Location"] == "/en/staff/cases/"
    assert client.get("/en/staff/cases/").status_code == 200
    assert client.get("/api/v1/registrations/").status_code == 200  # the API by this session too


def test_a_wrong_code_locks_the_device_for_a_while(client, dana):
    key_hex, _codes = enrol(dana)
    client.force_login(dana)
    wrong = "000000" if code_for(key_hex, steps_ahead=1) != "000000" else "111111"
    assert "This code is not right" in client.post(VERIFY, {"code": wrong}).content.decode()
    # Now even the right code is refused until the lock ends
    locked = client.post(VERIFY, {"code": code_for(key_hex, steps_ahead=1)})
    assert locked.status_code == 200 and "Too many wrong codes" in locked.content.decode()
    assert client.get("/en/staff/cases/").status_code == 302
    # ... and the lock doubles with every wrong code
    device = TOTPDevice.objects.get(user=dana)
    device.throttling_failure_timestamp = timezone.now() - dt.timedelta(seconds=11)
    device.save()
    assert twofactor.locked_until(device) is None
    client.post(VERIFY, {"code": wrong})
    device.refresh_from_db()
    until = twofactor.locked_until(device)
    assert until is not None and until - device.throttling_failure_timestamp == dt.timedelta(seconds=20)
    # After the lock the right code works
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=21)
    )
    assert client.post(VERIFY, {"code": code_for(key_hex, steps_ahead=1)}).status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_codes_typed_from_one_address_are_rate_limited(client, dana, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor": "3/15m"}
    enrol(dana)
    client.force_login(dana)
    statuses = [client.post(VERIFY, {"code": "12345678"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


# --- Recovery codes -------------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, dana):
    _key, codes = enrol(dana)
    client.force_login(dana)
    response = client.post(VERIFY, {"code": codes[0].upper()[:4] + "-" + codes[0].upper()[4:]})
    assert response.status_code == 302
    page = client.get("/en/staff/cases/")
    assert page.status_code == 200
    assert "You signed in with a recovery code; 9 codes are left." in page.content.decode()
    assert RecoveryCode.objects.filter(device__user=dana).count() == 9
    assert _actions(dana) == ["two_factor.enrolled", "two_factor.recovery_code_used"]
    used = AuditEntry.objects.get(action="two_factor.recovery_code_used")
    assert used.data == {"codes_left": 9}

    client.logout()
    client.force_login(dana)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and "This code is not right" in again.content.decode()
    RecoveryCodeDevice.objects.filter(user=dana).update(throttling_failure_count=0)
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, dana):
    key_hex, old = enrol(dana)
    client.force_login(dana)
    prove(client, key_hex)
    response = client.post("/en/accounts/two-factor/recovery-codes/new/")
    assert response["Location"] == CODES
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(CODES).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert _actions(dana)[-1] == "two_factor.recovery_codes_regenerated"
    assert services.two_factor_verify(user=dana, code=old[0]) is None
    RecoveryCodeDevice.objects.filter(user=dana).update(throttling_failure_count=0)  # past the lock
    assert services.two_factor_verify(user=dana, code=new[0]) is not None


def test_recovery_codes_are_kept_only_as_salted_digests(dana):
    """OWASP ASVS 2.6.2: a lookup secret of 40 bits is stored salted and hashed, never as text."""
    _key, codes = enrol(dana)
    stored = list(RecoveryCode.objects.filter(device__user=dana).values_list("salt", "digest"))
    assert len(stored) == 10
    kept = " ".join(salt + digest for salt, digest in stored)
    assert not any(code in kept or code.upper() in kept for code in codes)
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for _salt, digest in stored)
    assert len({salt for salt, _digest in stored}) == 10  # a salt of its own per code
    # the same code under another salt gives another digest: equal codes cannot be spotted
    from mobility.accounts.tokens import recovery_code_digest

    assert recovery_code_digest(codes[0], "a" * 32) != recovery_code_digest(codes[0], "b" * 32)


def test_recovery_codes_survive_a_rotated_secret_key(dana, settings):
    _key, codes = enrol(dana)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-of-enough-length-" + "y" * 30
    assert services.two_factor_verify(user=dana, code=codes[0]) is not None
    settings.SECRET_KEY_FALLBACKS = []  # once the old key is gone, its digests match nothing
    assert services.two_factor_verify(user=dana, code=codes[1]) is None


def test_a_code_spent_by_another_request_meanwhile_is_refused(dana, monkeypatch):
    """Two requests with the same code at once: only the one whose delete removed the row gets
    in (the other found the row before it was deleted)."""
    _key, codes = enrol(dana)
    device = twofactor.recovery_device(dana)
    rows = list(device.codes.all())
    RecoveryCode.objects.filter(pk__in=[r.pk for r in rows]).delete()  # spent by the other request

    class Stale:  # what the slower request read before the other one deleted the row
        def all(self):
            return rows

    monkeypatch.setattr(RecoveryCodeDevice, "codes", property(lambda self: Stale()))
    assert device.verify_token(codes[0]) is False


def test_the_migration_hashes_existing_plain_text_codes(dana):
    """Codes made before the change (django-otp's plain-text StaticToken) keep working, once,
    and no plain text is left."""
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    old = StaticDevice.objects.create(user=dana, name="recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=old, token=t) for t in ["abcdefgh", "ijklmnop"])
    migration = importlib.import_module("mobility.accounts.migrations.0006_recovery_codes_hashed")
    migration.hash_static_tokens(apps, None)

    assert not StaticToken.objects.exists() and not StaticDevice.objects.exists()
    assert RecoveryCode.objects.filter(device__user=dana).count() == 2
    assert not RecoveryCode.objects.filter(digest__in=["abcdefgh", "ijklmnop"]).exists()
    assert services.two_factor_verify(user=dana, code="ABCD-EFGH") is not None
    assert twofactor.recovery_codes_left(dana) == 1
    RecoveryCodeDevice.objects.filter(user=dana).update(throttling_failure_count=0)
    assert services.two_factor_verify(user=dana, code="abcdefgh") is None


# --- Removal: people who chose it; staff through an administrator ---------------------------------


def test_a_seeker_enrols_by_choice_is_then_asked_and_may_turn_it_off(client, aigerim):
    SeekerProfileFactory(user=aigerim)
    key_hex, _codes = enrol(aigerim)
    target = _sign_in(client, aigerim)["Location"]
    assert client.get(target)["Location"].startswith(VERIFY)
    prove(client, key_hex)
    assert client.get(target).status_code == 200
    client.post("/en/accounts/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=aigerim).exists()
    assert _actions(aigerim) == ["two_factor.enrolled", "two_factor.removed"]
    client.logout()
    assert client.get(_sign_in(client, aigerim)["Location"]).status_code == 200


def test_staff_cannot_remove_their_own_second_factor(client, dana):
    key_hex, _codes = enrol(dana)
    client.force_login(dana)
    prove(client, key_hex)
    client.post("/en/accounts/two-factor/remove/")
    assert TOTPDevice.objects.filter(user=dana).exists()
    with pytest.raises(ValidationError):
        services.two_factor_remove(user=dana, by=dana)


def test_an_administrator_resets_a_lost_device_from_the_admin(client, admin_user, dana):
    admin_key, _ = enrol(admin_user)
    enrol(dana)
    client.force_login(admin_user)
    prove(client, admin_key)
    response = client.post(
        "/en/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [dana.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=dana).exists()
    assert not RecoveryCodeDevice.objects.filter(user=dana).exists()
    reset = AuditEntry.objects.get(action="two_factor.reset")
    assert reset.actor_id == admin_user.pk and reset.target_id == str(dana.pk)
    # Dana enrols again at her next sign-in
    client.logout()
    assert client.get(_sign_in(client, dana)["Location"])["Location"].startswith(ENROL)


# --- Personal API tokens --------------------------------------------------------------------------


def test_staff_token_creation_needs_the_second_factor(client, dana):
    with pytest.raises(ValidationError):
        api_services.personal_token_create(user=dana, name="script")
    client.force_login(dana)
    assert client.post("/en/accounts/api-tokens/", {"name": "script"})["Location"] == ENROL
    assert not PersonalToken.objects.filter(user=dana).exists()


def test_staff_tokens_made_with_the_factor_expire(client, dana, settings):
    settings.STAFF_TOKEN_DAYS = 30
    key_hex, _codes = enrol(dana)
    client.force_login(dana)
    prove(client, key_hex)
    assert client.post("/en/accounts/api-tokens/", {"name": "script"}).status_code == 200
    token = PersonalToken.objects.get(user=dana)
    assert token.second_factor
    assert token.expires_at is not None
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


def test_seeker_tokens_are_unchanged(aigerim):
    token, _secret = api_services.personal_token_create(user=aigerim, name="script")
    assert token.expires_at is None and not token.second_factor
    assert api_services.personal_token_state(token) == api_services.TokenState.ACTIVE


def _api(client, secret):
    return client.get("/api/v1/registrations/", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_an_expired_staff_token_is_refused_with_401(client, dana, settings):
    token, secret = api_services.personal_token_create(user=dana, name="script", second_factor=True)
    assert _api(client, secret).status_code == 200
    PersonalToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = _api(client, secret)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    # Shortening the limit ends older staff tokens too, whatever they were made for
    PersonalToken.objects.filter(pk=token.pk).update(
        expires_at=None, created_at=timezone.now() - dt.timedelta(days=31)
    )
    assert _api(client, secret).status_code == 401


def test_a_token_made_before_becoming_staff_stops_working(client, aigerim):
    _token, secret = api_services.personal_token_create(user=aigerim, name="script")
    assert client.get("/api/v1/vacancies/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    CentreMembershipFactory(user=aigerim)
    response = client.get("/api/v1/vacancies/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
