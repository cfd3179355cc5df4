"""Writes of the API app: client credentials, personal tokens, idempotent answers, bulk upsert.

Secrets are random (256 bits) and stored only as SHA-256 hashes: with that much entropy a fast
hash is the right tool (a slow password hash would only slow every request down). A secret is
shown once, when it is made; afterwards only its public id (`prefix`) is visible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobility.accounts.models import Organisation, User
from mobility.api.models import CENTRE_SCOPES, ORGANISATION_SCOPES, ApiKey, IdempotencyRecord, PersonalToken
from mobility.core.actors import actor_of
from mobility.core.audit import audit_log
from mobility.exchange import services as exchange
from mobility.exchange.models import Vacancy
from mobility.reference.models import Centre

KEY_PREFIX = "mk"  # machine key (client credentials)
TOKEN_PREFIX = "pt"  # noqa: S105 - personal token (a prefix, not a secret)
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret(kind: str) -> tuple[str, str, str]:
    """(prefix, full secret shown to the client, its hash)."""
    prefix = secrets.token_hex(6)
    secret = f"{kind}_{prefix}_{secrets.token_urlsafe(32)}"
    return prefix, secret, _hash(secret)


def parse_credential(raw: str) -> tuple[str, str] | None:
    """("mk" or "pt", prefix) of a well-formed credential, else None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] not in (KEY_PREFIX, TOKEN_PREFIX) or len(parts[1]) != 12:
        return None
    if not all(c in "0123456789abcdef" for c in parts[1]):
        return None
    return parts[0], parts[1]


def _matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(_hash(secret), stored_hash)


# --- Client credentials (API keys) ----------------------------------------------------------------


def _validate_scopes(scopes: Sequence[str], *, organisation: Organisation | None) -> list[str]:
    allowed = ORGANISATION_SCOPES if organisation is not None else CENTRE_SCOPES
    wrong = [s for s in scopes if s not in allowed]
    if wrong:
        raise ValidationError(
            {
                "scopes": _("These scopes cannot be given to this kind of key: %(scopes)s")
                % {"scopes": ", ".join(wrong)}
            }
        )
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one scope.")})
    return sorted(set(scopes))


@transaction.atomic
def api_key_create(
    *,
    name: str,
    scopes: Sequence[str],
    by: User | None,
    organisation: Organisation | None = None,
    centre: Centre | None = None,
    expires_at: dt.datetime | None = None,
    rate_per_minute: int = 600,
) -> tuple[ApiKey, str]:
    """A new key and its secret (shown once)."""
    prefix, secret, hashed = _new_secret(KEY_PREFIX)
    key = ApiKey(
        name=name.strip(),
        prefix=prefix,
        secret_hash=hashed,
        organisation=organisation,
        centre=centre,
        scopes=_validate_scopes(scopes, organisation=organisation),
        created_by=by,
        expires_at=expires_at,
        rate_per_minute=rate_per_minute,
    )
    key.full_clean()
    key.save()
    audit_log(actor=by, action="api_key.created", obj=key, data={"scopes": key.scopes, "prefix": prefix})
    return key, secret


@transaction.atomic
def api_key_revoke(*, key: ApiKey, by: User | None, reason: str = "") -> ApiKey:
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_log(actor=by, action="api_key.revoked", obj=key, reason=reason)
    return key


