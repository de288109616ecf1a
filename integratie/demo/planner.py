"""Plans the demo data set in memory, from a fixed seed and a reference date: no database.

Every module's status, its sessions and its enrolments' outcomes follow the rules of the
app (`modules.lifecycle`): nothing is held after `today`, places are never exceeded, a
closed module's outcomes come from its attendance."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

import holidays

from partnerships import checksums

from .data import LANGUAGES_OF_2013, PEOPLE, SEED, TEACHERS, THEMES, contact_email


@dataclass
class PartnershipPlan:
    ref: str
    office: str
    title: str
    lead: str
    partners: list[str]
    target_group: str
    status: str
    start: datetime.date
    end: datetime.date | None
    signed: datetime.date | None
    description: str = ""


@dataclass
class ModulePlan:
    partnership: str
    title: str
    offer_type: str
    themes: list[str]
    objectives: list[str]
    language: str
    capacity: int
    status: str
    enrolment_open: bool
    location: str
    teacher: str
    facilitator: str | None  # contact e-mail
    created: datetime.date
    cancel_reason: str = ""
    # (date, start, end, topic, status, cancel reason)
    sessions: list[tuple] = field(default_factory=list)
    # (participant key, status, waitlist position, withdrawn after n sessions)
    enrolments: list[tuple] = field(default_factory=list)


@dataclass
class ParticipantPlan:
    key: str  # the national register number
    first_name: str
    last_name: str
    date_of_birth: datetime.date
    gender: str
    nationality: str
    languages: str
    organisation: str
    first_date: datetime.date | None = None


class Planner:
    """Plans the whole data set in memory; no database access."""

    def __init__(self, today: datetime.date):
        self.today = today
        self.rng = random.Random(SEED)
        years = range(2012, today.year + 3)
        self.holidays = holidays.country_holidays("BE", years=years)
        self.partnerships: list[PartnershipPlan] = []
        self.modules: list[ModulePlan] = []
        self.participants: dict[str, ParticipantPlan] = {}
        self.pools: dict[str, list[str]] = defaultdict(list)
        self.enrolment_counts: dict[str, int] = defaultdict(int)
        self._serial = 0

    # dates

    def weekday_on_or_after(self, day: datetime.date) -> datetime.date:
        while day.weekday() >= 5 or day in self.holidays:
            day += datetime.timedelta(days=1)
        return day

    def weekly(self, first: datetime.date, count: int) -> list[datetime.date]:
        dates, day = [], self.weekday_on_or_after(first)
        while len(dates) < count:
            if day not in self.holidays:
                dates.append(day)
            day += datetime.timedelta(days=7)
        return dates

    # participants

    def new_participant(self, organisation: str, language: str, year: int) -> str:
        rng = self.rng
        if language == "nl":
            language = rng.choice(list(PEOPLE))
        nationality, spoken, women, men, last_names = rng.choice(PEOPLE[language])
        gender = rng.choice("ffmmx" if rng.random() < 0.05 else "fm")
        first = rng.choice(women if gender == "f" else men if gender == "m" else women + men)
        age = rng.randint(18, 58)
        born = datetime.date(year - age, rng.randint(1, 12), rng.randint(1, 28))
        self._serial += 1
        # Odd serials for men, even for women: the register's own convention.
        serial = 2 * self._serial - (1 if gender == "m" else 0)
        nrn = checksums.national_register_number(born, serial % 998 or 1)
        self.participants[nrn] = ParticipantPlan(
            key=nrn,
            first_name=first,
            last_name=rng.choice(last_names),
            date_of_birth=born,
            gender=gender,
            nationality=nationality,
            languages=spoken,
            organisation=organisation,
        )
        return nrn

    def pick_participants(self, module: ModulePlan, count: int, cap: int) -> list[str]:
        """Participants referred by the agreement's partners who speak the module's language.

        About a third are new faces; the others are clients of the same partner who started
        within a year of this module (people often follow MO, then trajectory guidance).
        `cap` is how many clients a partner has before anyone is reused.
        """
        plan = next(p for p in self.partnerships if p.ref == module.partnership)
        first = module.sessions[0][0]
        chosen: list[str] = []
        for _ in range(count):
            organisation = self.rng.choice(plan.partners)
            pool = self.pools[organisation]
            candidates = [
                k
                for k in pool
                if k not in chosen
                and self.enrolment_counts[k] < 4
                and abs(self.participants[k].first_date.year - first.year) <= 1
                and (module.language == "nl" or self.speaks(k, module.language))
            ]
            if len(pool) < cap or not candidates or self.rng.random() < 0.3:
                key = self.new_participant(organisation, module.language, first.year)
                pool.append(key)
            else:
                key = self.rng.choice(candidates)
            chosen.append(key)
            self.enrolment_counts[key] += 1
            person = self.participants[key]
            if person.first_date is None or first < person.first_date:
                person.first_date = first
        return chosen

    def speaks(self, key: str, language: str) -> bool:
        person = self.participants[key]
        return any(person.nationality == group[0] for group in PEOPLE.get(language, []))

    # modules

    def module(
        self,
        partnership: PartnershipPlan,
        title: str,
        offer_type: str,
        themes: list[str],
        objectives: list[str],
        language: str,
        first: datetime.date,
        sessions: int,
        *,
        capacity: int = 15,
        location: str = "",
        hours: tuple[int, int] = (9, 12),
        open_for_enrolment: bool = False,
    ) -> ModulePlan:
        rng = self.rng
        dates = self.weekly(first, sessions)
        theme_names = dict(THEMES)
        facilitators = [contact_email(p, 1) for p in partnership.partners]
        plan = ModulePlan(
            partnership=partnership.ref,
            title=title,
            offer_type=offer_type,
            themes=themes,
            objectives=objectives,
            language=language,
            capacity=capacity,
            status="planned",
            enrolment_open=False,
            location=location,
            teacher=rng.choice(TEACHERS),
            facilitator=rng.choice(facilitators),
            created=dates[0] - datetime.timedelta(days=rng.randint(20, 60)),
        )
        start, end = datetime.time(hours[0]), datetime.time(hours[1])
        for n, day in enumerate(dates, start=1):
            theme = theme_names[themes[(n - 1) % len(themes)]]
            topic = f"Sessie {n}: {theme}"
            if day < self.today:
                if rng.random() < 0.04:
                    plan.sessions.append((day, start, end, topic, "cancelled", "Lesgever ziek"))
                else:
                    plan.sessions.append((day, start, end, topic, "held", ""))
            else:
                plan.sessions.append((day, start, end, topic, "planned", ""))
        statuses = [s[4] for s in plan.sessions]
        if "held" not in statuses and "planned" not in statuses:  # every session cancelled
            plan.sessions[0] = (*plan.sessions[0][:4], "held", "")
            statuses[0] = "held"
        # The lifecycle's status on `today`: started by the first held session, closed once
        # every session is given (the demo's past modules were closed by their staff).
        if "held" in statuses:
            plan.status = "running" if "planned" in statuses else "completed"
        else:
            plan.status = "open" if open_for_enrolment else "planned"
        plan.enrolment_open = plan.status == "open"
        self.modules.append(plan)
        return plan

    def enrol(self, module: ModulePlan, count: int, *, waitlisted: int = 0, cap: int = 6):
        """Enrolments with believable outcomes for the module's stage."""
        rng = self.rng
        keys = self.pick_participants(module, count + waitlisted, cap)
        held = sum(1 for s in module.sessions if s[4] == "held")
        for i, key in enumerate(keys):
            if i >= count:
                module.enrolments.append((key, "waitlisted", i - count + 1, None))
                continue
            roll = rng.random()
            if module.status == "completed":
                # The writer derives the outcome from the attendance it rolls for each of
                # these (so completed, not completed and no-show always fit the marks).
                if roll < 0.08:
                    module.enrolments.append((key, "no_show", None, None))
                elif roll < 0.14:
                    module.enrolments.append((key, "not_completed", None, None))
                elif roll < 0.24:
                    module.enrolments.append(
                        (key, "withdrawn", None, rng.randint(0, max(held - 1, 0)))
                    )
                else:
                    module.enrolments.append((key, "completed", None, None))
            elif module.status == "running" and roll < 0.1:
                module.enrolments.append((key, "withdrawn", None, rng.randint(0, max(held - 1, 0))))
            else:
                module.enrolments.append((key, "enrolled", None, None))

    def plan(self) -> Planner:
        """Plan the whole data set: each office's agreements, modules and enrolments."""
        self.plan_atlas()
        self.plan_gent()
        self.plan_agentschap()
        return self

    def agreement(
        self, ref, office, title, lead, partners, target, start, end, description=""
    ) -> PartnershipPlan:
        """An agreement; its status follows its dates on `today`."""
        today = self.today
        if end is not None and end < today:
            status = "ended"
        elif start > today:
            status = "draft"
        else:
            status = "active"
        signed = None if status == "draft" else start - datetime.timedelta(days=30)
        plan = PartnershipPlan(
            ref, office, title, lead, [lead, *partners], target, status, start, end, signed,
            description,
        )  # fmt: skip
        self.partnerships.append(plan)
        return plan

    def plan_atlas(self) -> None:
        """Atlas Antwerpen: the 2013 OCMW series, housing, waste, guidance, open modules."""
        rng, today = self.rng, self.today
        year = today.year
        next_monday = today + datetime.timedelta(days=7 - today.weekday())

        # Atlas Antwerpen: ~70 modules on rights and duties for OCMW clients in 2013, each
        # taught by an MO teacher with an OCMW counsellor.
        p1 = self.agreement(
            "ATL-2013-01", "Atlas Antwerpen", "MO rechten en plichten voor OCMW-cliënten",
            "OCMW Antwerpen", [], "Cliënten van OCMW Antwerpen zonder inburgeringstraject",
            datetime.date(2013, 1, 7), datetime.date(2013, 12, 20),
            "MO-lessen zonder traject: geen inburgeringscontract. Elke module wordt gegeven "
            "door een MO-lesgever samen met een OCMW-maatschappelijk werker.",
        )  # fmt: skip
        for n in range(1, 71):
            language = LANGUAGES_OF_2013[n % len(LANGUAGES_OF_2013)]
            first = datetime.date(2013, 1, 14) + datetime.timedelta(days=(n - 1) * 4)
            module = self.module(
                p1, f"Rechten en plichten – reeks {n:02d}", "mo_without_trajectory",
                ["rights-and-duties"], ["MO-01", "MO-02"], language, first, 3,
                location="OCMW Antwerpen, Lange Gasthuisstraat 39",
                hours=rng.choice([(9, 12), (13, 16)]),
            )  # fmt: skip
            self.enrol(module, rng.randint(4, 7), cap=60)

        # MO for social housing residents, at the city's request.
        p2 = self.agreement(
            "ATL-2015-02", "Atlas Antwerpen", "MO voor huurders van sociale woningen",
            "Stad Antwerpen", ["Woonhaven Antwerpen"],
            "Nieuwe huurders van Woonhaven Antwerpen", datetime.date(2015, 9, 1),
            datetime.date(2017, 6, 30),
            "Op vraag van de stad, met extra aandacht voor wonen en samenleven.",
        )  # fmt: skip
        for n in range(1, 9):
            first = datetime.date(2015, 9, 14) + datetime.timedelta(days=(n - 1) * 75)
            module = self.module(
                p2, f"Wonen en samenleven in de wijk – groep {n}", "target_group_mo",
                ["housing", "living-together"], ["MO-03", "MO-04", "MO-09"],
                rng.choice(["ar", "tr", "nl", "fr"]), first, 4,
                location="Woonhaven, Kielpark", hours=(18, 20) if n % 2 else (13, 16),
            )  # fmt: skip
            self.enrol(module, rng.randint(6, 10))

        # A waste-sorting info session: partial MO.
        p3 = self.agreement(
            "ATL-2016-03", "Atlas Antwerpen", "Infosessies afval sorteren", "Stad Antwerpen", [],
            "Nieuwkomers in Antwerpen-Noord", datetime.date(2016, 3, 1),
            datetime.date(2016, 12, 31), "Gedeeltelijke MO: niet alle MO-doelen komen aan bod.",
        )  # fmt: skip
        for n in range(1, 7):
            first = datetime.date(2016, 3, 8) + datetime.timedelta(days=(n - 1) * 45)
            module = self.module(
                p3, f"Infosessie afval sorteren {n}", "partial_mo", ["waste-and-environment"],
                ["MO-08"], rng.choice(["ar", "nl", "fr", "pl"]), first, 1, capacity=25,
                location="Stadsloket Noord", hours=(14, 16),
            )  # fmt: skip
            self.enrol(module, rng.randint(8, 18), cap=8)

        # Trajectory guidance after the primary trajectory.
        p4 = self.agreement(
            "ATL-2019-04", "Atlas Antwerpen", "Trajectbegeleiding na het primaire traject",
            "VDAB", ["OCMW Antwerpen", "CBE Antwerpen"],
            "Inburgeraars die hun primaire traject afrondden", datetime.date(2019, 1, 1), None,
        )  # fmt: skip
        for y in range(2019, year + 1):
            for n in (1, 2):
                first = datetime.date(y, 2 if n == 1 else 9, 4)
                if first > today:
                    continue
                module = self.module(
                    p4, f"Trajectbegeleiding {y} – groep {n}", "trajectory_guidance",
                    ["work", "education"], ["MO-05", "MO-07"], rng.choice(["nl", "en", "ar"]),
                    first, 6, capacity=12, location="VDAB Werkwinkel Antwerpen",
                )  # fmt: skip
                self.enrol(module, rng.randint(6, 11))

        # The running agreement with OCMW Antwerpen: past, running and open modules.
        p5 = self.agreement(
            "ATL-2024-05", "Atlas Antwerpen", "MO zonder traject voor OCMW-cliënten",
            "OCMW Antwerpen", ["CAW Antwerpen", "Atelier Zuid vzw"],
            "Cliënten van OCMW Antwerpen, CAW Antwerpen en Atelier Zuid",
            datetime.date(2024, 1, 1), None,
        )  # fmt: skip
        themes5 = [
            (["rights-and-duties", "money"], ["MO-01", "MO-10"]),
            (["health", "living-together"], ["MO-06", "MO-09"]),
            (["housing", "mobility"], ["MO-03", "MO-11"]),
        ]
        n = 0
        for y in (2024, 2025):
            for month in (2, 5, 10):
                n += 1
                themes, objectives = themes5[n % 3]
                module = self.module(
                    p5, f"MO op maat {y} – reeks {n}", "mo_without_trajectory", themes,
                    objectives, rng.choice(["ar", "ti", "prs", "uk", "fr"]),
                    datetime.date(y, month, 3), 5, capacity=14,
                    location="Atlas, Carnotstraat 110",
                )  # fmt: skip
                self.enrol(module, rng.randint(8, 13))
        for i, language in enumerate(["ar", "uk"]):  # running now: sessions this week
            n += 1
            module = self.module(
                p5, f"MO op maat {year} – reeks {n}", "mo_without_trajectory",
                *themes5[i], language, today - datetime.timedelta(days=15 + i), 6,
                capacity=14, location="Atlas, Carnotstraat 110",
            )  # fmt: skip
            self.enrol(module, rng.randint(9, 13))
        # Open for enrolment in the coming weeks: one with room, one nearly full, one full
        # with a waiting list, one in Tigrinya with room.
        for i, (language, capacity, enrolled, waitlisted) in enumerate(
            [("ar", 15, 5, 0), ("prs", 12, 11, 0), ("uk", 10, 10, 3), ("ti", 15, 3, 0)]
        ):
            n += 1
            module = self.module(
                p5, f"MO op maat {year} – reeks {n}", "mo_without_trajectory",
                *themes5[i % 3], language, next_monday + datetime.timedelta(days=7 * i), 5,
                capacity=capacity, location="Atlas, Carnotstraat 110",
                open_for_enrolment=True,
            )  # fmt: skip
            self.enrol(module, enrolled, waitlisted=waitlisted)

        # A draft agreement starting next month, with a planned module.
        next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        p6 = self.agreement(
            f"ATL-{next_month.year}-06", "Atlas Antwerpen", "Geldzaken voor jongvolwassenen",
            "CAW Antwerpen", ["OCMW Antwerpen"], "Jongvolwassenen in begeleid wonen",
            next_month, None,
        )  # fmt: skip
        self.module(
            p6, "Budget en schulden", "target_group_mo", ["money"], ["MO-10"], "nl",
            next_month + datetime.timedelta(days=14), 4, capacity=12,
            location="CAW Antwerpen, Van Arteveldestraat 77",
        )  # fmt: skip

    def plan_gent(self) -> None:
        """IN-Gent, and one module cancelled for want of a teacher."""
        rng, today = self.rng, self.today
        year = today.year
        next_monday = today + datetime.timedelta(days=7 - today.weekday())

        # IN-Gent.
        g1 = self.agreement(
            "GNT-2014-01", "IN-Gent", "MO voor cliënten van OCMW Gent", "OCMW Gent",
            ["CBE Open School Gent"], "Cliënten van OCMW Gent", datetime.date(2014, 1, 6),
            datetime.date(2018, 12, 21),
        )  # fmt: skip
        for y in range(2014, 2019):
            for n in (1, 2):
                module = self.module(
                    g1, f"Rechten en plichten {y}/{n}", "mo_without_trajectory",
                    ["rights-and-duties", "education"], ["MO-01", "MO-07"],
                    rng.choice(["ar", "ti", "so", "tr", "ru"]),
                    datetime.date(y, 3 if n == 1 else 10, 2), 5, location="IN-Gent, Kongostraat 42",
                )  # fmt: skip
                self.enrol(module, rng.randint(6, 12))
        g2 = self.agreement(
            "GNT-2020-02", "IN-Gent", "Samenleven in de wijk", "WoninGent", ["Stad Gent"],
            "Huurders van WoninGent in Nieuw Gent en de Brugse Poort",
            datetime.date(2020, 1, 1), None,
        )  # fmt: skip
        for y in range(2020, year + 1):
            for n in (1, 2):
                first = datetime.date(y, 4 if n == 1 else 10, 1)
                if first > today:
                    continue
                module = self.module(
                    g2, f"Samenleven {y} – groep {n}", "target_group_mo",
                    ["living-together", "housing"], ["MO-09", "MO-03"],
                    rng.choice(["ar", "tr", "pl", "ro", "nl"]), first, 4,
                    location="Buurtcentrum Nieuw Gent", hours=(18, 20),
                )  # fmt: skip
                self.enrol(module, rng.randint(6, 12))
        module = self.module(
            g2, f"Samenleven {year} – groep 3", "target_group_mo", ["living-together"],
            ["MO-09"], "ar", next_monday + datetime.timedelta(days=14), 4,
            location="Buurtcentrum Brugse Poort", hours=(18, 20), open_for_enrolment=True,
        )  # fmt: skip
        self.enrol(module, 4)
        g3 = self.agreement(
            "GNT-2022-03", "IN-Gent", "Werkervaring en MO", "Groene Vallei vzw",
            ["CAW Oost-Vlaanderen"], "Werknemers in een werkervaringstraject",
            datetime.date(2022, 3, 1), None,
        )  # fmt: skip
        for y in range(2022, year + 1):
            module = self.module(
                g3, f"Werk en geld {y}", "mo_without_trajectory", ["work", "money"],
                ["MO-05", "MO-10"], rng.choice(["nl", "fr", "en"]), datetime.date(y, 5, 2), 4,
                location="Groene Vallei, Dok Noord 4", hours=(13, 16),
            )  # fmt: skip
            self.enrol(module, rng.randint(5, 9))

        # One cancelled module: no teacher found.
        cancelled = self.module(
            g3, "Werk en geld – extra reeks", "mo_without_trajectory", ["work"], ["MO-05"],
            "ti", datetime.date(2023, 11, 6), 3, location="Groene Vallei, Dok Noord 4",
        )  # fmt: skip
        cancelled.status = "cancelled"
        cancelled.cancel_reason = "Geen lesgever Tigrinya beschikbaar."
        cancelled.sessions = [
            (*s[:4], "cancelled", "Module geannuleerd") for s in cancelled.sessions
        ]

    def plan_agentschap(self) -> None:
        """The Agentschap's regional offices."""
        rng, today = self.rng, self.today

        # The Agentschap's regional offices.
        regional = [
            ("AGL-2017-01", "Agentschap Limburg", "Gezondheid voor nieuwkomers", "OCMW Hasselt",
             ["Stad Genk"], datetime.date(2017, 1, 9), datetime.date(2021, 12, 17),
             ["health"], ["MO-06"], 2, "Sociaal Huis Hasselt"),
            ("AGV-2018-01", "Agentschap Vlaams-Brabant", "MO in Leuven", "OCMW Leuven", [],
             datetime.date(2018, 9, 3), None, ["rights-and-duties", "housing"],
             ["MO-01", "MO-03"], 1, "Sociaal Huis Leuven"),
            ("AGW-2021-01", "Agentschap West-Vlaanderen", "Mobiliteit en werk", "OCMW Brugge",
             ["VDAB"], datetime.date(2021, 2, 1), None, ["mobility", "work"],
             ["MO-11", "MO-05"], 1, "Huis van het Leren Brugge"),
            ("AGB-2023-01", "Agentschap Brussel", "Onderwijs voor ouders",
             "Vluchtelingenwerk Vlaanderen", [], datetime.date(2023, 9, 1), None,
             ["education"], ["MO-07"], 2, "Huis van het Nederlands Brussel"),
            ("AGA-2019-01", "Agentschap Antwerpen", "MO voor werkzoekenden in Mechelen", "VDAB",
             ["Atelier Zuid vzw"], datetime.date(2019, 9, 2), datetime.date(2022, 6, 30),
             ["work", "rights-and-duties"], ["MO-05", "MO-01"], 2, "VDAB Mechelen"),
        ]  # fmt: skip
        for ref, office, title, lead, others, start, end, themes, objs, per_year, place in regional:
            plan = self.agreement(ref, office, title, lead, others, "Nieuwkomers", start, end)
            last = min(end or today, today)
            for y in range(start.year, last.year + 1):
                for n in range(1, per_year + 1):
                    first = max(start, datetime.date(y, 3 + 5 * (n - 1), 6))
                    if first >= last:
                        continue
                    module = self.module(
                        plan, f"{title} {y}/{n}", "mo_without_trajectory", themes, objs,
                        rng.choice(["nl", "fr", "ar", "uk", "es"]), first, 4, location=place,
                    )  # fmt: skip
                    self.enrol(module, rng.randint(5, 10))
