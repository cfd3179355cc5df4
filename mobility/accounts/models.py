"""People, employer organisations, and the memberships that give people their roles.

A role is never a flag on the user: it is something the person holds (a seeker profile,
an organisation membership, a centre membership), so one account can be several things.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from mobility.core.identifiers import BinValidator, IinValidator, mask_iin


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, password: str | None, **extra: Any) -> User:
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


# django-stubs cannot type the reverse manager of a model whose manager is django-otp's (untyped)
class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person. Citizens sign in with IIN or email; foreign applicants have no IIN."""

    email = models.EmailField(_("email"), null=True, blank=True)
    iin = models.CharField(
        _("IIN"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[IinValidator()],
        help_text=_("12-digit individual identification number (citizens and residents)."),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    last_name = models.CharField(_("surname"), max_length=100, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="kk"
    )
    is_staff = models.BooleanField(
        _("admin site access"),
        default=False,
        help_text=_("Whether the person may sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    # Bumped by "sign out everywhere": every session signed with the old value stops working.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # noqa: RUF012 - Django reads this class attribute

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(iin__isnull=False),
                name="user_has_email_or_iin",
                violation_error_message=_("A person needs an email address or an IIN to sign in."),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or mask_iin(self.iin)

    def get_session_auth_hash(self) -> str:
        """Sessions are tied to the password and to the sign-out-everywhere counter."""
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "mobility.accounts.User.session", f"{self.password}:{self.session_epoch}", algorithm="sha256"
        ).hexdigest()

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def get_short_name(self) -> str:
        return self.first_name or str(self)

    @property
    def masked_iin(self) -> str:
        return mask_iin(self.iin)


class Organisation(models.Model):
    """An employer: a legal entity identified by its BIN; branches belong to a head office."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REFUSED = "refused", _("Verification refused")

    bin = models.CharField(_("BIN"), max_length=12, unique=True, validators=[BinValidator()])
    name = models.CharField(_("legal name"), max_length=300)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    head_office = models.ForeignKey(
        "self",
        verbose_name=_("head office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="branches",
    )
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(
        _("verification"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_reason = models.TextField(_("reason"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verification_due = models.DateField(
        _("verify by"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Set in working days when the organisation asks for verification."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_at__isnull=False),
                name="verified_organisation_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(head_office=models.F("id")), name="organisation_not_own_branch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bin})"

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_verification_overdue(self) -> bool:
        return (
            self.status == self.Status.PENDING
            and self.verification_due is not None
            and self.verification_due < timezone.localdate()
        )


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        RECRUITER = "recruiter", _("Recruiter")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation.name} ({self.get_role_display()})"


class CentreMembership(models.Model):
    class Role(models.TextChoices):
        COUNSELLOR = "counsellor", _("Career-centre counsellor")
        REGIONAL_MANAGER = "regional_manager", _("Regional centre manager")
        MIGRATION_OFFICER = "migration_officer", _("Migration officer")
        PROGRAMME_FINANCE = "programme_finance", _("Programme finance officer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_memberships"
    )
    centre = models.ForeignKey("reference.Centre", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("centre membership")
        verbose_name_plural = _("centre memberships")
        constraints = [models.UniqueConstraint(fields=["user", "centre", "role"], name="one_role_per_centre")]

    def __str__(self) -> str:
        return f"{self.user} — {self.centre} ({self.get_role_display()})"


class ActivationCode(models.Model):
    """A short code printed at the desk for a person without email, to set their first password.

    Only a keyed digest is stored; a code works once, until it expires, and for a few tries.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes"
    )
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """The second factor's single-use recovery codes (a django-otp device, so a session that
    proved one is `is_verified()` like one that proved an authenticator code).

    Takes the place of django-otp's `StaticDevice`, which keeps its codes in plain text: here
    only a salted keyed digest of each code is stored (`RecoveryCode`, `tokens.recovery_code_*`).
    The person sees the codes once, when they are made (`services.two_factor_enrol`,
    `services.two_factor_recovery_codes_regenerate`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recovery_code_devices",
        help_text="The user that this device belongs to.",
    )

    class Meta:
        verbose_name = _("recovery-code device")
        verbose_name_plural = _("recovery-code devices")

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        """Spend the code `token` if it is one of this device's: at most one request spends a
        code, however many send it at once (the one whose delete removed the row). A wrong or
        spent code counts as a failure for the throttling, like a wrong authenticator code."""
        from mobility.accounts.tokens import recovery_code_matches

        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        code = str(token)
        match = None
        for row in self.codes.all():  # a handful of rows: every one is compared, in constant time
            if recovery_code_matches(code, salt=row.salt, digest=row.digest):
                match = row
        if match is not None and RecoveryCode.objects.filter(pk=match.pk).delete()[0] == 1:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    """One unused recovery code, as a digest: HMAC-SHA256 of its own random salt and the code."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    salt = models.CharField(max_length=32)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id}: {self.digest[:8]}…"
