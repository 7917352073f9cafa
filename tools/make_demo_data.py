"""Write the demo CSV files: invented participants that reproduce the figures of
the seed (155 enrolled in "Sozialwirtschaft integriert", 106 of them in coaching)
plus a few in the sister programme, 30 coaches of 5 coaching providers with the
active participants assigned within their capacity, and a history of coaching
sessions from 2018 to mid-2020.

Deterministic (fixed seeds): run it again after changing it, and commit the CSVs.
    make demo-csv
"""

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demo"
PROVIDERS = [f"partner_provider_{number}" for number in range(1, 6)]
COACH_NAMES = [
    "Anna Becker",
    "Julia Wagner",
    "Katrin Schulz",
    "Nadine Richter",
    "Sandra Wolf",
    "Melanie Braun",
    "Stefanie Krüger",
    "Christina Lange",
    "Tanja Schmitt",
    "Birgit Zimmermann",
    "Yasemin Aksoy",
    "Leyla Demirci",
    "Samira Haddou",
    "Olena Koval",
    "Maren Vogel",
    "Ines Hartmann",
    "Claudia Fuchs",
    "Petra Scholz",
    "Monika Keller",
    "Hanna Berger",
    "Lea Frank",
    "Carina Roth",
    "Miriam Engel",
    "Sophie Arnold",
    "Jana Busch",
    "Esra Yildiz",
    "Rana Saleh",
    "Ewa Nowicka",
    "Tamara Horn",
    "Gülay Kaplan",
]
COACH_LANGUAGES = ["ar", "tr", "fa", "ku", "ru", "en", "fr", "ti", "pl", "ro"]
# The demo's free text is German, as the city writes it (translatable names stay
# English in the source, with their German in i18n/de.po).
SESSION_TOPICS = [
    "Lebenssituation und Ziele",
    "Ausbildungsplan",
    "Bewerbungsunterlagen",
    "Vorbereitung auf ein Vorstellungsgespräch",
    "Kinderbetreuung organisieren",
    "Möglichkeiten für Deutschkurse",
    "Anerkennung ausländischer Abschlüsse",
    "Praktikumssuche",
    "Termin beim Jobcenter",
    "Wohnungssuche",
    "Prüfungsvorbereitung",
    "Ausbildung und Familie vereinbaren",
]
OBSTACLE_WEIGHTS = {
    "childcare": 14,
    "language": 18,
    "recognition": 7,
    "health": 5,
    "housing": 6,
    "residence": 4,
    "finances": 6,
    "mobility": 4,
    "digital": 4,
    "family": 8,
    "pandemic": 0,
    "confidence": 6,
}
PANDEMIC_START, PANDEMIC_END = date(2020, 3, 16), date(2020, 6, 15)
SEED_DAY = date(2020, 7, 31)  # the city reported its figures in mid-2020
PROGRAM_XMLIDS = {"SWI": "program_social_economy", "HWI": "program_trades"}

