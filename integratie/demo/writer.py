"""Writes a planned demo data set: looks every record up by a natural key and creates only
what is missing, so a second run changes nothing."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from modules.models import (
    Attendance,
    Enrolment,
    Evaluation,
    MailKind,
    MailOptOut,
    Module,
    Objective,
    OfferRequest,
    Participant,
    PersonalDataAccess,
    Session,
    Theme,
)
from modules.services import completion_status
from modules.services.rollup import refresh_modules
from partnerships import checksums
from partnerships.models import (
    ContactPerson,
    Membership,
    Office,
    PartnerOrganisation,
    Partnership,
    PartnershipPartner,
    PlanTarget,
    User,
)

from .data import (
    CONTACT_FUNCTIONS,
    CONTACT_NAMES,
    DEMO_PASSWORD,
    OBJECTIVES,
    OFFICES,
    PARTNERS,
    SEED,
    THEMES,
    contact_email,
)
from .planner import Planner

# The outcomes closing a module decides (the planner's intention, the attendance decides).
OUTCOMES = ("completed", "not_completed", "no_show")


class Writer:
    def __init__(self, plan: Planner):
        self.plan = plan
        self.rng = random.Random(SEED + 1)

    def write(self) -> None:
        self.offices = self.write_offices()
        self.partners, self.contacts = self.write_partners()
        self.themes, self.objectives = self.write_reference_lists()
        self.users = self.write_users()
        self.partnerships = self.write_partnerships()
        self.modules = self.write_modules()
        self.sessions = self.write_sessions()
        self.participants = self.write_participants()
        self.enrolments = self.write_enrolments()
        self.write_attendance()
        self.write_requests_and_evaluations()
        self.write_access_log()
        self.write_mail_settings()

    def write_offices(self) -> dict[str, Office]:
        offices = {}
        for name, agency, region, street, postal_code, municipality in OFFICES:
            slug = name.lower().replace(" ", "").replace("-", "")
            offices[name], _ = Office.objects.get_or_create(
                name=name,
                defaults={
                    "agency": agency,
                    "region": region,
                    "street": street,
                    "postal_code": postal_code,
                    "municipality": municipality,
                    "email": f"info@{slug}.example.be",
                    "phone": "+32 3 000 00 00" if region == "antwerpen" else "+32 9 000 00 00",
                },
            )
        return offices

    def write_partners(self):
        partners, contacts = {}, {}
        names = iter(CONTACT_NAMES * 3)
        for i, (name, kind, street, postal_code, municipality) in enumerate(PARTNERS, start=1):
            slug = name.lower().replace(" ", "-").replace("ë", "e")
            partner, _ = PartnerOrganisation.objects.get_or_create(
                enterprise_number=checksums.enterprise_number(4_100_000 + i * 7_919),
                defaults={
                    "name": name,
                    "kind": kind,
                    "street": street,
                    "postal_code": postal_code,
                    "municipality": municipality,
                    "email": f"info@{slug}.example.be",
                    "website": f"https://www.{slug}.example.be/",
                },
            )
            partners[name] = partner
            for n, function in enumerate(CONTACT_FUNCTIONS[kind], start=1):
                contact_name = next(names)
                contacts[contact_email(name, n)], _ = ContactPerson.objects.get_or_create(
                    organisation=partner,
                    email=contact_email(name, n),
                    defaults={
                        "name": contact_name,
                        "function": function,
                        "phone": "+32 400 00 00 00",
                    },
                )
        return partners, contacts

    def write_reference_lists(self):
        themes = {}
        for order, (code, name) in enumerate(THEMES, start=1):
            themes[code], _ = Theme.objects.get_or_create(
                code=code, defaults={"name": name, "order": order}
            )
        objectives = {}
        for code, theme, description in OBJECTIVES:
            objectives[code], _ = Objective.objects.get_or_create(
                code=code, defaults={"theme": themes[theme], "description": description}
            )
        return themes, objectives

    def write_users(self) -> dict[str, User]:
        specs = [
            ("staff", "Sara", "Vermeersch", {"role": "staff", "office": "Atlas Antwerpen"}),
            ("caseworker", "Karim", "Benali", {"role": "caseworker", "org": "OCMW Antwerpen"}),
            ("manager", "Katrien", "Goossens", {"role": "manager"}),
            ("admin", "Ann", "Beheerder", None),
        ]
        users = {}
        for username, first, last, membership in specs:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@partnerwerk.example.be",
                    "is_active": True,
                    "is_staff": membership is None,
                    "is_superuser": membership is None,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if membership is not None:
                Membership.objects.update_or_create(
                    user=user,
                    defaults={
                        "role": membership["role"],
                        "office": self.offices.get(membership.get("office", "")),
                        "organisation": self.partners.get(membership.get("org", "")),
                    },
                )
            users[username] = user
        return users

    def write_partnerships(self) -> dict[str, Partnership]:
        result = {}
        for plan in self.plan.partnerships:
            partnership, _ = Partnership.objects.get_or_create(
                agreement_reference=plan.ref,
                defaults={
                    "office": self.offices[plan.office],
                    "lead_partner": self.partners[plan.lead],
                    "title": plan.title,
                    "target_group": plan.target_group,
                    "description": plan.description,
                    "status": plan.status,
                    "start_date": plan.start,
                    "end_date": plan.end,
                    "signed_date": plan.signed,
                },
            )
            result[plan.ref] = partnership
            for name in plan.partners:
                PartnershipPartner.objects.get_or_create(
                    partnership=partnership, organisation=self.partners[name]
                )
        # Plan targets: what was planned each year, a little off from what was realised.
        realised = defaultdict(lambda: [0, 0, 0])
        for module in self.plan.modules:
            counts = realised[(module.partnership, module.sessions[0][0].year)]
            counts[0] += 1
            counts[1] += len(module.sessions)
            counts[2] += sum(1 for e in module.enrolments if e[1] != "waitlisted")
        for (ref, year), (modules, sessions, participants) in sorted(realised.items()):
            factor = self.rng.choice([0.9, 1.0, 1.0, 1.1, 1.2])
            if result[ref].plan_years_error([year]):
                continue  # a plan only for the agreement's own years
            PlanTarget.objects.get_or_create(
                partnership=result[ref],
                year=year,
                defaults={
                    "planned_modules": round(modules * factor),
                    "planned_sessions": round(sessions * factor),
                    "planned_participants": round(participants * factor),
                },
            )
        # ...and next year's plan for the running agreements.
        for plan in self.plan.partnerships:
            next_year = self.plan.today.year + 1
            if plan.status == "active" and not result[plan.ref].plan_years_error([next_year]):
                PlanTarget.objects.get_or_create(
                    partnership=result[plan.ref],
                    year=next_year,
                    defaults={
                        "planned_modules": 4,
                        "planned_sessions": 20,
                        "planned_participants": 48,
                    },
                )
        return result

    def write_modules(self) -> dict[tuple[str, str], Module]:
        existing = {
            (m.partnership_id, m.title): m
            for m in Module.objects.filter(partnership__in=self.partnerships.values())
        }
        new = []
        for plan in self.plan.modules:
            partnership = self.partnerships[plan.partnership]
            if (partnership.pk, plan.title) in existing:
                continue
            new.append(
                Module(
                    partnership=partnership,
                    title=plan.title,
                    offer_type=plan.offer_type,
                    language=plan.language,
                    teacher=plan.teacher,
                    partner_facilitator=self.contacts.get(plan.facilitator),
                    location=plan.location,
                    capacity=plan.capacity,
                    enrolment_open=plan.enrolment_open,
                    status=plan.status,
                    cancel_reason=plan.cancel_reason,
                )
            )
        Module.objects.bulk_create(new)
        created_on = {
            (self.partnerships[p.partnership].pk, p.title): p.created for p in self.plan.modules
        }
        for module in new:
            day = created_on[(module.partnership_id, module.title)]
            module.created_at = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(10))
            )
            module.updated_at = module.created_at
        Module.objects.bulk_update(new, ["created_at", "updated_at"], batch_size=200)
        for module in new:
            existing[(module.partnership_id, module.title)] = module
        modules = {}
        theme_links, objective_links = [], []
        for plan in self.plan.modules:
            module = existing[(self.partnerships[plan.partnership].pk, plan.title)]
            modules[(plan.partnership, plan.title)] = module
            theme_links += [
                Module.themes.through(module_id=module.pk, theme_id=self.themes[c].pk)
                for c in plan.themes
            ]
            objective_links += [
                Module.objectives.through(module_id=module.pk, objective_id=self.objectives[c].pk)
                for c in plan.objectives
            ]
        Module.themes.through.objects.bulk_create(theme_links, ignore_conflicts=True)
        Module.objectives.through.objects.bulk_create(objective_links, ignore_conflicts=True)
        return modules

    def write_sessions(self) -> dict[tuple, Session]:
        module_ids = [m.pk for m in self.modules.values()]
        existing = {
            (s.module_id, s.topic): s for s in Session.objects.filter(module_id__in=module_ids)
        }
        new = []
        for plan in self.plan.modules:
            module = self.modules[(plan.partnership, plan.title)]
            for day, start, end, topic, status, reason in plan.sessions:
                if (module.pk, topic) not in existing:
                    new.append(
                        Session(
                            module=module,
                            date=day,
                            start_time=start,
                            end_time=end,
                            topic=topic,
                            status=status,
                            cancel_reason=reason,
                        )
                    )
        Session.objects.bulk_create(new, batch_size=500)
        for session in new:
            existing[(session.module_id, session.topic)] = session
        return existing

    def write_participants(self) -> dict[str, Participant]:
        existing = {
            p.national_register_number: p
            for p in Participant.objects.filter(
                national_register_number__in=list(self.plan.participants)
            )
        }
        caseworker = self.users["caseworker"]
        recent = self.plan.today - datetime.timedelta(days=730)
        new = []
        for key, plan in self.plan.participants.items():
            if key in existing:
                continue
            first = plan.first_date or self.plan.today
            consent = first - datetime.timedelta(days=self.rng.randint(5, 40))
            ours = plan.organisation == "OCMW Antwerpen" and consent >= recent
            new.append(
                Participant(
                    first_name=plan.first_name,
                    last_name=plan.last_name,
                    date_of_birth=plan.date_of_birth,
                    gender=plan.gender,
                    nationality=plan.nationality,
                    languages=plan.languages,
                    national_register_number=key,
                    organisation=self.partners[plan.organisation],
                    caseworker=caseworker if ours else None,
                    consent_date=consent,
                    consent_recorded_by=caseworker if ours else None,
                )
            )
        Participant.objects.bulk_create(new, batch_size=500)
        for participant in new:
            existing[participant.national_register_number] = participant
        return existing

    def write_enrolments(self) -> dict[tuple, Enrolment]:
        existing = {
            (e.participant_id, e.module_id): e
            for e in Enrolment.objects.filter(module__in=list(self.modules.values()))
        }
        caseworker = self.users["caseworker"]
        staff = self.users["staff"]
        new, timestamps = [], []
        self.marks: dict[tuple, list[str]] = {}
        for plan in self.plan.modules:
            module = self.modules[(plan.partnership, plan.title)]
            first_day = plan.sessions[0][0]
            held = [s for s in plan.sessions if s[4] == "held"]
            for key, status, position, withdrawn_after in plan.enrolments:
                participant = self.participants[key]
                if (participant.pk, module.pk) in existing:
                    continue
                if status != "waitlisted":
                    marks = self.roll_marks(status, len(held), withdrawn_after)
                    self.marks[(key, plan.partnership, plan.title)] = marks
                    if status in OUTCOMES:
                        # As closing the module decides it: from the attendance.
                        status = completion_status(marks.count("present"), len(held), module)
                enrolled_on = first_day - datetime.timedelta(days=self.rng.randint(3, 30))
                enrolled_on = min(enrolled_on, self.plan.today)
                enrolment = Enrolment(
                    participant=participant,
                    module=module,
                    status=status,
                    waitlist_position=position,
                    enrolled_by=caseworker if participant.caseworker_id else staff,
                )
                at = timezone.make_aware(datetime.datetime.combine(enrolled_on, datetime.time(11)))
                last_day = held[-1][0] if held else plan.sessions[-1][0]
                if status == "withdrawn":
                    days = [s[0] for s in held]
                    day = days[min(withdrawn_after, len(days) - 1)] if days else enrolled_on
                    enrolment.withdrawal_reason = self.rng.choice(
                        ["Werk gevonden", "Verhuisd", "Kinderopvang niet geregeld", "Ziek"]
                    )
                    enrolment.withdrawn_at = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(17))
                    )
                enrolment.status = status
                if status == "completed":
                    # Closed on the day of the last session, after it.
                    enrolment.completed_at = timezone.make_aware(
                        datetime.datetime.combine(last_day, datetime.time(17))
                    )
                new.append(enrolment)
                timestamps.append((at, enrolment.withdrawn_at or enrolment.completed_at or at))
        Enrolment.objects.bulk_create(new, batch_size=500)
        for enrolment, (at, changed) in zip(new, timestamps, strict=True):
            enrolment.enrolled_at, enrolment.status_changed_at = at, changed
        Enrolment.objects.bulk_update(new, ["enrolled_at", "status_changed_at"], batch_size=500)
        for enrolment in new:
            existing[(enrolment.participant_id, enrolment.module_id)] = enrolment
        return existing

    def roll_marks(self, status: str, held: int, withdrawn_after: int | None) -> list[str]:
        """Present/absent/excused at each held session, believable for the planned status."""
        marks = []
        for n in range(held):
            if status == "withdrawn" and n > withdrawn_after:
                break
            roll = self.rng.random()
            if status == "no_show":
                mark = "absent"
            elif status == "not_completed":
                mark = "present" if n == 0 or roll < 0.3 else "absent"
            elif status == "completed":
                mark = "present" if roll < 0.9 else "excused"
            else:
                mark = "present" if roll < 0.8 else "absent" if roll < 0.92 else "excused"
            marks.append(mark)
        return marks

    def write_attendance(self) -> None:
        existing = set(
            Attendance.objects.filter(session__module__in=list(self.modules.values())).values_list(
                "enrolment_id", "session_id"
            )
        )
        staff = self.users["staff"]
        new = []
        for plan in self.plan.modules:
            module = self.modules[(plan.partnership, plan.title)]
            held = [self.sessions[(module.pk, s[3])] for s in plan.sessions if s[4] == "held"]
            for key, _status, _position, _withdrawn_after in plan.enrolments:
                marks = self.marks.get((key, plan.partnership, plan.title), [])
                enrolment = self.enrolments[(self.participants[key].pk, module.pk)]
                for session, mark in zip(held, marks, strict=False):
                    if (enrolment.pk, session.pk) not in existing:
                        new.append(
                            Attendance(
                                enrolment=enrolment,
                                session=session,
                                status=mark,
                                recorded_by=staff,
                            )
                        )
        Attendance.objects.bulk_create(new, batch_size=1000)
        # bulk_create bypasses the services: bring the report's rollup up to date.
        refresh_modules(module.pk for module in self.modules.values())

    def write_requests_and_evaluations(self) -> None:
        today = self.plan.today
        p = self.partnerships
        modules = self.modules
        offices, partners, contacts = self.offices, self.partners, self.contacts
        requests = [
            # office, partner, title, status, received, themes, language, expected, extra
            ("Atlas Antwerpen", "CAW Antwerpen", "MO over geld en schulden voor daklozen",
             "new", today - datetime.timedelta(days=9), ["money"], "nl", 12, {}),
            ("Atlas Antwerpen", "VDAB", "MO over werk voor werkzoekende anderstaligen",
             "under_review", today - datetime.timedelta(days=31), ["work"], "fr", 20, {}),
            ("Atlas Antwerpen", "OCMW Antwerpen", "Extra reeks rechten en plichten in het Arabisch",
             "new", today - datetime.timedelta(days=3), ["rights-and-duties"], "ar", 15, {}),
            ("Atlas Antwerpen", "VDAB", "Begeleiding na het inburgeringstraject", "planned",
             datetime.date(2018, 10, 15), ["work", "education"], "nl", 24,
             {"planned_partnership": p["ATL-2019-04"]}),
            ("Atlas Antwerpen", "Stad Antwerpen", "Infosessie afval sorteren", "planned",
             datetime.date(2016, 1, 20), ["waste-and-environment"], "nl", 100,
             {"planned_partnership": p["ATL-2016-03"],
              "planned_module": modules[("ATL-2016-03", "Infosessie afval sorteren 1")]}),
            ("IN-Gent", "CAW Oost-Vlaanderen", "MO voor jongeren in begeleid wonen", "declined",
             today - datetime.timedelta(days=120), ["living-together", "money"], "ti", 8,
             {"decline_reason": "Geen lesgever Tigrinya beschikbaar dit najaar; opnieuw "
                                "bekijken in het voorjaar."}),
            ("IN-Gent", "VDAB", "Sollicitatietraining met MO", "under_review",
             today - datetime.timedelta(days=12), ["work"], "en", 16, {}),
        ]  # fmt: skip
        for office, partner, title, status, received, themes, language, expected, extra in requests:
            request, created = OfferRequest.objects.get_or_create(
                partner=partners[partner],
                title=title,
                defaults={
                    "office": offices[office],
                    "contact": contacts.get(contact_email(partner, 1)),
                    "status": status,
                    "received_on": received,
                    "language": language,
                    "expected_participants": expected,
                    "target_group": "Cliënten van " + partner,
                    "created_by": self.users["staff"] if office == "Atlas Antwerpen" else None,
                    **extra,
                },
            )
            if created:
                request.themes.set([self.themes[c] for c in themes])

        evaluations = [
            ({"partnership": p["ATL-2013-01"]}, datetime.date(2014, 5, 20), "inspectorate", 5,
             "De onderwijsinspectie beoordeelt het aanbod MO zonder traject als zeer zinvol: "
             "de combinatie van MO-lesgever en OCMW-maatschappelijk werker bereikt cliënten "
             "die anders geen MO zouden volgen.",
             "Het aanbod structureel verankeren en uitbreiden naar andere partners."),
            ({"partnership": p["ATL-2015-02"]}, datetime.date(2017, 6, 15), "agency", 4,
             "Goede opkomst; huurders kennen hun rechten en plichten beter.",
             "Meer avondsessies plannen."),
            ({"partnership": p["GNT-2014-01"]}, datetime.date(2018, 12, 10), "partner", 4,
             "OCMW Gent ziet minder misverstanden over huur en onderwijs.", ""),
            ({"module": modules[("ATL-2024-05", "MO op maat 2025 – reeks 4")]},
             datetime.date(2025, 3, 20), "participants", 4,
             "Deelnemers waarderen de lessen in de eigen taal.", "Kinderopvang voorzien."),
        ]  # fmt: skip
        for target, day, source, rating, findings, recommendations in evaluations:
            Evaluation.objects.get_or_create(
                **target,
                date=day,
                source=source,
                defaults={
                    "rating": rating,
                    "findings": findings,
                    "recommendations": recommendations,
                    "created_by": self.users["staff"],
                },
            )

    def write_mail_settings(self) -> None:
        """One switched-off kind of mail, so the admin's list is not empty; on the admin
        account, which gets no mail about clients, so the demo's mails stay as they were."""
        MailOptOut.objects.get_or_create(user=self.users["admin"], kind=MailKind.ENROLMENT)

    def write_access_log(self) -> None:
        """A few entries so the administrator sees what the log of personal data looks like."""
        clients = Participant.objects.filter(caseworker=self.users["caseworker"]).order_by("pk")
        for participant, user, action in [
            (clients.first(), self.users["caseworker"], PersonalDataAccess.Action.EXPORT),
            (clients.last(), self.users["staff"], PersonalDataAccess.Action.REVEAL_NATIONAL_NUMBER),
        ]:
            if participant is not None:
                PersonalDataAccess.objects.get_or_create(
                    participant=participant, user=user, action=action
                )