@transaction.atomic
def api_key_rotate(
    *, key: ApiKey, by: User | None, grace: dt.timedelta = dt.timedelta(0)
) -> tuple[ApiKey, str]:
    """A new secret with the same binding and scopes. The old key stops working at once, or
    after `grace` so a deployment can switch over."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        raise ValidationError(_("A revoked key cannot be rotated; create a new one."))
    prefix, secret, hashed = _new_secret(KEY_PREFIX)
    new = ApiKey(
        name=key.name,
        prefix=prefix,
        secret_hash=hashed,
        organisation=key.organisation,
        centre=key.centre,
        scopes=list(key.scopes),
        rate_per_minute=key.rate_per_minute,
        created_by=by,
        expires_at=key.expires_at,
        rotated_from=key,
    )
    new.full_clean()
    new.save()
    now = timezone.now()
    if grace > dt.timedelta(0):
        key.expires_at = min(key.expires_at or now + grace, now + grace)
        key.save(update_fields=["expires_at"])
    else:
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
    audit_log(actor=by, action="api_key.rotated", obj=key, data={"new_prefix": prefix})
    return new, secret


def api_key_authenticate(prefix: str, secret: str) -> ApiKey | None:
    key = ApiKey.objects.select_related("organisation", "centre__region").filter(prefix=prefix).first()
    if key is None or not _matches(secret, key.secret_hash) or not key.is_usable():
        return None
    _touch(ApiKey, key)
    return key


# --- Personal tokens ------------------------------------------------------------------------------


@transaction.atomic
def personal_token_create(
    *, user: User, name: str, expires_at: dt.datetime | None = None, second_factor: bool = False
) -> tuple[PersonalToken, str]:
    """A token that acts as `user`. `second_factor` says the session asking for it proved one
    (`accounts.twofactor.second_factor_satisfied`): staff need it, and their tokens expire after
    `STAFF_TOKEN_DAYS` at most; other people's tokens are as they ask."""
    staff = actor_of(user).needs_second_factor
    if staff and not second_factor:
        raise ValidationError(
            _("Staff create API tokens only after confirming a sign-in code in this session."),
            code="second_factor_required",
        )
    if staff:
        latest = timezone.now() + dt.timedelta(days=settings.STAFF_TOKEN_DAYS)
        expires_at = min(expires_at, latest) if expires_at else latest
    prefix, secret, hashed = _new_secret(TOKEN_PREFIX)
    token = PersonalToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        secret_hash=hashed,
        expires_at=expires_at,
        credentials_stamp=_credentials_stamp(user),
        second_factor=second_factor,
    )
    token.full_clean()
    token.save()
    audit_log(
        actor=user,
        action="personal_token.created",
        obj=token,
        data={"prefix": prefix, "expires_at": expires_at, "second_factor": second_factor},
    )
    return token, secret


@transaction.atomic
def personal_token_revoke(*, token: PersonalToken, by: User) -> PersonalToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_log(actor=by, action="personal_token.revoked", obj=token)
    return token


def personal_token_authenticate(prefix: str, secret: str) -> PersonalToken | None:
    token = PersonalToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not _matches(secret, token.secret_hash):
        return None
    if personal_token_state(token) != TokenState.ACTIVE or not token.user.is_active:
        return None
    _touch(PersonalToken, token)
    return token


