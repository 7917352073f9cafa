"""Write demo/integration.participant.csv: invented participants that reproduce
the figures of the seed (155 enrolled in "Sozialwirtschaft integriert", 106 of
them in coaching) plus a few in the sister programme.

Deterministic (fixed seed): run it again after changing it, and commit the CSV.
    python tools/make_demo_participants.py
"""

import csv
import random
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "demo" / "integration.participant.csv"
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
                    "Teacher training (primary school)",
                    "Nursing diploma",
                    "Bachelor of Education",
                    "Midwifery training",
                    "Tailoring apprenticeship",
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
                    "pause_reason": "Language practice paused by the pandemic",
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
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} participants written to {OUT}")


if __name__ == "__main__":
    main()