# Stage distribution of the 155 women: intake, orientation, then 106 in
# coaching-accompanied stages (coaching, qualification, training, employment)
# and 36 who have left.
SWI_STAGES = [
    ("stage_intake", 5),
    ("stage_orientation", 8),
    ("stage_coaching", 43),
    ("stage_qualification", 22),
    ("stage_training", 31),
    ("stage_employment", 10),
    ("stage_exited", 36),
]
HWI_STAGES = [("stage_intake", 2), ("stage_orientation", 2), ("stage_coaching", 2)]
EXIT_REASONS = (
    ["exit_reason_training"] * 6
    + ["exit_reason_employment"] * 4
    + ["exit_reason_moved"] * 7
    + ["exit_reason_health"] * 5
    + ["exit_reason_family"] * 8
    + ["exit_reason_unreachable"] * 4
    + ["exit_reason_other"] * 2
)
ORIGINS = {
    "sy": (
        ["Amina", "Rasha", "Hala", "Nour", "Lina", "Reem", "Dima", "Yara"],
        ["Al-Hassan", "Khalil", "Haddad", "Saleh", "Darwish", "Nasser"],
        ["ar", "ku"],
    ),
    "af": (
        ["Fatima", "Zahra", "Maryam", "Shabnam", "Farida", "Parwana"],
        ["Rahimi", "Ahmadi", "Hakimi", "Sultani", "Noori"],
        ["prs", "ps"],
    ),
    "er": (
        ["Selam", "Helen", "Semhar", "Luwam", "Winta"],
        ["Tesfay", "Gebremedhin", "Habte", "Kidane"],
        ["ti", "ar"],
    ),
    "tr": (
        ["Ayse", "Elif", "Zeynep", "Emine", "Hatice", "Merve"],
        ["Yilmaz", "Demir", "Kaya", "Aydin", "Öztürk"],
        ["tr", "ku"],
    ),
    "iq": (
        ["Shirin", "Rozhin", "Layla", "Sara"],
        ["Barzani", "Aziz", "Jaff", "Mahmoud"],
        ["ku", "ar"],
    ),
    "ir": (
        ["Neda", "Parisa", "Leila", "Mahsa"],
        ["Karimi", "Moradi", "Rezaei", "Jafari"],
        ["fa"],
    ),
    "so": (
        ["Hodan", "Ayaan", "Sahra", "Faadumo"],
        ["Warsame", "Abdi", "Farah"],
        ["so"],
    ),
    "ru": (
        ["Olga", "Irina", "Natalia", "Svetlana"],
        ["Petrova", "Smirnova", "Ivanova"],
        ["ru"],
    ),
    "xk": (["Arta", "Blerta", "Drita"], ["Berisha", "Krasniqi", "Gashi"], ["sq", "sr"]),
    "ro": (["Ioana", "Elena", "Andreea"], ["Popescu", "Ionescu", "Stan"], ["ro"]),
    "pl": (
        ["Agnieszka", "Katarzyna", "Magdalena"],
        ["Nowak", "Kowalska", "Wójcik"],
        ["pl"],
    ),
    "ma": (
        ["Khadija", "Samira", "Naima"],
        ["El Amrani", "Benali", "Tazi"],
        ["ar", "fr"],
    ),
}
ORIGIN_WEIGHTS = {
    "sy": 30,
    "af": 16,
    "er": 10,
    "tr": 10,
    "iq": 8,
    "ir": 6,
    "so": 5,
    "ru": 5,
    "xk": 4,
    "ro": 3,
    "pl": 3,
    "ma": 4,
}
GERMAN_BY_STAGE = {
    "stage_intake": ["a1", "a2", "a2"],
    "stage_orientation": ["a2", "a2", "b1"],
    "stage_coaching": ["a2", "b1", "b1"],
    "stage_qualification": ["a2", "b1", "b1", "b2"],
    "stage_training": ["b1", "b2", "b2"],
    "stage_employment": ["b1", "b1", "b2", "c1"],
    "stage_exited": ["a1", "a2", "b1", "b2"],
}
PROFESSIONS = (
    ["profession_elderly_care"] * 4
    + ["profession_childcare"] * 3
    + [
        "profession_social_assistant",
        "profession_care_assistant",
        "profession_nursing",
        "profession_childcare_worker",
        "profession_curative_education",
        "profession_home_economics",
        "profession_medical_assistant",
    ]
)
SCHOOL = [
    "none",
    "primary",
    "lower_secondary",
    "lower_secondary",
    "secondary",
    "secondary",
    "upper_secondary",
    "higher",
]
COLUMNS = [
    "id",
    "name",
    "program_id:id",
    "stage_id:id",
    "user_id:id",
    "enrollment_date",
    "date_last_stage_update",
    "birthdate",
    "country_id:id",
    "language_ids:id",
    "german_level",
    "school_education",
    "foreign_qualification",
    "recognition_state",
    "target_profession_ids:id",
    "childcare_needed",
    "jobcenter_customer_number",
    "referrer_id:id",
    "tag_ids:id",
    "priority",
    "kanban_state",
    "city",
    "is_paused",
    "pause_reason",
    "pause_date_start",
    "exit_date",
    "exit_reason_id:id",
    "coach_id:id",
]


