"""Write a Flanders-scale data set for the yearly report benchmark.

At --scale 1 (ten years up to the reference date, --today): ~15k modules, ~120k sessions, ~150k
participants and ~1M attendance rows. The database is the one DATABASE_URL names
(SQLite when unset); use a database of its own, e.g.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pw_bench
    .venv/bin/python bench/generate.py --scale 0.1 --reset

Rows are written with bulk_create (no history rows, no signals); the numbers are random
but seeded, so two runs with the same scale give the same data.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integratie.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402

from modules.models import (  # noqa: E402
    Attendance,
    Enrolment,
    Module,
    Participant,
    ReportAttendanceYear,
    ReportSessionYear,
    Session,
    Theme,
)
from modules.services import rollup  # noqa: E402
from partnerships import checksums  # noqa: E402
from partnerships.models import (  # noqa: E402
    Office,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
)

BATCH = 5000
YEARS = 10
# The day the data set is generated "on": fixed, so that the same scale and seed give the
# same rows on any day (the report's reference test compares counts over them).
REFERENCE_DATE = datetime.date(2026, 11, 29)
# At scale 1. Modules have ~8 sessions and ~10 places taken: 15k x 8 x ~8.5 present ≈ 1M.
FULL = {"offices": 20, "partners": 1500, "partnerships": 3000, "modules": 15000}
THEMES = [
    ("rights", "Rights and duties"),
    ("housing", "Housing"),
    ("work", "Work"),
    ("health", "Health"),
    ("education", "Education"),
    ("mobility", "Mobility"),
    ("waste", "Waste and environment"),
    ("living_together", "Living together"),
    ("money", "Money"),
    ("digital", "Digital skills"),
]
LANGUAGE_WEIGHTS = {"nl": 40, "ar": 15, "fr": 8, "en": 8, "tr": 6, "ru": 5, "uk": 5, "prs": 4}
KIND_WEIGHTS = {
    "ocmw": 30,
    "vdab": 10,
    "city": 15,
    "social_housing": 10,
    "work_experience": 10,
    "basic_education": 10,
    "caw": 10,
    "other": 5,
}


def weighted(rng: random.Random, weights: dict) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def reset() -> None:
    """Empty the tables this script fills (users and memberships stay)."""
    from modules.models import Evaluation, OfferRequest
    from partnerships.models import Membership

    Membership.objects.filter(user__username__startswith="bench-").delete()
    tables = [
        Evaluation,
        OfferRequest.themes.through,
        OfferRequest,
        ReportAttendanceYear,
        ReportSessionYear,
        Attendance,
        Enrolment,
        Participant,
        Session,
        Module.themes.through,
        Module.objectives.through,
        Module,
        PlanTarget,
        PartnershipPartner,
        Partnership,
        PartnerOrganisation,
        Office,
        Theme,
    ]
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {names} CASCADE")
    else:
        for model in tables:
            model.objects.all().delete()


def bulk(model, objects: list) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH)


def generate(scale: float, seed: int = 2026, today: datetime.date = REFERENCE_DATE) -> dict:
    """Write the data set as seen on `today`: sessions before it are held (or cancelled),
    later ones planned."""
    rng = random.Random(seed)
    n = {key: max(2, round(value * scale)) for key, value in FULL.items()}
    first_year = today.year - YEARS + 1

    themes = bulk(Theme, [Theme(code=c, name=name, order=i) for i, (c, name) in enumerate(THEMES)])
    offices = bulk(
        Office,
        [
            Office(name=f"Bench office {i}", agency="agentschap", region="antwerpen")
            for i in range(n["offices"])
        ],
    )
    partners = bulk(
        PartnerOrganisation,
        [
            PartnerOrganisation(
                name=f"Bench partner {i}",
                kind=weighted(rng, KIND_WEIGHTS),
                enterprise_number=checksums.enterprise_number(3_000_000 + i),
            )
            for i in range(n["partners"])
        ],
    )
    partnerships = []
    for i in range(n["partnerships"]):
        start = datetime.date(first_year + rng.randrange(YEARS), 1, 1)
        partnerships.append(
            Partnership(
                office=rng.choice(offices),
                lead_partner=rng.choice(partners),
                title=f"Bench agreement {i}",
                status="active",
                start_date=start,
            )
        )
    partnerships = bulk(Partnership, partnerships)
    links, plans = [], []
    for partnership in partnerships:
        others = rng.sample(partners, rng.choice([0, 0, 1, 2]))
        for organisation in {partnership.lead_partner, *others}:
            links.append(PartnershipPartner(partnership=partnership, organisation=organisation))
        for year in range(partnership.start_date.year, min(today.year, first_year + YEARS) + 1):
            if rng.random() < 0.8:
                plans.append(
                    PlanTarget(
                        partnership=partnership,
                        year=year,
                        planned_modules=rng.randint(1, 5),
                        planned_sessions=rng.randint(8, 40),
                        planned_participants=rng.randint(10, 60),
                    )
                )
    bulk(PartnershipPartner, links)
    bulk(PlanTarget, plans)

    modules, module_starts = [], []
    for i in range(n["modules"]):
        partnership = rng.choice(partnerships)
        span = (today - partnership.start_date).days + 60
        day = partnership.start_date + datetime.timedelta(days=rng.randrange(span))
        modules.append(
            Module(
                partnership=partnership,
                title=f"Bench module {i}",
                offer_type=rng.choice(Module.OfferType.values),
                language=weighted(rng, LANGUAGE_WEIGHTS),
                capacity=15,
                status="planned",  # set from the sessions below, as the lifecycle would
            )
        )
        module_starts.append(day)
    modules = bulk(Module, modules)
    Through = Module.themes.through
    bulk(
        Through,
        [
            Through(module_id=module.pk, theme_id=theme.pk)
            for module in modules
            for theme in rng.sample(themes, rng.choice([1, 1, 2, 3]))
        ],
    )

    sessions = []
    for module, start in zip(modules, module_starts, strict=True):
        hour = rng.choice([9, 13])
        length = rng.choice([2, 2, 3])
        for week in range(rng.randint(6, 10)):
            day = start + datetime.timedelta(weeks=week)
            held_or_cancelled = "cancelled" if rng.random() < 0.05 else "held"
            status = "planned" if day > today else held_or_cancelled
            sessions.append(
                Session(
                    module=module,
                    date=day,
                    start_time=datetime.time(hour, 0),
                    end_time=datetime.time(hour + length, rng.choice([0, 30])),
                    status=status,
                )
            )
    sessions = bulk(Session, sessions)
    held_by_module: dict[int, list[int]] = {}
    planned_modules = set()
    for session in sessions:
        if session.status == "held":
            held_by_module.setdefault(session.module_id, []).append(session.pk)
        elif session.status == "planned":
            planned_modules.add(session.module_id)
    # The lifecycle's status for what the sessions say on `today`: nothing held yet → open,
    # some held → running, all given → closed (completed), every session cancelled → cancelled.
    for module in modules:
        held, planned = module.pk in held_by_module, module.pk in planned_modules
        module.status = (
            ("running" if planned else "completed") if held else "open" if planned else "cancelled"
        )
        module.enrolment_open = module.status == "open"
    Module.objects.bulk_update(modules, ["status", "enrolment_open"], batch_size=BATCH)

    # Participants: most in one module, some in two (~150k at scale 1).
    n_participants = max(2, round(150000 * scale))
    participants = bulk(
        Participant,
        [
            Participant(
                first_name="Bench",
                last_name=f"Participant {i}",
                organisation=rng.choice(partners),
                consent_date=datetime.date(first_year, 1, 1),
            )
            for i in range(n_participants)
        ],
    )
    # Outcomes only in closed modules; before that, enrolled or withdrawn.
    closed = ["completed"] * 75 + ["not_completed"] * 8 + ["withdrawn"] * 10 + ["no_show"] * 7
    current = ["enrolled"] * 90 + ["withdrawn"] * 10
    enrolments = []
    pool = list(range(n_participants))
    rng.shuffle(pool)
    cursor = 0
    for module in modules:
        taken = set()
        for _ in range(rng.randint(7, 13)):
            if cursor >= len(pool):  # everyone has a module: the rest come back for a second
                cursor = 0
                rng.shuffle(pool)
            index = pool[cursor]
            cursor += 1
            if index in taken:
                continue
            taken.add(index)
            statuses = closed if module.status == "completed" else current
            enrolments.append(
                Enrolment(
                    participant=participants[index], module=module, status=rng.choice(statuses)
                )
            )
    enrolments = bulk(Enrolment, enrolments)

    attendance_count = 0
    buffer = []
    weights = {"present": 85, "absent": 10, "excused": 5}
    for enrolment in enrolments:
        if enrolment.status == "withdrawn":
            continue
        for n, session_id in enumerate(held_by_module.get(enrolment.module_id, ())):
            # A no-show is never present; not completed, at half the sessions at most.
            if enrolment.status == "no_show" or (enrolment.status == "not_completed" and n % 2):
                status = "absent"
            else:
                status = weighted(rng, weights)
            buffer.append(Attendance(enrolment=enrolment, session_id=session_id, status=status))
        if len(buffer) >= 50000:
            attendance_count += len(bulk(Attendance, buffer))
            buffer = []
    attendance_count += len(bulk(Attendance, buffer))
    # bulk_create bypasses the services: compute the report's rollup from what was written.
    rollup_rows, _ = rollup.rebuild()
    rollup.rebuild_enrolments()
    return {
        "offices": len(offices),
        "partners": len(partners),
        "partnerships": len(partnerships),
        "plan targets": len(plans),
        "modules": len(modules),
        "sessions": len(sessions),
        "participants": len(participants),
        "enrolments": len(enrolments),
        "attendance": attendance_count,
        "rollup rows": rollup_rows,
    }


BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - a benchmark database's own users


def generate_people(scale: float, seed: int = 2026, today: datetime.date = REFERENCE_DATE) -> dict:
    """Users of every role with a realistic scope, offer requests and evaluations (issue 10).

    Run after `generate` (main() does). Users (password BENCH_PASSWORD, no second step:
    run the servers with MFA_REQUIRED=0): bench-admin (superuser, sees all), bench-staff
    (staff of the office with the most modules), bench-caseworker (caseworker of a partner
    given ~1,000 clients at scale 1), bench-manager (manager of that same office).
    """
    from django.contrib.auth import get_user_model

    from modules.models import Evaluation, OfferRequest
    from partnerships.models import Membership

    rng = random.Random(seed + 1)
    user_model = get_user_model()
    busiest = (
        Module.objects.values("partnership__office_id")
        .annotate(n=models.Count("id"))
        .order_by("-n", "partnership__office_id")
        .first()["partnership__office_id"]
    )
    # The partner of the most agreements gets ~1,000 clients (~100 on average otherwise).
    partner_id = (
        PartnershipPartner.objects.values("organisation_id")
        .annotate(n=models.Count("id"))
        .order_by("-n", "organisation_id")
        .first()["organisation_id"]
    )
    clients = max(2, round(1000 * scale))
    moved = list(Participant.objects.order_by("pk").values_list("pk", flat=True)[:clients])
    Participant.objects.filter(pk__in=moved).update(organisation_id=partner_id)

    users = {}
    for username, role, scope in (
        ("bench-admin", None, {}),
        ("bench-staff", "staff", {"office_id": busiest}),
        ("bench-caseworker", "caseworker", {"organisation_id": partner_id}),
        ("bench-manager", "manager", {"office_id": busiest}),
    ):
        user_model.objects.filter(username=username).delete()
        user = user_model(username=username, first_name="Bench", last_name=role or "admin")
        user.set_password(BENCH_PASSWORD)
        user.is_superuser = user.is_staff = role is None
        user.save()
        if role:
            Membership.objects.create(user=user, role=role, **scope)
        users[username] = user

    offices = list(Office.objects.values_list("pk", flat=True))
    partners = list(PartnerOrganisation.objects.values_list("pk", flat=True))
    partnerships = list(Partnership.objects.values_list("pk", flat=True))
    modules = list(Module.objects.values_list("pk", flat=True))
    first_day = today - datetime.timedelta(days=365 * YEARS)
    statuses = ["new"] * 10 + ["under_review"] * 10 + ["planned"] * 60 + ["declined"] * 20
    requests = bulk(
        OfferRequest,
        [
            OfferRequest(
                office_id=rng.choice(offices),
                partner_id=rng.choice(partners),
                title=f"Bench request {i}",
                expected_participants=rng.randint(5, 20),
                language=weighted(rng, LANGUAGE_WEIGHTS),
                received_on=first_day + datetime.timedelta(days=rng.randrange(365 * YEARS)),
                status=(status := rng.choice(statuses)),
                decline_reason="Geen lesgever beschikbaar" if status == "declined" else "",
            )
            for i in range(max(2, round(4000 * scale)))
        ],
    )
    evaluations = bulk(
        Evaluation,
        [
            Evaluation(
                partnership_id=rng.choice(partnerships) if i % 2 else None,
                module_id=None if i % 2 else rng.choice(modules),
                date=first_day + datetime.timedelta(days=rng.randrange(365 * YEARS)),
                source=rng.choice(["inspectorate", "agency", "partner"]),
                rating=rng.randint(1, 5),
                findings="Bench findings",
            )
            for i in range(max(2, round(6000 * scale)))
        ],
    )
    return {
        "users": len(users),
        "clients of bench-caseworker": Participant.objects.filter(
            organisation_id=partner_id
        ).count(),
        "offer requests": len(requests),
        "evaluations": len(evaluations),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = Flanders, ten years")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="empty the tables first")
    parser.add_argument(
        "--today",
        type=datetime.date.fromisoformat,
        default=REFERENCE_DATE,
        help=f"the reference date, YYYY-MM-DD (default {REFERENCE_DATE.isoformat()})",
    )
    args = parser.parse_args()
    if not 0 < args.scale <= 5:
        parser.error("--scale lies between 0 and 5")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        if args.reset:
            reset()
        elif Module.objects.exists():
            sys.exit("The database already holds modules: use --reset, or another database.")
        counts = generate(args.scale, args.seed, args.today)
        counts.update(generate_people(args.scale, args.seed, args.today))
    if connection.vendor == "postgresql":
        # VACUUM too, not only ANALYZE: without the visibility map no index-only scan, and
        # the saturation mix measured 67.7 instead of 80.9 req/s on the freshly written data.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    vendor = connection.vendor
    print(f"Wrote on {vendor} in {time.perf_counter() - started:.0f} s (scale {args.scale}):")
    for name, count in counts.items():
        print(f"  {name:<14} {count:>10,}")


if __name__ == "__main__":
    main()