class TokenState(TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    REVOKED = "revoked", gettext_lazy("Revoked")
    EXPIRED = "expired", gettext_lazy("Expired")
    ENDED = "ended", gettext_lazy("Ended by a new password or signing out everywhere")
    NO_SECOND_FACTOR = "no_second_factor", gettext_lazy("Not valid for staff: made without a second factor")


def personal_token_state(token: PersonalToken, *, staff: bool | None = None) -> TokenState:
    """Whether a token still works, and if not why: the one rule the API and the token page share.

    A token of someone who needs a second factor (`staff`, asked of the owner when not given)
    works only if it was made with one, and for `STAFF_TOKEN_DAYS` after it was made at most,
    whatever it was made for (also when the limit was shortened since)."""
    if token.revoked_at is not None:
        return TokenState.REVOKED
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return TokenState.EXPIRED
    if staff is None:
        staff = actor_of(token.user).needs_second_factor
    if staff:
        if not token.second_factor:
            return TokenState.NO_SECOND_FACTOR
        if token.created_at + dt.timedelta(days=settings.STAFF_TOKEN_DAYS) <= now:
            return TokenState.EXPIRED
    if not constant_time_compare(token.credentials_stamp, _credentials_stamp(token.user)):
        return TokenState.ENDED  # the password changed or the person signed out everywhere since
    return TokenState.ACTIVE


def _credentials_stamp(user: User) -> str:
    """A personal token lives exactly as long as the person's sessions would.

    Sessions are tied to `User.get_session_auth_hash` (the password and the sign-out-everywhere
    counter); tying tokens to the same value means every way of changing either — the password
    page, a reset link, the admin, "sign out everywhere" — ends the tokens too, with no list of
    places to remember.
    """
    return salted_hmac(
        "mobility.api.PersonalToken.credentials", user.get_session_auth_hash(), algorithm="sha256"
    ).hexdigest()


def _touch(model: Any, obj: Any) -> None:
    """Record use at most once a minute, without a write on every request."""
    now = timezone.now()
    if obj.last_used_at is None or now - obj.last_used_at > LAST_USED_RESOLUTION:
        model.objects.filter(pk=obj.pk).update(last_used_at=now)
        obj.last_used_at = now


# --- Idempotency -----------------------------------------------------------------------------------


def idempotency_begin(
    *, client: str, key: str, method: str, path: str, fingerprint: str
) -> IdempotencyRecord:
    """Claim the key, inside the caller's transaction; a concurrent request with the same key
    waits on the unique constraint (PostgreSQL) or on the write lock (SQLite) until the first
    one commits, then reads its answer."""
    record, _created = IdempotencyRecord.objects.select_for_update().get_or_create(
        client=client,
        key=key,
        defaults={"method": method, "path": path[:500], "fingerprint": fingerprint},
    )
    return record


def idempotency_finish(
    *, record: IdempotencyRecord, status_code: int, body: Any, content_type: str, location: str = ""
) -> None:
    record.status_code = status_code
    record.body = body
    record.content_type = content_type
    record.location = location[:500]
    record.save(update_fields=["status_code", "body", "content_type", "location"])


def idempotency_prune(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


# --- Vacancies in bulk, by the partner's own ids ---------------------------------------------------


@dataclass(frozen=True)
class UpsertResult:
    external_id: str
    vacancy: Vacancy
    action: str  # "created" | "updated"


def _with_prefix(exc: ValidationError, prefix: str) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError({f"{prefix}/{field}": errors for field, errors in exc.error_dict.items()})
    return ValidationError({prefix: exc.error_list})


def _upsert_one(*, organisation: Organisation, item: dict[str, Any], by: User | None) -> UpsertResult:
    data = dict(item)
    external_id = data.pop("external_id")
    status = data.pop("status", None)
    required = data.pop("required_skills", None)
    optional = data.pop("optional_skills", None)
    existing = (
        Vacancy.objects.select_for_update().filter(organisation=organisation, external_id=external_id).first()
    )
    if existing is None:
        try:
            with transaction.atomic():
                vacancy = exchange.vacancy_create(
                    organisation=organisation,
                    by=by,
                    external_id=external_id,
                    required_skills=required or (),
                    optional_skills=optional or (),
                    **data,
                )
            action = "created"
        except IntegrityError:
            # Another request created the same external id between our read and our write.
            existing = Vacancy.objects.select_for_update().get(
                organisation=organisation, external_id=external_id
            )
        except ValidationError:
            # The same race, seen by full_clean()'s uniqueness check after the other commit.
            existing = (
                Vacancy.objects.select_for_update()
                .filter(organisation=organisation, external_id=external_id)
                .first()
            )
            if existing is None:
                raise
    if existing is not None:
        vacancy = exchange.vacancy_update(
            vacancy=existing, by=by, required_skills=required, optional_skills=optional, **data
        )
        action = "updated"
    if status and status != vacancy.status:
        vacancy = exchange.vacancy_set_status(vacancy=vacancy, status=status, by=by)
    return UpsertResult(external_id=external_id, vacancy=vacancy, action=action)


@transaction.atomic
def vacancies_upsert(
    *, organisation: Organisation, items: Iterable[dict[str, Any]], by: User | None
) -> list[UpsertResult]:
    """Create or update each vacancy by the partner's external id, all or nothing: the first
    invalid item rolls the whole batch back and its errors name `vacancies/<index>/<field>`."""
    results = []
    for index, item in enumerate(items):
        try:
            results.append(_upsert_one(organisation=organisation, item=item, by=by))
        except ValidationError as exc:
            raise _with_prefix(exc, f"vacancies/{index}") from exc
    return results