def random_day(rng, start, end):
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def main():  # noqa: PLR0915 (one recipe, read top to bottom)
    rng = random.Random(20200824)
    used_names = set()
    rows = []
    exit_reasons = EXIT_REASONS[:]
    rng.shuffle(exit_reasons)
    paused_left = 9  # language practice paused by the pandemic

    def participant(number, program, stage, program_start):
        nonlocal paused_left
        while True:
            origin = rng.choices(list(ORIGIN_WEIGHTS), weights=ORIGIN_WEIGHTS.values())[
                0
            ]
            first_names, last_names, languages = ORIGINS[origin]
            name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
            if name not in used_names:
                used_names.add(name)
                break
        # Later stages were enrolled earlier.
        stage_rank = [s for s, _count in SWI_STAGES].index(stage)
        latest = SEED_DAY - timedelta(days=max(20, 420 - 60 * stage_rank))
        enrolled = random_day(rng, program_start, max(program_start, latest))
        if stage in ("stage_intake", "stage_orientation"):
            enrolled = random_day(rng, date(2020, 3, 1), date(2020, 7, 20))
        stage_since = random_day(
            rng, enrolled, min(SEED_DAY, enrolled + timedelta(days=400))
        )
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            {
                "id": f"demo_participant_{program.lower()}_{number:03d}",
                "name": name,
                "program_id:id": PROGRAM_XMLIDS[program],
                "stage_id:id": stage,
                "user_id:id": "user_staff",
                "enrollment_date": enrolled.isoformat(),
                "date_last_stage_update": datetime.combine(
                    stage_since, datetime.min.time()
                )
                .replace(hour=9)
                .isoformat(sep=" "),
                "birthdate": random_day(
                    rng, date(1970, 1, 1), date(2001, 12, 31)
                ).isoformat(),
                "country_id:id": f"base.{origin}",
                "language_ids:id": ",".join(
                    f"language_{code}"
                    for code in languages[: rng.randint(1, len(languages))]
                ),
                "german_level": rng.choice(GERMAN_BY_STAGE[stage]),
                "school_education": rng.choice(SCHOOL),
                "target_profession_ids:id": ",".join(
                    sorted(set(rng.sample(PROFESSIONS, rng.randint(1, 2))))
                ),
                "childcare_needed": str(rng.random() < 0.45),
                "referrer_id:id": rng.choice(
                    ["partner_jobcenter"] * 3
                    + ["partner_employment_office", "partner_migration_service"]
                ),
                "priority": rng.choice(["0"] * 6 + ["1", "2"]),
                "kanban_state": rng.choice(["normal"] * 6 + ["done", "blocked"]),
                "city": "Kassel",
                "is_paused": "False",
            }
        )
        if row["referrer_id:id"] == "partner_jobcenter":
            row["jobcenter_customer_number"] = f"408D{rng.randrange(10**5, 10**6)}"
        if rng.random() < 0.3:
            row["foreign_qualification"] = rng.choice(
                [
                    "Lehramtsstudium (Grundschule)",
                    "Diplom in der Krankenpflege",
                    "Bachelor in Erziehungswissenschaften",
                    "Hebammenausbildung",
                    "Ausbildung zur Schneiderin",
                ]
            )
            row["recognition_state"] = rng.choice(
                ["not_applied", "pending", "partial", "recognised"]
            )
        tags = []
        if row["childcare_needed"] == "True" and rng.random() < 0.4:
            tags.append("tag_single_parent")
        if origin in ("sy", "af", "er", "iq", "so") and rng.random() < 0.5:
            tags.append("tag_refugee")
        row["tag_ids:id"] = ",".join(tags)
        if (
            stage in ("stage_coaching", "stage_qualification")
            and paused_left
            and rng.random() < 0.25
        ):
            paused_left -= 1
            row.update(
                {
                    "is_paused": "True",
                    "pause_reason": "Präsenzkurse wegen der Pandemie ausgesetzt",
                    "pause_date_start": "2020-03-16",
                }
            )
        if stage == "stage_exited":
            row["exit_date"] = random_day(
                rng, enrolled + timedelta(days=30), SEED_DAY
            ).isoformat()
            row["date_last_stage_update"] = row["exit_date"] + " 09:00:00"
            row["exit_reason_id:id"] = exit_reasons.pop()
        return row

    number = 0
    for stage, count in SWI_STAGES:
        for _i in range(count):
            number += 1
            rows.append(participant(number, "SWI", stage, date(2018, 1, 15)))
    number = 0
    for stage, count in HWI_STAGES:
        for _i in range(count):
            number += 1
            rows.append(participant(number, "HWI", stage, date(2020, 2, 1)))
    coaches = make_coaches(random.Random(2018))
    assign_coaches(random.Random(106), rows, coaches)
    sessions = make_sessions(random.Random(30), rows)
    sessions += make_recent_contacts(random.Random(731), rows, sessions)
    write_csv("res.users.csv", coaches)
    write_csv("integration.participant.csv", rows)
    write_csv("integration.coaching.session.csv", sessions)
    courses = make_courses()
    write_csv("integration.course.csv", courses)
    enrollments = make_enrollments(random.Random(7), rows)
    write_csv("integration.enrollment.csv", enrollments)
    write_csv("integration.placement.csv", make_placements(random.Random(51), rows))
    consents = make_consents(random.Random(67), rows)
    write_csv("integration.consent.csv", consents)
    write_csv("integration.referral.csv", make_referrals(rows, consents))
    course_dates, attendances = make_attendance(random.Random(89), enrollments)
    write_csv("integration.course.date.csv", course_dates)
    write_csv("integration.attendance.csv", attendances)


