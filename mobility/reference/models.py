"""Reference data of Kazakhstan: regions, centres, MRP and minimum wage, quotas, dated rules.

Every amount is data with a validity period, never a constant in code, so a case is
judged by the rules in force on its date.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TrilingualName(models.Model):
    """Names in Kazakh, Russian and English, read in the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "kk")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_ru)


class Region(TrilingualName):
    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Region (oblast)")
        CITY = "city", _("City of republican significance")

    code = models.CharField(
        _("ISO 3166-2 code"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^KZ-\d{2}$", _("Use the numeric ISO code, e.g. KZ-55."))],
    )
    old_code = models.CharField(_("former letter code"), max_length=3, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]


class Centre(TrilingualName):
    """A regional labour-mobility centre (back office) or a district career centre."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional labour-mobility centre")
        DISTRICT = "district", _("District career centre")
        MOBILE_GROUP = "mobile", _("Mobile group")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="centres"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reports to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["region__code", "kind", "code"]
        constraints = [
            # Exactly one regional back office per region.
            models.UniqueConstraint(
                fields=["region"], condition=Q(kind="regional"), name="one_regional_centre_per_region"
            ),
            models.CheckConstraint(
                condition=Q(kind="regional", parent__isnull=True) | ~Q(kind="regional"),
                name="regional_centre_has_no_parent",
            ),
        ]


class DatedRule(models.Model):
    """A row of a dated rule table: a draft (under a version label, for what-if runs) until a
    service publishes it; published rows are what is in force, never edited, only superseded.
    Reads go through `mobility.reference.rules`."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.SlugField(
        _("draft version"),
        max_length=40,
        blank=True,
        help_text=_(
            "A short label for a set of draft changes, e.g. budget-2027; they are published together."
        ),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status="published") | ~Q(version=""), name="%(class)s_draft_has_version"
            ),
        ]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


PUBLISHED = Q(status="published")
DRAFT = Q(status="draft")


