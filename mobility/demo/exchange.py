"""Demo vacancies and job seekers: a few hundred of each, spread over real regions and the
occupations of the starter taxonomy, titled and skilled in Kazakh, Russian and English,
so the rankings on the demo site mean something."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from matching.engine.loading import PROJECT_DATA_DIR
from matching.models import Occupation
from matching.services import taxonomy_load_project
from mobility.accounts.models import Organisation, User
from mobility.exchange import services
from mobility.exchange.models import Registration, SeekerProfile, Vacancy, WorkExperience
from mobility.reference.models import Centre, Region

VACANCIES = 320

# Rough monthly pay bands (tenge) by ISCO major group, for believable ranges.
PAY = {
    "1": (450_000, 900_000),
    "2": (300_000, 700_000),
    "3": (220_000, 450_000),
    "4": (160_000, 280_000),
    "5": (120_000, 260_000),
    "6": (120_000, 220_000),
    "7": (200_000, 450_000),
    "8": (200_000, 480_000),
    "9": (100_000, 200_000),
}
SENDING = ["KZ-61", "KZ-79", "KZ-31", "KZ-43", "KZ-19", "KZ-33", "KZ-75"]
DECORATIONS_RU = ["", "", "", "Требуется ", "Срочно! ", "Ведущий ", "Старший "]
DECORATIONS_KK = ["", "", "Шұғыл түрде ", "Аға "]


def _starter() -> dict[str, Any]:
    return json.loads((PROJECT_DATA_DIR / "starter_taxonomy.json").read_text(encoding="utf-8"))


def _labels(item: dict[str, Any], lang: str) -> list[str]:
    return item["labels"].get(lang) or item["labels"]["en"]


def seed_exchange(*, rng: random.Random, admin: User, seekers: list[User]) -> None:
    if Vacancy.objects.exists():
        return
    taxonomy_load_project()
    data = _starter()
    skills = {s["key"]: s for s in data["skills"]}
    occupations = data["occupations"]
    occ_by_uri = {o.uri: o for o in Occupation.objects.select_related("isco_group")}
    regions = {r.code: r for r in Region.objects.all()}
    organisations = list(Organisation.objects.filter(status=Organisation.Status.VERIFIED).order_by("bin"))

    def skill_names(
        occ: dict[str, Any], lang: str, essential: int, optional: int
    ) -> tuple[list[str], list[str]]:
        ess = rng.sample(occ["essential"], min(essential, len(occ["essential"])))
        opt = rng.sample(occ["optional"], min(optional, len(occ["optional"])))
        pick = lambda keys: [rng.choice(_labels(skills[k], lang)[:2]) for k in keys if k in skills]  # noqa: E731
        return pick(ess), pick(opt)

    with transaction.atomic():
        for index in range(VACANCIES):
            occ = occupations[rng.randrange(len(occupations))]
            lang = rng.choices(["ru", "kk", "en"], weights=[65, 20, 15])[0]
            title = rng.choice(_labels(occ, lang)[:3])
            if lang == "ru":
                title = rng.choice(DECORATIONS_RU) + title
            elif lang == "kk":
                title = rng.choice(DECORATIONS_KK) + title
            title = title[0].upper() + title[1:]
            organisation = organisations[index % len(organisations)]
            region = organisation.region if rng.random() < 0.8 else regions[rng.choice(list(regions))]
            low, high = PAY.get(occ["isco"][0], (150_000, 300_000))
            salary_min = rng.randrange(low, (low + high) // 2, 5000)
            required, optional = skill_names(occ, lang, rng.randint(3, 6), rng.randint(0, 2))
            uri = occ.get("esco_uri") or f"project:occupation:{occ['key']}"
            vacancy = services.vacancy_create(
                organisation=organisation,
                by=admin,
                title=title,
                description=_describe(occ, lang, required),
                occupation=occ_by_uri.get(uri),
                region=region,
                salary_min=salary_min,
                salary_max=salary_min + rng.randrange(20_000, 200_000, 5000),
                schedule=rng.choices(["full_day", "shift", "rotation", "flexible"], weights=[60, 20, 15, 5])[
                    0
                ],
                positions=rng.choice([1, 1, 1, 2, 3, 5]),
                housing_offered=region.code in ("KZ-59", "KZ-55", "KZ-39", "KZ-63", "KZ-23")
                and rng.random() < 0.4,
                open_to_resettlers=rng.random() < 0.85,
                expires_on=timezone.localdate() + dt.timedelta(days=rng.randrange(20, 90)),
                required_skills=required,
                optional_skills=optional,
                publish=True,
            )
            # Spread publication dates over the last two months.
            Vacancy.objects.filter(pk=vacancy.pk).update(
                published_at=timezone.now() - dt.timedelta(hours=rng.randrange(1, 24 * 60))
            )

        centres_by_region: dict[int, list[Centre]] = {}
        for centre in Centre.objects.filter(kind=Centre.Kind.DISTRICT):
            centres_by_region.setdefault(centre.region_id, []).append(centre)
        personas = {
            "aigerim@demo.kz": ("accountant", "KZ-79", "kk", True),
            "timur@demo.kz": ("welder", "KZ-75", "ru", True),
        }
        people = [*User.objects.filter(email__in=personas).order_by("email"), *seekers]
        occ_by_key = {o["key"]: o for o in occupations}
        for person in people:
            if SeekerProfile.objects.filter(user=person).exists():
                continue
            if person.email in personas:
                key, region_code, lang, relocate = personas[person.email]
                occ = occ_by_key[key]
            else:
                occ = occupations[rng.randrange(len(occupations))]
                lang = person.language
                region_code = rng.choice(SENDING) if rng.random() < 0.6 else rng.choice(list(regions))
                relocate = rng.random() < 0.45
            region = regions[region_code]
            essential, optional = skill_names(occ, lang, rng.randint(3, 6), rng.randint(0, 2))
            visibility = rng.choices(["public", "anonymous", "hidden"], weights=[70, 20, 10])[0]
            if person.email in personas:
                visibility = "public"
            low, high = PAY.get(occ["isco"][0], (150_000, 300_000))
            profile = services.profile_create(
                user=person,
                region=region,
                headline=_labels(occ, lang)[0],
                about="",
                languages=["kk", "ru"] if lang == "kk" else ["ru"],
                education_level=rng.choice(["secondary", "vocational", "higher"]),
                will_relocate=relocate,
                expected_salary=rng.randrange(low, high, 10_000),
                schedule=rng.choice(["", "full_day", "shift", "rotation"]),
                visibility=visibility,
                desired_regions=[]
                if not relocate
                else [regions[c] for c in ("KZ-55", "KZ-59", "KZ-39") if rng.random() < 0.6],
            )
            services.profile_set_skills(
                profile=profile, skills=[(n, rng.randint(2, 4)) for n in essential + optional], by=person
            )
            started = timezone.localdate() - dt.timedelta(days=rng.randrange(400, 3000))
            WorkExperience.objects.create(
                profile=profile,
                title=_labels(occ, lang)[0],
                employer_name=rng.choice(["ТОО «Береке»", "ИП Ахметов", "АО «Казпочта»", "ТОО «Самал»"]),
                started_on=started,
                ended_on=started + dt.timedelta(days=rng.randrange(200, 350)),
            )
            if rng.random() < 0.6 or person.email in personas:
                centre = rng.choice(centres_by_region[region.id])
                Registration.objects.create(
                    profile=profile,
                    centre=centre,
                    kind=rng.choice([Registration.Kind.JOB_SEEKER, Registration.Kind.UNEMPLOYED]),
                    registered_on=timezone.localdate()
                    - dt.timedelta(days=rng.randrange(30, 900) if person.email not in personas else 430),
                )
        # A few applications so the pipelines and "my applications" are not empty.
        from mobility.exchange.models import ApplicationStatus

        published = list(Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED).order_by("id")[:60])
        visible = list(SeekerProfile.objects.exclude(visibility="hidden").order_by("id")[:60])
        for seeker, vacancy in zip(visible, published, strict=False):
            if rng.random() < 0.5:
                services.application_create(
                    seeker=seeker,
                    vacancy=vacancy,
                    status=ApplicationStatus.APPLIED,
                    by=seeker.user,
                    cover_note="Здравствуйте! Прошу рассмотреть мою кандидатуру.",
                )


def _describe(occ: dict[str, Any], lang: str, skills: list[str]) -> str:
    listed = ", ".join(skills[:4])
    if lang == "kk":
        return f"Тәжірибелі маман қажет. Талаптар: {listed}. Ресми жұмысқа орналастыру, әлеуметтік пакет."
    if lang == "en":
        return f"We are hiring. You will need: {listed}. Official employment and social package."
    return (
        f"Ищем специалиста. Требования: {listed}. Официальное трудоустройство, соцпакет, стабильная зарплата."
    )