ORIENTATION_STARTS = [
    "2018-03-05",
    "2018-09-03",
    "2019-02-25",
    "2019-08-26",
    "2020-01-27",
    "2020-03-02",
    "2020-08-24",
]
EMPLOYERS = {
    "profession_elderly_care": "partner_org_care_school",
    "profession_nursing": "partner_org_hospital",
    "profession_care_assistant": "partner_org_senior_centre",
    "profession_childcare": "partner_org_social_school",
    "profession_childcare_worker": "partner_org_daycare",
    "profession_social_assistant": "partner_org_social_school",
}


def make_courses():
    courses = []
    for number, start in enumerate(ORIENTATION_STARTS, start=1):
        day = date.fromisoformat(start)
        courses.append(
            {
                "id": f"course_orientation_{number}",
                "program_id:id": "program_social_economy",
                "course_type_id:id": "course_type_orientation",
                "cohort_number": number,
                "date_start": start,
                "date_end": (day + timedelta(days=16 * 7)).isoformat(),
                "schedule": "Vier Vormittage pro Woche, 8:30 bis 12:30 Uhr",
                "location": "Jobcenter Stadt Kassel, Raum 2.14",
                "organizer_ids:id": "partner_jobcenter,partner_employment_office",
                "seats_max": 15,
                "state": "open" if number == 7 else "done",
            }
        )
    courses += [
        {
            "id": "course_school_certificate_1",
            "program_id:id": "program_social_economy",
            "course_type_id:id": "course_type_school_certificate",
            "cohort_number": 1,
            "date_start": "2021-02-01",
            "date_end": "2022-01-31",
            "schedule": "Zwei Abende pro Woche, 17:00 bis 20:00 Uhr",
            "location": "Volkshochschule Kassel",
            "organizer_ids:id": "partner_org_adult_school",
            "seats_max": 18,
            "state": "planned",
        },
        {
            "id": "course_language_practice_1",
            "program_id:id": "program_social_economy",
            "course_type_id:id": "course_type_language_practice",
            "cohort_number": 1,
            "date_start": "2020-06-15",
            "date_end": "2020-09-30",
            "schedule": "Einmal pro Woche, 10:00 bis 11:30 Uhr",
            "location": "Nachbarschaftszentrum Nordstadt",
            "organizer_ids:id": "partner_provider_1",
            "seats_max": 5,
            "state": "running",
        },
        {
            "id": "course_language_practice_2",
            "program_id:id": "program_social_economy",
            "course_type_id:id": "course_type_language_practice",
            "cohort_number": 2,
            "date_start": "2020-06-17",
            "date_end": "2020-09-30",
            "schedule": "Einmal pro Woche, 10:00 bis 11:30 Uhr",
            "location": "Nachbarschaftszentrum Wesertor",
            "organizer_ids:id": "partner_provider_2",
            "seats_max": 5,
            "state": "running",
        },
        {
            "id": "course_german_1",
            "program_id:id": "program_social_economy",
            "course_type_id:id": "course_type_german",
            "cohort_number": 1,
            "date_start": "2019-09-02",
            "date_end": "2020-06-30",
            "schedule": "Fünf Vormittage pro Woche, 8:30 bis 12:45 Uhr",
            "location": "Volkshochschule Kassel",
            "organizer_ids:id": "partner_org_adult_school",
            "seats_max": 20,
            "state": "done",
        },
    ]
    return courses