class MrpRate(DatedRule):
    """The monthly calculation index and the minimum wage, reset every 1 January."""

    year = models.PositiveSmallIntegerField(_("year"))
    mrp = models.PositiveIntegerField(_("MRP, tenge"), validators=[MinValueValidator(1)])
    minimum_wage = models.PositiveIntegerField(_("minimum monthly wage, tenge"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("MRP and minimum wage")
        verbose_name_plural = _("MRP and minimum wage by year")
        ordering = ["-year"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.CheckConstraint(condition=Q(mrp__gt=0), name="mrp_positive"),
            models.UniqueConstraint(fields=["year"], condition=PUBLISHED, name="one_published_mrp_per_year"),
            models.UniqueConstraint(
                fields=["year", "version"], condition=DRAFT, name="one_draft_mrp_per_year_and_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.mrp} ₸"


class ReceptionQuota(DatedRule):
    """The yearly regional quota for receiving kandases or resettlers (persons).

    A region "receives" a category in a year exactly when it has a row here.
    """

    class Category(models.TextChoices):
        KANDAS = "kandas", _("Kandases")
        RESETTLER = "resettler", _("Resettlers")

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="quotas"
    )
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    persons = models.PositiveIntegerField(_("persons"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reception quota")
        verbose_name_plural = _("reception quotas")
        ordering = ["-year", "region__code", "category"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["year", "region", "category"], condition=PUBLISHED, name="one_quota_per_row"
            ),
            models.UniqueConstraint(
                fields=["year", "region", "category", "version"],
                condition=DRAFT,
                name="one_draft_quota_per_row",
            ),
            models.CheckConstraint(condition=Q(persons__gt=0), name="quota_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region.code} {self.category}: {self.persons}"


class ProgrammeRule(DatedRule):
    """A support amount defined as an MRP multiple, valid for a period; or, with another `unit`,
    a share in percent, a number of months, an on/off switch of a programme (resettlement:
    certificate share, rent months, minimum stay, the graduate exception) or a number of persons
    (the foreign-specialist programme's yearly targets)."""

    class Unit(models.TextChoices):
        MRP = "mrp", _("MRP multiple")
        PERCENT = "percent", _("Percent")
        MONTHS = "months", _("Months")
        SWITCH = "switch", _("On (1) or off (0)")
        PERSONS = "persons", _("Persons")

    code = models.SlugField(_("code"), max_length=60)
    mrp_multiplier = models.DecimalField(
        _("value"),
        max_digits=10,
        decimal_places=2,
        help_text=_("An MRP multiple, unless the unit says otherwise."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.MRP)
    uncertain = models.BooleanField(
        _("uncertain"),
        default=False,
        help_text=_("The legal figure is not known for sure: check it before relying on it."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("programme rule")
        verbose_name_plural = _("programme rules")
        ordering = ["code", "-valid_from"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["code", "valid_from"], condition=PUBLISHED, name="one_rule_version_per_start"
            ),
            models.UniqueConstraint(
                fields=["code", "valid_from", "version"], condition=DRAFT, name="one_draft_rule_per_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="rule_period_ordered",
            ),
            models.CheckConstraint(condition=Q(mrp_multiplier__gte=0), name="rule_multiplier_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.mrp_multiplier} MRP from {self.valid_from}"

    def clean(self) -> None:
        """Two published periods of one code never overlap: a new period supersedes, never edits."""
        if not self.is_published or self.valid_from is None:
            return
        overlapping = (
            ProgrammeRule.objects.filter(PUBLISHED, code=self.code)
            .exclude(pk=self.pk)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        )
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.order_by("valid_from").first()
        if clash is not None:
            raise ValidationError(
                {
                    "valid_from": _(
                        "The published rule %(code)s from %(start)s is in force in this period; "
                        "a new period must start after it ends."
                    )
                    % {"code": clash.code, "start": clash.valid_from.isoformat()}
                }
            )


class SettlementType(models.TextChoices):
    URBAN = "urban", _("Town or city")
    RURAL = "rural", _("Village")


class ReceivingSettlement(DatedRule, TrilingualName):
    """A settlement the akimat of a receiving region lists for a year as accepting settlers.

    A region that lists none for a year accepts settlers anywhere on its territory."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="receiving_settlements"
    )
    settlement_type = models.CharField(_("settlement type"), max_length=10, choices=SettlementType.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("receiving settlement")
        verbose_name_plural = _("receiving settlements")
        ordering = ["-year", "region__code", "name_ru"]
        constraints = [
            *DatedRule.Meta.constraints,
            models.UniqueConstraint(
                fields=["year", "region", "name_ru"], condition=PUBLISHED, name="one_published_settlement"
            ),
            models.UniqueConstraint(
                fields=["year", "region", "name_ru", "version"],
                condition=DRAFT,
                name="one_draft_settlement_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region.code} {self.name}"


class CalendarDay(TrilingualName):
    """A date that breaks the Monday-to-Friday rule: a public holiday, a day off moved by law
    or by a government transfer, or a weekend day made a working day by a transfer.

    Seeded from the `holidays` package (`manage.py load_holidays`); staff confirm each year's
    government decree and add the transfers the package does not know. Any date without a row
    is a working day from Monday to Friday and a day off on Saturday and Sunday.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday (fixed date)")
        RELIGIOUS = "religious", _("Religious holiday (moving date)")
        OBSERVED = "observed", _("Day off for a holiday on a weekend")
        TRANSFER_OFF = "transfer_off", _("Day off by a government transfer")
        TRANSFER_WORKING = "transfer_working", _("Working day by a government transfer")

    class Source(models.TextChoices):
        PACKAGE = "package", _("Loaded from the holidays package")
        STAFF = "staff", _("Entered or edited by staff")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.STAFF)
    confirmed = models.BooleanField(
        _("confirmed"), default=False, help_text=_("Ticked by staff who checked the date against the decree.")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holidays and transferred days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed=False) | Q(confirmed_at__isnull=False),
                name="confirmed_calendar_day_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.name}"

    @property
    def is_working(self) -> bool:
        """Only a transfer makes a day working; every other kind is a day off."""
        return self.kind == self.Kind.TRANSFER_WORKING

    def clean(self) -> None:
        weekend = self.date is not None and self.date.weekday() >= 5
        if self.kind == self.Kind.TRANSFER_WORKING and self.date is not None and not weekend:
            raise ValidationError({"date": _("Only a Saturday or a Sunday can be made a working day.")})
        if self.kind in (self.Kind.TRANSFER_OFF, self.Kind.OBSERVED) and weekend:
            raise ValidationError({"date": _("A moved day off falls from Monday to Friday.")})
