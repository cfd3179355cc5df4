"""A deterministic, believable small world for demos and manual testing.

Every run gives the same people, numbers and organisations (a seeded RNG, get-or-create
by natural keys), so running it twice changes nothing. Later features add to `seed()`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.accounts.services import (
    Channel,
    account_create,
    centre_membership_grant,
    organisation_create,
    organisation_set_status,
)
from mobility.core.identifiers import make_bin, make_iin
from mobility.reference.models import Centre, Region

SEEKERS = 240
DEMO_PASSWORD = "demo-2026"  # noqa: S105 - demo data only, printed for the reader

KK_MALE = [
    "Ерлан",
    "Болат",
    "Тимур",
    "Нұрлан",
    "Асхат",
    "Дәурен",
    "Мұрат",
    "Серік",
    "Ержан",
    "Айдос",
    "Бауыржан",
    "Қайрат",
]
KK_FEMALE = [
    "Айгерім",
    "Дана",
    "Әлия",
    "Гүлнар",
    "Жансая",
    "Мадина",
    "Аружан",
    "Динара",
    "Сәуле",
    "Ләззат",
    "Назерке",
    "Перизат",
]
RU_MALE = ["Алексей", "Дмитрий", "Сергей", "Андрей", "Виктор", "Игорь"]
RU_FEMALE = ["Ольга", "Наталья", "Елена", "Татьяна", "Ирина", "Светлана"]
KK_SURNAMES = [
    "Ахметов",
    "Серікбаев",
    "Нұрланов",
    "Жақсыбеков",
    "Омаров",
    "Қасымов",
    "Төлеуов",
    "Сейітов",
    "Беков",
    "Әбенов",
]
RU_SURNAMES = ["Иванов", "Петров", "Ковалев", "Ким", "Шевченко", "Морозов"]


@dataclass(frozen=True)
class Login:
    role: str
    name: str
    login: str


def _female(surname: str) -> str:
    if surname.endswith(("ов", "ев", "ин")):
        return surname + "а"
    return surname


def _person(
    *, email: str, first: str, last: str, male: bool, birth: dt.date, serial: int, language: str
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user:
        return user
    user = account_create(
        channel=Channel.ADMINISTRATION,
        email=email,
        iin=make_iin(birth, male=male, serial=serial),
        first_name=first,
        last_name=last if male else _female(last),
        language=language,
    ).user
    # Hashing the same demo password hundreds of times would take a minute: hash it once.
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    return user


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


def _staff(email: str, first: str, last: str, male: bool, centre_code: str, role: str, serial: int) -> User:
    user = _person(
        email=email,
        first=first,
        last=last,
        male=male,
        birth=dt.date(1985, 3, 14),
        serial=serial,
        language="ru",
    )
    centre = Centre.objects.get(code=centre_code)
    if not CentreMembership.objects.filter(user=user, centre=centre, role=role).exists():
        centre_membership_grant(user=user, centre=centre, role=role, by=None)
    return user


EMPLOYERS = [
    # (name, region, sector, verified, bin year/month, serial, owner email, owner first, owner last, male)
    (
        "ТОО «Павлодар Энерго Сервис»",
        "KZ-55",
        "Energy",
        True,
        (2008, 5),
        1201,
        "bolat@demo.kz",
        "Болат",
        "Нұрланов",
        True,
    ),
    (
        "ТОО «Astana Build Group»",
        "KZ-71",
        "Construction",
        True,
        (2015, 9),
        3302,
        "zhanna@demo.kz",
        "Жансая",
        "Омаров",
        False,
    ),
    (
        "АО «Солтүстік Агро»",
        "KZ-59",
        "Agriculture",
        True,
        (2011, 2),
        4410,
        "igor@demo.kz",
        "Игорь",
        "Ковалев",
        True,
    ),
    (
        "ТОО «Qostanai Med Clinic»",
        "KZ-39",
        "Health",
        True,
        (2017, 11),
        5521,
        "madina@demo.kz",
        "Мадина",
        "Сейітов",
        False,
    ),
    (
        "ТОО «Shymkent Retail»",
        "KZ-79",
        "Trade",
        False,
        (2021, 4),
        6630,
        "askhat@demo.kz",
        "Асхат",
        "Қасымов",
        True,
    ),
]


@transaction.atomic
def seed() -> list[Login]:
    """Create the demo world; returns the logins to print."""
    rng = random.Random(2026)  # noqa: S311 - deterministic demo data, not security
    logins: list[Login] = []

    admin = User.objects.filter(email="admin@demo.kz").first()
    if admin is None:
        admin = User.objects.create_superuser(
            email="admin@demo.kz", password=DEMO_PASSWORD, first_name="Admin", last_name="Demo", language="ru"
        )
    logins.append(Login("administrator", str(admin), "admin@demo.kz"))

    staff = [
        ("dana@demo.kz", "Дана", "Серікбаев", False, "KZ-55-pavlodar", CentreMembership.Role.COUNSELLOR, 101),
        (
            "yerlan@demo.kz",
            "Ерлан",
            "Ахметов",
            True,
            "KZ-55-LMC",
            CentreMembership.Role.REGIONAL_MANAGER,
            102,
        ),
        (
            "aliya@demo.kz",
            "Әлия",
            "Жақсыбеков",
            False,
            "KZ-55-LMC",
            CentreMembership.Role.MIGRATION_OFFICER,
            103,
        ),
        (
            "marat@demo.kz",
            "Мұрат",
            "Төлеуов",
            True,
            "KZ-79-shy-alfarabi",
            CentreMembership.Role.COUNSELLOR,
            104,
        ),
        ("olga@demo.kz", "Ольга", "Петров", False, "KZ-59-petropavl", CentreMembership.Role.COUNSELLOR, 105),
    ]
    for email, first, last, male, centre, role, serial in staff:
        user = _staff(email, first, last, male, centre, role, serial)
        logins.append(Login(str(CentreMembership.Role(role).label), str(user), email))

    for name, region, sector, verified, (year, month), serial, email, first, last, male in EMPLOYERS:
        owner = _person(
            email=email,
            first=first,
            last=last,
            male=male,
            birth=dt.date(1980, 6, 2),
            serial=serial,
            language="ru",
        )
        bin_ = make_bin(year, month, serial=serial)
        organisation = Organisation.objects.filter(bin=bin_).first()
        if organisation is None:
            organisation = organisation_create(
                bin=bin_, name=name, region=Region.objects.get(code=region), owner=owner, sector=sector
            )
            if verified:
                organisation_set_status(
                    organisation=organisation, status=Organisation.Status.VERIFIED, by=admin
                )
        OrganisationMembership.objects.get_or_create(
            user=owner, organisation=organisation, defaults={"role": OrganisationMembership.Role.OWNER}
        )
        logins.append(Login("employer (owner)", f"{owner} — {organisation.name}", email))

    # Job seekers: the personas first, then a crowd with Kazakh and Russian names.
    personas = [
        ("aigerim@demo.kz", "Айгерім", "Бекова", False, dt.date(1996, 4, 12), "kk"),
        ("timur@demo.kz", "Тимур", "Омаров", True, dt.date(1990, 11, 3), "ru"),
    ]
    for email, first, last, male, birth, lang in personas:
        user = _person(
            email=email,
            first=first,
            last=last,
            male=male,
            birth=birth,
            serial=rng.randrange(9000),
            language=lang,
        )
        logins.append(Login("job seeker", str(user), email))
    crowd = []
    for index in range(1, SEEKERS + 1):
        russian = index % 4 == 0
        male = index % 2 == 1
        first = rng.choice((RU_MALE if male else RU_FEMALE) if russian else (KK_MALE if male else KK_FEMALE))
        last = rng.choice(RU_SURNAMES if russian else KK_SURNAMES)
        birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(365 * 40))
        crowd.append(
            _person(
                email=f"seeker{index:03d}@demo.kz",
                first=first,
                last=last,
                male=male,
                birth=birth,
                serial=rng.randrange(9000),
                language="ru" if russian else "kk",
            )
        )
    from mobility.demo.exchange import seed_exchange

    seed_exchange(rng=rng, admin=admin, seekers=crowd)
    from mobility.demo.cases import seed_cases

    seed_cases(rng=rng, admin=admin)
    from mobility.demo.employers import seed_employers

    for employer_row in seed_employers(person=lambda **kw: _person(language="ru", **kw), admin=admin):
        logins.append(Login(*employer_row))
    from mobility.demo.history import seed_history

    seed_history(rng=rng)  # hires over the last 18 months, for the dashboards' charts
    return logins