def make_enrollments(rng, rows):
    enrollments = []

    def add(course, row, state, enrolled_on, **extra):
        enrollments.append(
            {
                "id": f"demo_enrollment_{len(enrollments) + 1:04d}",
                "course_id:id": course,
                "participant_id:id": row["id"],
                "state": state,
                "date_enrolled": enrolled_on,
                "attendance_rate": extra.get("attendance_rate", ""),
                "certificate_obtained": extra.get("certificate_obtained", "False"),
            }
        )

    swi = [row for row in rows if row["program_id:id"] == "program_social_economy"]
    # The women in orientation now sit in the 7th cohort, which still has seats.
    for row in swi:
        if row["stage_id:id"] == "stage_orientation":
            add("course_orientation_7", row, "enrolled", "2020-07-27")
    # Earlier cohorts: the women who enrolled before them, up to 15 a cohort.
    later = [
        row
        for row in swi
        if row["stage_id:id"] not in ("stage_intake", "stage_orientation")
    ]
    for number, start in enumerate(ORIENTATION_STARTS[:-1], start=1):
        cohort = [
            row
            for row in later
            if row["enrollment_date"] <= start
            and not any(e["participant_id:id"] == row["id"] for e in enrollments)
        ][:15]
        for row in cohort:
            attendance = rng.choice([70, 80, 85, 90, 95, 100])
            add(
                f"course_orientation_{number}",
                row,
                "completed",
                start,
                attendance_rate=attendance,
                certificate_obtained=str(attendance >= 80),
            )
    # Language practice in small groups for the women paused by the pandemic.
    paused = [row for row in swi if row["is_paused"] == "True"]
    for index, row in enumerate(paused):
        group = (
            "course_language_practice_1"
            if index % 2 == 0
            else "course_language_practice_2"
        )
        add(group, row, "enrolled", "2020-06-10")
    # German course 2019/20 and the part-time school certificate course of 2021.
    for row in [row for row in swi if row["stage_id:id"] == "stage_qualification"][:12]:
        add(
            "course_german_1",
            row,
            "completed",
            "2019-09-02",
            attendance_rate=rng.choice([75, 85, 95]),
            certificate_obtained="True",
        )
    for row in [
        row
        for row in swi
        if row["stage_id:id"] == "stage_coaching"
        and row["school_education"] in ("none", "primary")
    ][:6]:
        add("course_school_certificate_1", row, "enrolled", "2020-07-15")
    return enrollments


def make_placements(rng, rows):
    placements = []

    def add(row, kind, state, **extra):
        professions = row["target_profession_ids:id"].split(",")
        profession = professions[0]
        start = date.fromisoformat(row["date_last_stage_update"][:10])
        placements.append(
            {
                "id": f"demo_placement_{len(placements) + 1:03d}",
                "participant_id:id": row["id"],
                "placement_type": kind,
                "partner_id:id": EMPLOYERS.get(profession, "partner_org_senior_centre"),
                "profession_id:id": profession,
                "date_start": extra.get("date_start", start.isoformat()),
                "weekly_hours": extra.get(
                    "weekly_hours",
                    39 if kind == "training" else rng.choice([20, 25, 30, 39]),
                ),
                "state": state,
            }
        )

    swi = [row for row in rows if row["program_id:id"] == "program_social_economy"]
    for row in swi:
        if (
            row["stage_id:id"] == "stage_training"
            or row["exit_reason_id:id"] == "exit_reason_training"
        ):
            add(row, "training", "active", date_start=training_start(row))
        elif (
            row["stage_id:id"] == "stage_employment"
            or row["exit_reason_id:id"] == "exit_reason_employment"
        ):
            add(row, "employment", "active")
    # Internships and mini-jobs on the way there.
    for row in [row for row in swi if row["stage_id:id"] == "stage_qualification"][:6]:
        add(row, "internship", "completed", weekly_hours=30)
    for row in [row for row in swi if row["stage_id:id"] == "stage_coaching"][:3]:
        add(row, "minijob", "active", weekly_hours=10)
    return placements


