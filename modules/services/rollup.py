"""The report's rollup (issue 10): attendance per (enrolment, year), held sessions per
(module, year) and enrolments per module, so that the yearly report reads ~10 % of the
attendance rows and none of the enrolments.

One rule, one place: every write that can change what the rollup holds (attendance, a
session's status, date or times, a session added or deleted, in the services and in the
admin) calls `refresh_modules` for the modules it touched, inside its own transaction;
every change of an enrolment's status (enrol, withdraw, promote from the waiting list,
close a module: only the services in enrolment.py and lifecycle.py; the admin shows status
read-only, and enrolments are never deleted: their foreign keys protect them) calls
`refresh_enrolments`. A module has few sessions and enrolments, so recomputing its rows
is a handful of queries and cannot drift. A module's agreement is not stored here (the
report joins the module for them). One exception: the attendance rows carry their
module's lead partner (the report by partner counts distinct participants from an index on
it), so a module moved to another agreement and an agreement's new lead partner are
followed by `follow_lead_partner`, connected to both models' post_save (modules/apps.py):
every save, whatever saves it (services, forms, the admin), in its transaction.
"""

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import connection, models, transaction
from django.db.models.functions import Cast, ExtractYear

from ..models import REPORT_ENROLMENT_STATUSES

BATCH = 5000


def _year(path: str):
    return Cast(ExtractYear(path), models.IntegerField())


def _minutes(total) -> int:
    # Sum of DurationField: a timedelta on every backend once Django converted it.
    return 0 if total is None else round(total.total_seconds() / 60)


def _has_field(model, name: str) -> bool:
    """A historical model in an earlier migration may not have the field yet."""
    return any(f.name == name for f in model._meta.fields)


def _attendance_rows(attendance_model, session_model, rollup_model, **module_filter):
    present = attendance_model.objects.filter(
        status="present",
        session__status="held",
        **{f"session__{k}": v for k, v in module_filter.items()},
    )
    # Migration 0008 builds rows on a model state from before `lead_partner` (0012 fills it).
    with_lead = _has_field(rollup_model, "lead_partner")
    lead = ("session__module__partnership__lead_partner_id",) if with_lead else ()
    grouped = (
        present.order_by()
        .values("enrolment_id", "enrolment__participant_id", "session__module_id", *lead)
        .annotate(
            year=_year("session__date"),
            duration=models.Sum(
                models.F("session__end_time") - models.F("session__start_time"),
                output_field=models.DurationField(),
            ),
            n=models.Count("id"),
        )
        # Written in the order the live writes add them (year by year, module by module):
        # the report reads a range of years, and finds them together on disk.
        .order_by("year", "session__module_id", "enrolment_id")
    )
    for row in grouped.iterator(chunk_size=BATCH):
        extra = {"lead_partner_id": row[lead[0]]} if with_lead else {}
        yield rollup_model(
            enrolment_id=row["enrolment_id"],
            year=row["year"],
            participant_id=row["enrolment__participant_id"],
            module_id=row["session__module_id"],
            minutes=_minutes(row["duration"]),
            sessions_attended=row["n"],
            **extra,
        )


def _session_rows(session_model, rollup_model, **module_filter):
    held = session_model.objects.filter(status="held", **module_filter).order_by()
    grouped = (
        held.values("module_id")
        .annotate(year=_year("date"), n=models.Count("id"))
        .order_by("year", "module_id")
    )
    # Migration 0008 builds rows on a model state from before `last_year` (0011 fills it).
    flags = _has_field(rollup_model, "last_year")
    last = {}
    if flags:
        per_module = held.values("module_id").annotate(last=models.Max("date"))
        last = {row["module_id"]: row["last"].year for row in per_module.iterator(BATCH)}
    for row in grouped.iterator(chunk_size=BATCH):
        extra = {"last_year": last[row["module_id"]] == row["year"]} if flags else {}
        yield rollup_model(module_id=row["module_id"], year=row["year"], sessions=row["n"], **extra)


def _enrolment_rows(enrolment_model, rollup_model, **module_filter):
    grouped = (
        enrolment_model.objects.filter(status__in=REPORT_ENROLMENT_STATUSES, **module_filter)
        .order_by()
        .values("module_id")
        .annotate(
            n=models.Count("id"),
            completed=models.Count("id", filter=models.Q(status="completed")),
        )
    )
    for row in grouped.iterator(chunk_size=BATCH):
        yield rollup_model(
            module_id=row["module_id"], enrolments=row["n"], completions=row["completed"]
        )


