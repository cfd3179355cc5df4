"""Provisional rules of the three schemes, so the service works from the first start.

PROVISIONAL: the points pilot's weights are unpublished (the joint order of 30.01.2026 lists the
criteria, not the points), the B9 visa's documents, deadlines and validity are not confirmed, and
the Atameken card is modelled on the Ata Zholy card rules. Every row not backed by a legal text is
left unconfirmed (`confirmed=False`) so the admin shows it; administrators replace them through a
draft version and `rule_publish`.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone

SCHEMES = [
    {
        "code": "b9-visa",
        "kind": "visa",
        "version": {
            "version": "b9-2024-provisional",
            "valid_from": dt.date(2024, 11, 18),
            "name_en": "B9 valuable-skills visa",
            "name_ru": "Виза B9 для обладателей ценных навыков",
            "name_kk": "Құнды дағды иелеріне арналған B9 визасы",
            "description_en": (
                "For specialists with in-demand professions or valuable skills in science, education, "
                "health, industry, IT, sport and culture. Documents, processing time and validity are "
                "not confirmed yet."
            ),
            "description_ru": (
                "Для специалистов востребованных профессий и обладателей ценных навыков в науке, "
                "образовании, здравоохранении, промышленности, ИТ, спорте и культуре. Документы, сроки "
                "рассмотрения и срок действия пока не подтверждены."
            ),
            "description_kk": (
                "Ғылым, білім беру, денсаулық сақтау, өнеркәсіп, АТ, спорт және мәдениет салаларындағы "
                "сұранысқа ие кәсіп немесе құнды дағды иелеріне арналған. Құжаттар, қарау мерзімі мен "
                "қолданылу мерзімі әлі расталмаған."
            ),
            "requires_job_offer": True,
            "allows_work": True,
            "max_validity_years": 3,
            "cap_at_passport_expiry": True,
            "card_prefix": "B9",
            "review_working_days": 15,
            "appeal_working_days": 20,
            "appeal_review_working_days": 15,
            "legal_basis": "Visa rules as amended from 18.11.2024 (to confirm)",
            "confirmed": False,
            "note": "PROVISIONAL: documents, processing time and validity are not confirmed.",
        },
        "categories": [
            (
                "in-demand-profession",
                "In-demand profession",
                "Востребованная профессия",
                "Сұранысқа ие кәсіп",
                True,
            ),
            ("valuable-skills", "Valuable skills", "Ценные навыки", "Құнды дағдылар", False),
        ],
        "steps": [
            ("documents", "document_check", 5, "Document check", "Проверка документов", "Құжаттарды тексеру"),
            (
                "offer",
                "employer_confirmation",
                5,
                "Employer's confirmation of the offer",
                "Подтверждение предложения работодателем",
                "Жұмыс берушінің ұсынысты растауы",
            ),
            (
                "check",
                "inter_agency_check",
                5,
                "Inter-agency check",
                "Межведомственная проверка",
                "Ведомствоаралық тексеру",
            ),
            ("decision", "decision", 3, "Decision", "Решение", "Шешім"),
        ],
        "documents": [
            ("passport", "Passport scan", "Скан паспорта", "Паспорттың сканері", True),
            ("diploma", "Diploma", "Диплом", "Диплом", True),
            ("language", "Language certificate", "Языковой сертификат", "Тіл сертификаты", False),
            ("offer", "Job offer letter", "Письмо с предложением о работе", "Жұмысқа шақыру хаты", False),
        ],
        "reasons": [
            (
                "meets-requirements",
                "approved",
                "Meets the scheme's requirements",
                "Соответствует требованиям",
                "Талаптарға сәйкес келеді",
            ),
            (
                "not-in-field",
                "refused",
                "The occupation is not in a field of the scheme",
                "Профессия не относится к сферам программы",
                "Кәсіп бағдарлама салаларына жатпайды",
            ),
            (
                "documents-incomplete",
                "refused",
                "Required documents are missing or invalid",
                "Не представлены или недействительны обязательные документы",
                "Міндетті құжаттар ұсынылмаған немесе жарамсыз",
            ),
            (
                "check-failed",
                "refused",
                "The inter-agency check was not passed",
                "Межведомственная проверка не пройдена",
                "Ведомствоаралық тексерістен өтпеді",
            ),
            (
                "false-information",
                "refused",
                "False information was given",
                "Представлены ложные сведения",
                "Жалған мәліметтер ұсынылды",
            ),
        ],
    },
    {
        "code": "points-pilot",
        "kind": "points",
        "version": {
            "version": "points-2026",
            "valid_from": dt.date(2026, 1, 30),
            "name_en": "Points-based permanent residence (2026 pilot)",
            "name_ru": "Разрешение на постоянное проживание по балльной системе (пилот 2026)",
            "name_kk": "Балдық жүйе бойынша тұрақты тұруға рұқсат (2026 пилоты)",
            "description_en": (
                "A remote Kazakh A1 test (at least 30% per block), a points questionnaire (pass mark 400), "
                "an inter-agency check, an interview and the home country's consent; at most 29 days."
            ),
            "description_ru": (
                "Дистанционный тест по казахскому языку уровня A1 (не менее 30% по каждому блоку), анкета "
                "с баллами (проходной балл 400), межведомственная проверка, собеседование и согласие страны "
                "происхождения; не более 29 дней."
            ),
            "description_kk": (
                "Қазақ тілінен A1 деңгейіндегі қашықтан тест (әр блок бойынша кемінде 30%), балдық сауалнама "
                "(өту балы 400), ведомствоаралық тексеру, әңгімелесу және шыққан елдің келісімі; барлығы "
                "29 күннен аспайды."
            ),
            "requires_questionnaire": True,
            "requires_language_test": True,
            "test_min_block_percent": 30,
            "allows_work": True,
            "allows_business": True,
            "max_validity_years": 10,
            "cap_at_passport_expiry": True,
            "card_prefix": "PR",
            "review_working_days": 20,
            "total_limit_days": 29,
            "appeal_working_days": 20,
            "appeal_review_working_days": 15,
            "legal_basis": "Joint order MLSP No. 41 / MIA No. 60 / MAIDD No. 47 of 30.01.2026",
            "confirmed": True,
            "note": "Step deadlines in working days are PROVISIONAL (the order gives 29 days in all).",
        },
        "categories": [
            (
                "permanent-residence",
                "Permanent residence permit",
                "Разрешение на постоянное проживание",
                "Тұрақты тұруға рұқсат",
                False,
            ),
            ("kandas-status", "Kandas status", "Статус кандаса", "Қандас мәртебесі", False),
        ],
        "steps": [
            (
                "test",
                "language_test",
                5,
                "Kazakh language test (A1)",
                "Тест по казахскому языку (A1)",
                "Қазақ тілінен тест (A1)",
            ),
            (
                "questionnaire",
                "questionnaire",
                1,
                "Points questionnaire",
                "Анкета с баллами",
                "Балдық сауалнама",
            ),
            (
                "check",
                "inter_agency_check",
                5,
                "Inter-agency check",
                "Межведомственная проверка",
                "Ведомствоаралық тексеру",
            ),
            ("interview", "interview", 5, "Interview", "Собеседование", "Әңгімелесу"),
            (
                "consent",
                "home_consent",
                5,
                "Home country's consent to emigrate",
                "Согласие страны происхождения на выезд",
                "Шыққан елдің көшуге келісімі",
            ),
            ("decision", "decision", 2, "Decision", "Решение", "Шешім"),
        ],
        "documents": [
            ("passport", "Passport scan", "Скан паспорта", "Паспорттың сканері", True),
            ("diploma", "Diploma", "Диплом", "Диплом", False),
            ("language", "Language certificate", "Языковой сертификат", "Тіл сертификаты", False),
            (
                "consent",
                "Home country's consent",
                "Согласие страны происхождения",
                "Шыққан елдің келісімі",
                True,
            ),
        ],
        "reasons": [
            (
                "meets-requirements",
                "approved",
                "All steps passed and the pass mark reached",
                "Все этапы пройдены, проходной балл набран",
                "Барлық кезеңдерден өтті, өту балы жиналды",
            ),
            (
                "below-pass-mark",
                "refused",
                "The questionnaire score is below the pass mark",
                "Балл по анкете ниже проходного",
                "Сауалнама бойынша балл өту балынан төмен",
            ),
            (
                "test-failed",
                "refused",
                "The language test was not passed",
                "Языковой тест не пройден",
                "Тіл тестінен өтпеді",
            ),
            (
                "check-failed",
                "refused",
                "The inter-agency check was not passed",
                "Межведомственная проверка не пройдена",
                "Ведомствоаралық тексерістен өтпеді",
            ),
            (
                "interview-failed",
                "refused",
                "The interview was not passed",
                "Собеседование не пройдено",
                "Әңгімелесуден өтпеді",
            ),
            (
                "no-home-consent",
                "refused",
                "The home country did not consent",
                "Нет согласия страны происхождения",
                "Шыққан елдің келісімі жоқ",
            ),
        ],
    },
    {
        "code": "atameken-card",
        "kind": "card",
        "version": {
            "version": "atameken-2023",
            "valid_from": dt.date(2023, 7, 1),
            "name_en": "Atameken card",
            "name_ru": "Карта «Атамекен»",
            "name_kk": "Атамекен картасы",
            "description_en": (
                "For ethnic Kazakhs with foreign citizenship: free access to work and business, without "
                "political rights. Modelled on the Ata Zholy card; reviewed in 5 working days."
            ),
            "description_ru": (
                "Для этнических казахов с иностранным гражданством: свободный доступ к работе и бизнесу без "
                "политических прав. По образцу карты «Ата жолы»; рассматривается 5 рабочих дней."
            ),
            "description_kk": (
                "Шетел азаматтығы бар этникалық қазақтарға: саяси құқықтарсыз жұмыс пен бизнеске еркін "
                "қолжетімділік. «Ата жолы» картасы үлгісінде; 5 жұмыс күнінде қаралады."
            ),
            "requires_ethnic_kazakh": True,
            "allows_work": True,
            "allows_business": True,
            "excludes_voting": True,
            "excludes_public_office": True,
            "excludes_public_service": True,
            "excludes_referendums": True,
            "max_validity_years": 10,
            "cap_at_passport_expiry": True,
            "card_prefix": "AT",
            "review_working_days": 5,
            "appeal_working_days": 20,
            "appeal_review_working_days": 15,
            "void_on_citizenship": True,
            "legal_basis": "Rules of the Ata Zholy card, V2300032983 (model for the Atameken card)",
            "confirmed": False,
            "note": "PROVISIONAL: no legal text names the Atameken card; rows follow the Ata Zholy card.",
        },
        "categories": [
            (
                "citizenship-list-profession",
                "Profession on the simplified-citizenship list (2005)",
                "Профессия из перечня для упрощённого приёма в гражданство (2005)",
                "Азаматтыққа оңайлатылған тәртіппен қабылдау тізіміндегі кәсіп (2005)",
                False,
            ),
            (
                "in-demand-profession",
                "In-demand profession (order of 20.02.2023)",
                "Востребованная профессия (приказ от 20.02.2023)",
                "Сұранысқа ие кәсіп (20.02.2023 бұйрығы)",
                True,
            ),
            (
                "business-abroad",
                "Active business abroad",
                "Действующий бизнес за рубежом",
                "Шетелдегі жұмыс істеп тұрған бизнес",
                False,
            ),
        ],
        "steps": [
            ("documents", "document_check", 3, "Document check", "Проверка документов", "Құжаттарды тексеру"),
            ("decision", "decision", 2, "Decision of the akimat", "Решение акимата", "Әкімдік шешімі"),
        ],
        "documents": [
            ("passport", "Passport scan", "Скан паспорта", "Паспорттың сканері", True),
            (
                "origin",
                "Proof of Kazakh ethnicity",
                "Документ о казахской национальности",
                "Қазақ ұлтын растайтын құжат",
                True,
            ),
            ("diploma", "Diploma", "Диплом", "Диплом", False),
            (
                "business",
                "Business registration abroad",
                "Регистрация бизнеса за рубежом",
                "Шетелдегі бизнесті тіркеу",
                False,
            ),
        ],
        "reasons": [
            (
                "meets-requirements",
                "approved",
                "Meets the card's requirements",
                "Соответствует требованиям карты",
                "Карта талаптарына сәйкес келеді",
            ),
            (
                "not-ethnic-kazakh",
                "refused",
                "Kazakh ethnicity is not proven",
                "Казахская национальность не подтверждена",
                "Қазақ ұлты расталмаған",
            ),
            (
                "no-category",
                "refused",
                "No eligibility category is met",
                "Не соответствует ни одной категории",
                "Бірде-бір санатқа сәйкес келмейді",
            ),
            (
                "documents-incomplete",
                "refused",
                "Required documents are missing or invalid",
                "Не представлены или недействительны обязательные документы",
                "Міндетті құжаттар ұсынылмаған немесе жарамсыз",
            ),
        ],
    },
]

# PROVISIONAL weights: the official point table is not published.
QUESTIONNAIRE = [
    (
        "age",
        "Age",
        "Возраст",
        "Жасы",
        [
            ("18-24", "18–24", "18–24", "18–24", 60),
            ("25-34", "25–34", "25–34", "25–34", 100),
            ("35-44", "35–44", "35–44", "35–44", 80),
            ("45-54", "45–54", "45–54", "45–54", 40),
            ("55-plus", "55 or older", "55 и старше", "55 және одан жоғары", 10),
        ],
    ),
    (
        "education",
        "Education",
        "Образование",
        "Білімі",
        [
            ("secondary", "Secondary school", "Среднее", "Орта", 20),
            ("vocational", "Vocational", "Техническое и профессиональное", "Техникалық және кәсіптік", 40),
            ("bachelor", "Bachelor's degree", "Бакалавр", "Бакалавр", 70),
            ("master", "Master's degree", "Магистр", "Магистр", 90),
            ("doctorate", "Doctorate (PhD)", "Доктор (PhD)", "Доктор (PhD)", 110),
        ],
    ),
    (
        "kazakh",
        "Kazakh language",
        "Казахский язык",
        "Қазақ тілі",
        [
            ("none", "None", "Не владею", "Білмеймін", 0),
            ("a1", "A1", "A1", "A1", 20),
            ("a2", "A2", "A2", "A2", 35),
            ("b1", "B1", "B1", "B1", 50),
            ("b2-plus", "B2 or higher", "B2 и выше", "B2 және жоғары", 70),
        ],
    ),
    (
        "russian",
        "Russian language",
        "Русский язык",
        "Орыс тілі",
        [
            ("none", "None", "Не владею", "Білмеймін", 0),
            ("basic", "Basic", "Базовый", "Бастапқы", 15),
            ("intermediate", "Intermediate", "Средний", "Орта", 30),
            ("fluent", "Fluent", "Свободный", "Еркін", 45),
        ],
    ),
    (
        "english",
        "English language",
        "Английский язык",
        "Ағылшын тілі",
        [
            ("none", "None", "Не владею", "Білмеймін", 0),
            ("basic", "Basic", "Базовый", "Бастапқы", 10),
            ("intermediate", "Intermediate", "Средний", "Орта", 25),
            ("fluent", "Fluent", "Свободный", "Еркін", 40),
        ],
    ),
    (
        "experience",
        "Work experience in the occupation",
        "Опыт работы по профессии",
        "Кәсібі бойынша жұмыс өтілі",
        [
            ("under-1", "Less than a year", "Менее года", "Бір жылдан аз", 0),
            ("1-2", "1–2 years", "1–2 года", "1–2 жыл", 30),
            ("3-5", "3–5 years", "3–5 лет", "3–5 жыл", 60),
            ("6-10", "6–10 years", "6–10 лет", "6–10 жыл", 80),
            ("over-10", "More than 10 years", "Более 10 лет", "10 жылдан астам", 100),
        ],
    ),
    (
        "competences",
        "Competences in demand",
        "Востребованные компетенции",
        "Сұранысқа ие құзыреттер",
        [
            (
                "not-listed",
                "Occupation not on the shortage list",
                "Профессии нет в перечне востребованных",
                "Кәсіп сұранысқа ие тізімде жоқ",
                0,
            ),
            (
                "related",
                "Related to a shortage occupation",
                "Смежная с востребованной профессией",
                "Сұранысқа ие кәсіппен сабақтас",
                40,
            ),
            (
                "listed",
                "Occupation on the shortage list",
                "Профессия в перечне востребованных",
                "Кәсіп сұранысқа ие тізімде",
                80,
            ),
        ],
    ),
    (
        "job-offer",
        "Job offer in Kazakhstan",
        "Предложение о работе в Казахстане",
        "Қазақстандағы жұмыс ұсынысы",
        [
            ("none", "No offer", "Нет предложения", "Ұсыныс жоқ", 0),
            ("offer", "An offer letter", "Письмо с предложением", "Ұсыныс хаты", 60),
            (
                "verified-employer",
                "An offer from a verified employer on the exchange",
                "Предложение проверенного работодателя на бирже",
                "Биржадағы тексерілген жұмыс берушінің ұсынысы",
                80,
            ),
        ],
    ),
    (
        "adaptability",
        "Ties to Kazakhstan",
        "Связи с Казахстаном",
        "Қазақстанмен байланысы",
        [
            ("none", "None", "Нет", "Жоқ", 0),
            (
                "relatives",
                "Close relatives live here",
                "Здесь живут близкие родственники",
                "Мұнда жақын туыстары тұрады",
                20,
            ),
            ("studied", "Studied here", "Учился(-ась) здесь", "Осында оқыған", 25),
            ("worked", "Worked here", "Работал(а) здесь", "Осында жұмыс істеген", 30),
        ],
    ),
]


def seed(apps, schema_editor):
    Scheme = apps.get_model("foreign", "Scheme")
    SchemeVersion = apps.get_model("foreign", "SchemeVersion")
    Questionnaire = apps.get_model("foreign", "Questionnaire")
    ShortageList = apps.get_model("foreign", "ShortageList")
    now = timezone.now()
    for item in SCHEMES:
        scheme, _ = Scheme.objects.get_or_create(code=item["code"], defaults={"kind": item["kind"]})
        if SchemeVersion.objects.filter(scheme=scheme).exists():
            continue
        version = SchemeVersion.objects.create(
            scheme=scheme, status="published", published_at=now, **item["version"]
        )
        confirmed = item["version"]["confirmed"]
        for order, (code, en, ru, kk, shortage) in enumerate(item["categories"]):
            version.categories.create(
                order=order,
                code=code,
                name_en=en,
                name_ru=ru,
                name_kk=kk,
                needs_shortage_occupation=shortage,
                confirmed=confirmed,
            )
        for order, (code, kind, days, en, ru, kk) in enumerate(item["steps"]):
            version.steps.create(
                order=order,
                code=code,
                kind=kind,
                deadline_working_days=days,
                name_en=en,
                name_ru=ru,
                name_kk=kk,
                confirmed=False,
            )
        for order, (code, en, ru, kk, required) in enumerate(item["documents"]):
            version.documents.create(
                order=order, code=code, name_en=en, name_ru=ru, name_kk=kk, required=required, confirmed=False
            )
        for order, (code, outcome, en, ru, kk) in enumerate(item["reasons"]):
            version.reasons.create(
                order=order, code=code, outcome=outcome, name_en=en, name_ru=ru, name_kk=kk, confirmed=False
            )
    points = Scheme.objects.get(code="points-pilot")
    if not Questionnaire.objects.filter(scheme=points).exists():
        questionnaire = Questionnaire.objects.create(
            scheme=points,
            status="published",
            published_at=now,
            version="points-2026",
            valid_from=dt.date(2026, 1, 30),
            pass_mark=400,
            provisional=True,
            legal_basis="Joint order MLSP No. 41 / MIA No. 60 / MAIDD No. 47 of 30.01.2026",
            note="PROVISIONAL weights: the official point table is not published.",
        )
        for order, (code, en, ru, kk, options) in enumerate(QUESTIONNAIRE):
            criterion = questionnaire.criteria.create(
                order=order, code=code, name_en=en, name_ru=ru, name_kk=kk
            )
            for option_order, (option, oen, oru, okk, value) in enumerate(options):
                criterion.options.create(
                    order=option_order, code=option, name_en=oen, name_ru=oru, name_kk=okk, points=value
                )
    if not ShortageList.objects.filter(year=2026).exists():
        # The occupations are linked by `manage.py seed_foreign` once the taxonomy is imported.
        ShortageList.objects.create(
            year=2026,
            status="published",
            published_at=now,
            version="shortage-2026-provisional",
            legal_basis="MLSP order No. 49 of 20.02.2023 (in-demand professions), as listed for 2026 (to confirm)",
            note="PROVISIONAL: occupations follow the 2023 order; the 2026 list is not confirmed.",
        )


class Migration(migrations.Migration):
    dependencies = [("foreign", "0002_application_status_follows_history")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