def make_consents(rng, rows):
    """Most women the Jobcenter referred agreed to share their data with it."""
    consents = []
    for row in rows:
        if row["referrer_id:id"] != "partner_jobcenter" or rng.random() > 0.8:
            continue
        consents.append(
            {
                "id": f"demo_consent_{len(consents) + 1:03d}",
                "participant_id:id": row["id"],
                "purpose": "data_sharing",
                "recipient_ids:id": "partner_jobcenter",
                "date_given": row["enrollment_date"],
            }
        )
    return consents


REFERRAL_REASONS = [
    "Berufsorientierung in der Sozialwirtschaft; Kinderbetreuung ist geregelt.",
    "Möchte in der Altenpflege arbeiten; braucht Deutsch für den Beruf.",
    "Abschluss im Ausland; Anerkennung und ein Weg in die Ausbildung nötig.",
    "Nach der Elternzeit lange ohne Arbeit; motiviert für die Erziehung.",
]


def make_referrals(rows, consents):
    """The Jobcenter's referrals, made on its portal, with the consent they
    brought where she gave one."""
    consent_of = {consent["participant_id:id"]: consent["id"] for consent in consents}
    referrals = []
    for row in rows:
        if row["referrer_id:id"] != "partner_jobcenter":
            continue
        number = len(referrals) + 1
        referrals.append(
            {
                "id": f"demo_referral_{number:03d}",
                "participant_id:id": row["id"],
                "jobcenter_id:id": "partner_jobcenter",
                "user_id:id": "user_jobcenter",
                "date": row["enrollment_date"],
                "reason": REFERRAL_REASONS[number % len(REFERRAL_REASONS)],
                "consent_id:id": consent_of.get(row["id"], ""),
            }
        )
    return referrals


def make_attendance(rng, enrollments):
    """Registers of the Volkshochschule's German course: one day a week."""
    course = "course_german_1"
    learners = [e for e in enrollments if e["course_id:id"] == course]
    course_dates, attendances = [], []
    day = date(2020, 5, 4)
    for week in range(8):
        date_id = f"demo_course_date_german_{week + 1:02d}"
        course_dates.append(
            {
                "id": date_id,
                "course_id:id": course,
                "date": (day + timedelta(weeks=week)).isoformat(),
                "topic": f"Lektion {week + 13}",
            }
        )
        for enrollment in learners:
            draw = rng.random()
            attendances.append(
                {
                    "id": f"demo_attendance_{len(attendances) + 1:04d}",
                    "course_date_id:id": date_id,
                    "enrollment_id:id": enrollment["id"],
                    "state": "present"
                    if draw < 0.82
                    else ("excused" if draw < 0.93 else "absent"),
                }
            )
    return course_dates, attendances


def training_start(row):
    """Vocational training starts on 1 August or 1 September."""
    since = date.fromisoformat(row["date_last_stage_update"][:10])
    year = since.year if since.month >= 8 else since.year - 1
    start = date(max(year, 2018), 8 if since.day % 2 else 9, 1)
    enrolled = date.fromisoformat(row["enrollment_date"])
    return max(start, enrolled).isoformat()


def write_csv(name, rows):
    with (DEMO / name).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows written to demo/{name}")