def _models(apps=None):
    get = (apps or global_apps).get_model
    return (
        get("modules", "Attendance"),
        get("modules", "Session"),
        get("modules", "ReportAttendanceYear"),
        get("modules", "ReportSessionYear"),
    )


def _write(rollup_model, rows: Iterable) -> int:
    batch, written = [], 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            rollup_model.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    if batch:
        rollup_model.objects.bulk_create(batch)
        written += len(batch)
    return written


def _ids(module_ids: Iterable[int]) -> list[int]:
    return sorted({int(pk) for pk in module_ids if pk is not None})


def refresh_enrolments(module_ids: Iterable[int]) -> None:
    """Recompute the enrolment counts of these modules from the live data (3 queries)."""
    ids = _ids(module_ids)
    if not ids:
        return
    enrolment = global_apps.get_model("modules", "Enrolment")
    counts = global_apps.get_model("modules", "ReportModuleEnrolments")
    with transaction.atomic():
        counts.objects.filter(module_id__in=ids).delete()
        counts.objects.bulk_create(_enrolment_rows(enrolment, counts, module_id__in=ids))


def refresh_modules(module_ids: Iterable[int]) -> None:
    """Recompute every rollup row of these modules from the live data (7 queries)."""
    ids = _ids(module_ids)
    if not ids:
        return
    refresh_enrolments(ids)
    attendance, session, by_enrolment, by_module = _models()
    with transaction.atomic():
        by_enrolment.objects.filter(module_id__in=ids).delete()
        by_module.objects.filter(module_id__in=ids).delete()
        by_enrolment.objects.bulk_create(
            _attendance_rows(attendance, session, by_enrolment, module_id__in=ids)
        )
        by_module.objects.bulk_create(_session_rows(session, by_module, module_id__in=ids))


def rebuild(apps=None) -> tuple[int, int]:
    """Empty and recompute the whole rollup (idempotent). Returns the rows written."""
    attendance, session, by_enrolment, by_module = _models(apps)
    with transaction.atomic():
        by_enrolment.objects.all().delete()
        by_module.objects.all().delete()
        n_attendance = _write(by_enrolment, _attendance_rows(attendance, session, by_enrolment))
        n_sessions = _write(by_module, _session_rows(session, by_module))
    _analyze(by_enrolment, by_module)
    return n_attendance, n_sessions


def rebuild_enrolments(apps=None) -> int:
    """Empty and recompute the enrolment counts (idempotent). Returns the rows written."""
    get = (apps or global_apps).get_model
    enrolment, counts = get("modules", "Enrolment"), get("modules", "ReportModuleEnrolments")
    with transaction.atomic():
        counts.objects.all().delete()
        written = _write(counts, _enrolment_rows(enrolment, counts))
    _analyze(counts)
    return written


def _analyze(*rollup_models) -> None:
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner guesses a few hundred rows and spills to disk.
        with connection.cursor() as cursor:
            for model in rollup_models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def follow_lead_partner(sender, instance, update_fields=None, **kwargs) -> None:
    """post_save of a Module or a Partnership: its attendance rollup rows carry the lead
    partner of the module's agreement as it is now (one UPDATE; none when nothing moved).
    A save of other fields only (`update_fields`: a lifecycle step, a status) cannot have
    changed it and costs nothing."""
    partnership = global_apps.get_model("partnerships", "Partnership")
    field = "lead_partner" if isinstance(instance, partnership) else "partnership"
    if update_fields is not None and not {field, f"{field}_id"} & set(update_fields):
        return
    rows = global_apps.get_model("modules", "ReportAttendanceYear").objects
    if isinstance(instance, partnership):
        rows = rows.filter(module__partnership_id=instance.pk)
        lead = instance.lead_partner_id
    else:
        rows = rows.filter(module_id=instance.pk)
        lead = partnership.objects.filter(pk=instance.partnership_id).values_list(
            "lead_partner_id", flat=True
        )[0]
    rows.exclude(lead_partner_id=lead).update(lead_partner_id=lead)