def make_coaches(rng):
    coaches = []
    for number, name in enumerate(COACH_NAMES, start=1):
        login = "coach" if number == 1 else f"coach{number:02d}"
        coaches.append(
            {
                "id": f"user_coach_{number:02d}",
                "name": name,
                "login": login,
                "password": login,
                "email": f"{login}@coaching.example.com",
                "lang": "de_DE",
                "parent_id:id": PROVIDERS[(number - 1) % len(PROVIDERS)],
                "group_ids:id": "group_coach",
                "integration_capacity": rng.randint(3, 8),
                "integration_language_ids:id": ",".join(
                    f"language_{code}"
                    for code in ["de", *rng.sample(COACH_LANGUAGES, rng.randint(0, 2))]
                ),
            }
        )
    return coaches


def assign_coaches(rng, rows, coaches):
    """Active participants within capacity; those who left had a coach too."""
    free = {coach["id"]: coach["integration_capacity"] for coach in coaches}
    for row in rows:
        if row["stage_id:id"] in ("stage_intake", "stage_orientation"):
            continue
        if row["stage_id:id"] == "stage_exited":
            row["coach_id:id"] = rng.choice(coaches)["id"]
            continue
        available = [coach_id for coach_id, places in free.items() if places > 0]
        coach_id = rng.choice(available)
        free[coach_id] -= 1
        row["coach_id:id"] = coach_id


def make_sessions(rng, rows):
    sessions = []
    for row in rows:
        if not row["coach_id:id"]:
            continue
        start = date.fromisoformat(row["enrollment_date"])
        end = date.fromisoformat(row["exit_date"]) if row["exit_date"] else SEED_DAY
        months = max(1, (end - start).days // 30)
        count = min(14, max(1, round(months / rng.uniform(1.5, 3))))
        for day in sorted(random_day(rng, start, end) for _i in range(count)):
            pandemic = PANDEMIC_START <= day <= PANDEMIC_END
            weights = dict(OBSTACLE_WEIGHTS, pandemic=30 if pandemic else 0)
            obstacles = set(
                rng.choices(
                    list(weights), weights=weights.values(), k=rng.randint(0, 2)
                )
            )
            sessions.append(
                {
                    "id": f"demo_session_{len(sessions) + 1:04d}",
                    "participant_id:id": row["id"],
                    "coach_id:id": row["coach_id:id"],
                    "date": day.isoformat(),
                    "duration": rng.choice([0.5, 1.0, 1.0, 1.5, 2.0]),
                    "mode": rng.choice(["phone", "video"])
                    if pandemic
                    else rng.choice(["in_person"] * 5 + ["phone", "accompaniment"]),
                    "topics": rng.choice(SESSION_TOPICS),
                    "obstacle_ids:id": ",".join(
                        sorted(f"obstacle_{key}" for key in obstacles)
                    ),
                }
            )
    return sessions


def make_recent_contacts(rng, rows, sessions):
    """Coaches see their women every few weeks: most of those still accompanied
    (and not paused) had a session in the six weeks before the seed day; those
    who had none for more than 30 days are followed up (a handful, not all)."""
    last = {}
    for session in sessions:
        last[session["participant_id:id"]] = max(
            last.get(session["participant_id:id"], ""), session["date"]
        )
    recent = []
    for row in rows:
        if (
            not row["coach_id:id"]
            or row["stage_id:id"] == "stage_exited"
            or row["is_paused"] == "True"
        ):
            continue
        since = date.fromisoformat(last.get(row["id"], row["enrollment_date"]))
        if (SEED_DAY - since).days <= 30:
            continue
        day = SEED_DAY - timedelta(days=rng.randint(0, 42))
        recent.append(
            {
                "id": f"demo_session_{len(sessions) + len(recent) + 1:04d}",
                "participant_id:id": row["id"],
                "coach_id:id": row["coach_id:id"],
                "date": max(day, since).isoformat(),
                "duration": rng.choice([0.5, 1.0, 1.0, 1.5]),
                "mode": rng.choice(["in_person"] * 4 + ["phone", "video"]),
                "topics": rng.choice(SESSION_TOPICS),
                "obstacle_ids:id": "",
            }
        )
    return recent


if __name__ == "__main__":
    main()
