"""Believable, deterministic demo data for Partnerwerk.

The whole data set is first *planned* in memory from a fixed random seed, then written:
every record is looked up by a natural key (office name, enterprise number, agreement
reference, module title within its agreement, session topic within its module, national
register number, participant + module, ...) and only what is missing is created. Running
the command twice therefore changes nothing the second time. Large tables go in with
`bulk_create`, all of it in one transaction.

The command lives in `partnerships` (the bottom layer) but fills `modules` too: a
management command is an entry point, like a view, not a layer others import.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

import holidays
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from modules.models import (
    Attendance,
    Enrolment,
    Evaluation,
    Module,
    Objective,
    OfferRequest,
    Participant,
    PersonalDataAccess,
    Session,
    Theme,
)
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

SEED = 2013
DEMO_PASSWORD = "demo"

# --- reference data ------------------------------------------------------------------

OFFICES = [
    # name, agency, region, street, postal code, municipality
    ("Atlas Antwerpen", "atlas", "antwerpen", "Carnotstraat 110", "2060", "Antwerpen"),
    ("IN-Gent", "in_gent", "oost_vlaanderen", "Kongostraat 42", "9000", "Gent"),
    ("Agentschap Antwerpen", "agentschap", "antwerpen", "Frederik de Merodestraat 12", "2800",
     "Mechelen"),
    ("Agentschap Brussel", "agentschap", "brussel", "Koningsstraat 136", "1000", "Brussel"),
    ("Agentschap Limburg", "agentschap", "limburg", "Kunstlaan 10", "3500", "Hasselt"),
    ("Agentschap Oost-Vlaanderen", "agentschap", "oost_vlaanderen", "Kortrijksesteenweg 206",
     "9830", "Sint-Martens-Latem"),
    ("Agentschap Vlaams-Brabant", "agentschap", "vlaams_brabant", "Diestsesteenweg 26", "3010",
     "Leuven"),
    ("Agentschap West-Vlaanderen", "agentschap", "west_vlaanderen", "Sint-Jorisstraat 38",
     "8000", "Brugge"),
]  # fmt: skip

PARTNERS = [
    # name, kind, street, postal code, municipality, website
    ("OCMW Antwerpen", "ocmw", "Lange Gasthuisstraat 39", "2000", "Antwerpen"),
    ("OCMW Gent", "ocmw", "Onderbergen 86", "9000", "Gent"),
    ("OCMW Leuven", "ocmw", "Andreas Vesaliusstraat 47", "3000", "Leuven"),
    ("OCMW Brugge", "ocmw", "Kartuizerinnenstraat 4", "8000", "Brugge"),
    ("OCMW Hasselt", "ocmw", "Thonissenlaan 35", "3500", "Hasselt"),
    ("VDAB", "vdab", "Keizerslaan 11", "1000", "Brussel"),
    ("Stad Antwerpen", "city", "Grote Markt 1", "2000", "Antwerpen"),
    ("Stad Gent", "city", "Botermarkt 1", "9000", "Gent"),
    ("Stad Genk", "city", "Stadsplein 1", "3600", "Genk"),
    ("Woonhaven Antwerpen", "social_housing", "Boomsesteenweg 50", "2020", "Antwerpen"),
    ("WoninGent", "social_housing", "Hubert Frère-Orbanlaan 64", "9000", "Gent"),
    ("CAW Antwerpen", "caw", "Van Arteveldestraat 77", "2060", "Antwerpen"),
    ("CAW Oost-Vlaanderen", "caw", "Visserij 153", "9000", "Gent"),
    ("CBE Antwerpen", "basic_education", "Bisschoppenhoflaan 327", "2100", "Antwerpen"),
    ("CBE Open School Gent", "basic_education", "Nieuwevaart 118", "9000", "Gent"),
    ("Atelier Zuid vzw", "work_experience", "Brederodestraat 90", "2018", "Antwerpen"),
    ("Groene Vallei vzw", "work_experience", "Dok Noord 4", "9000", "Gent"),
    ("Vluchtelingenwerk Vlaanderen", "other", "Gaucheretstraat 164", "1030", "Schaarbeek"),
]

CONTACT_NAMES = [
    "Sofie Peeters", "Jan Janssens", "Leen Maes", "Koen Jacobs", "Sarah Mertens",
    "Tom Willems", "Els Claes", "Pieter Goossens", "Annelies Wouters", "Bart De Smet",
    "Nadia El Amrani", "Hanne Vermeulen", "Wouter Pauwels", "Fatma Yilmaz", "Lotte Dubois",
    "Karim Benali", "Inge Hermans", "Stijn Aerts", "Griet Van den Broeck", "Yasmina Azzouzi",
]  # fmt: skip

CONTACT_FUNCTIONS = {
    "ocmw": ["Maatschappelijk werker", "Teamleider sociale dienst"],
    "vdab": ["Trajectbegeleider", "Consulent anderstaligen"],
    "city": ["Beleidsmedewerker samenleven", "Wijkregisseur"],
    "social_housing": ["Sociaal medewerker", "Huurdersbegeleider"],
    "caw": ["Begeleider", "Coördinator onthaal"],
    "basic_education": ["Trajectbegeleider NT2", "Directeur"],
    "work_experience": ["Jobcoach", "Coördinator"],
    "other": ["Stafmedewerker", "Vrijwilligerscoördinator"],
}

THEMES = [
    ("rights-and-duties", "Rechten en plichten"),
    ("housing", "Wonen"),
    ("work", "Werk"),
    ("health", "Gezondheid"),
    ("education", "Onderwijs"),
    ("mobility", "Mobiliteit"),
    ("waste-and-environment", "Afval en milieu"),
    ("living-together", "Samenleven"),
    ("money", "Geld"),
]

OBJECTIVES = [
    ("MO-01", "rights-and-duties", "Kent de grondrechten en plichten in België"),
    ("MO-02", "rights-and-duties", "Weet waar juridische hulp te vinden is"),
    ("MO-03", "housing", "Kent de rechten en plichten van een huurder"),
    ("MO-04", "housing", "Begrijpt een huurcontract en de huurwaarborg"),
    ("MO-05", "work", "Kent de weg naar werk en de rol van VDAB"),
    ("MO-06", "health", "Kent huisarts, ziekenfonds en dringende hulp"),
    ("MO-07", "education", "Begrijpt het Vlaamse onderwijssysteem"),
    ("MO-08", "waste-and-environment", "Sorteert afval volgens de lokale regels"),
    ("MO-09", "living-together", "Kent de omgangsvormen met buren"),
    ("MO-10", "money", "Maakt een budget op en leest facturen"),
    ("MO-11", "mobility", "Gebruikt het openbaar vervoer"),
]

TEACHERS = [
    "Amal Haddad", "Dirk Verstraeten", "Mariam Sultani", "Olena Kovalenko", "Youssef Bakkali",
    "Ruta Tesfay", "Hilde Van Damme", "Ahmet Demir", "Sandrine Lambert", "Farid Rahimi",
]  # fmt: skip

# Module language -> (nationality, languages spoken, female first names, male first names,
# last names). Participants of a module speak its language.
PEOPLE = {
    "ar": [
        ("Syrisch", "Arabisch", ["Rania", "Noor", "Huda"], ["Omar", "Ahmad", "Khaled"],
         ["Al-Hassan", "Haddad", "Khalil", "Nasser"]),
        ("Marokkaans", "Arabisch, Berbers", ["Fatima", "Samira", "Imane"],
         ["Mohamed", "Youssef", "Rachid"], ["El Idrissi", "Benali", "Amrani", "Ouali"]),
    ],
    "fr": [
        ("Congolees", "Frans, Lingala", ["Grace", "Mireille", "Esther"],
         ["Patrick", "Jean-Paul", "Didier"], ["Mukendi", "Kabila", "Tshibanda", "Ilunga"]),
        ("Guinees", "Frans, Fula", ["Aissatou", "Mariama"], ["Mamadou", "Alpha"],
         ["Diallo", "Barry", "Bah", "Sow"]),
    ],
    "en": [("Nigeriaans", "Engels, Yoruba", ["Blessing", "Chioma"], ["Emeka", "Tunde"],
            ["Okafor", "Adeyemi", "Okeke"])],
    "ti": [("Eritrees", "Tigrinya", ["Senait", "Helen", "Saba"], ["Yonas", "Tesfay", "Dawit"],
            ["Tesfamariam", "Ghebre", "Haile", "Berhane"])],
    "prs": [("Afghaans", "Dari, Pasjtoe", ["Mariam", "Zahra", "Farzana"],
             ["Ahmad", "Mohammad", "Jawad"], ["Rahimi", "Sultani", "Hakimi", "Karimi"])],
    "uk": [("Oekraïens", "Oekraïens, Russisch", ["Olena", "Iryna", "Natalia"],
            ["Andriy", "Oleksandr", "Serhiy"], ["Kovalenko", "Shevchenko", "Bondarenko"])],
    "ru": [("Russisch", "Russisch", ["Svetlana", "Anna"], ["Dmitri", "Igor"],
            ["Ivanov", "Petrova", "Smirnov"])],
    "tr": [("Turks", "Turks", ["Ayse", "Elif", "Fatma"], ["Mehmet", "Mustafa", "Emre"],
            ["Yilmaz", "Demir", "Kaya", "Celik"])],
    "so": [("Somalisch", "Somalisch", ["Hodan", "Amina"], ["Abdi", "Hassan"],
            ["Mohamed", "Warsame", "Farah"])],
    "es": [("Spaans", "Spaans", ["Lucia", "Carmen"], ["Javier", "Carlos"],
            ["Garcia", "Martinez", "Lopez"])],
    "pl": [("Pools", "Pools", ["Katarzyna", "Agnieszka"], ["Piotr", "Tomasz"],
            ["Kowalski", "Nowak", "Wisniewska"])],
    "ro": [("Roemeens", "Roemeens", ["Ioana", "Elena"], ["Andrei", "Mihai"],
            ["Popescu", "Ionescu", "Dumitru"])],
}  # fmt: skip
LANGUAGES_OF_2013 = ["ar", "fr", "en", "ru", "tr", "so", "ti", "es", "prs", "pl", "ro"]


# --- the plan ------------------------------------------------------------------------


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


def enterprise_number(i: int) -> str:
    """A valid KBO number: 0 + 7 digits, then 97 - (those 8 digits mod 97)."""
    first8 = 4_100_000 + i * 7_919
    return f"0{first8:07d}{97 - (first8 % 97):02d}"


def national_register_number(born: datetime.date, serial: int) -> str:
    first9 = f"{born:%y%m%d}{serial:03d}"
    number = int(first9) + (2_000_000_000 if born.year >= 2000 else 0)
    return f"{first9}{97 - (number % 97):02d}"


def contact_email(partner: str, n: int) -> str:
    slug = partner.lower().replace(" ", "-").replace("ë", "e")
    return f"contact{n}@{slug}.example.be"


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
        nrn = national_register_number(born, serial % 998 or 1)
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
        past = [d for d in dates if d < self.today]
        if len(past) == len(dates):
            status = "completed"
        elif past:
            status = "running"
        else:
            status = "open" if open_for_enrolment else "planned"
        facilitators = [contact_email(p, 1) for p in partnership.partners]
        plan = ModulePlan(
            partnership=partnership.ref,
            title=title,
            offer_type=offer_type,
            themes=themes,
            objectives=objectives,
            language=language,
            capacity=capacity,
            status=status,
            enrolment_open=status == "open",
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
                if roll < 0.08:
                    module.enrolments.append((key, "no_show", None, None))
                elif roll < 0.18:
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
        rng, today = self.rng, self.today
        year = today.year
        next_monday = today + datetime.timedelta(days=7 - today.weekday())

        def agreement(ref, office, title, lead, partners, target, start, end, description=""):
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

        # Atlas Antwerpen: ~70 modules on rights and duties for OCMW clients in 2013, each
        # taught by an MO teacher with an OCMW counsellor.
        p1 = agreement(
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
        p2 = agreement(
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
        p3 = agreement(
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
        p4 = agreement(
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
        p5 = agreement(
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
        p6 = agreement(
            f"ATL-{next_month.year}-06", "Atlas Antwerpen", "Geldzaken voor jongvolwassenen",
            "CAW Antwerpen", ["OCMW Antwerpen"], "Jongvolwassenen in begeleid wonen",
            next_month, None,
        )  # fmt: skip
        self.module(
            p6, "Budget en schulden", "target_group_mo", ["money"], ["MO-10"], "nl",
            next_month + datetime.timedelta(days=14), 4, capacity=12,
            location="CAW Antwerpen, Van Arteveldestraat 77",
        )  # fmt: skip

        # IN-Gent.
        g1 = agreement(
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
        g2 = agreement(
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
        g3 = agreement(
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
            plan = agreement(ref, office, title, lead, others, "Nieuwkomers", start, end)
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
        return self


# --- writing -------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Create the demo data set and the demo accounts (password 'demo'). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has offices (used by `make run`).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates accounts with the "
                "password 'demo'. Use --force if this really is a demo or test server."
            )
        if options["if_empty"] and Office.objects.exists():
            if options["verbosity"]:
                self.stdout.write("Demo data skipped: the database already has offices.")
            return
        plan = Planner(timezone.localdate()).plan()
        with transaction.atomic():
            Writer(plan).write()
        if options["verbosity"]:
            self.report()

    def report(self) -> None:
        counts = ", ".join(
            f"{model._meta.verbose_name_plural}: {model.objects.count()}"
            for model in (Office, PartnerOrganisation, Partnership, Module, Session)
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data ready ({counts})."))
        self.stdout.write("Demo accounts (password: demo):")
        for username, description in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:<11} {description}")


DEMO_ACCOUNTS = [
    ("staff", "agency staff, Atlas Antwerpen"),
    ("caseworker", "caseworker, OCMW Antwerpen"),
    ("manager", "manager, all offices"),
    ("admin", "administrator (superuser, Django admin at /admin/)"),
]


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
                enterprise_number=enterprise_number(i),
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
            if plan.status == "active":
                PlanTarget.objects.get_or_create(
                    partnership=result[plan.ref],
                    year=self.plan.today.year + 1,
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
        for plan in self.plan.modules:
            module = self.modules[(plan.partnership, plan.title)]
            first_day = plan.sessions[0][0]
            for key, status, position, withdrawn_after in plan.enrolments:
                participant = self.participants[key]
                if (participant.pk, module.pk) in existing:
                    continue
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
                last_day = plan.sessions[-1][0]
                if status == "withdrawn":
                    held = [s[0] for s in plan.sessions if s[4] == "held"]
                    day = held[min(withdrawn_after, len(held) - 1)] if held else enrolled_on
                    enrolment.withdrawal_reason = self.rng.choice(
                        ["Werk gevonden", "Verhuisd", "Kinderopvang niet geregeld", "Ziek"]
                    )
                    enrolment.withdrawn_at = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(17))
                    )
                if status == "completed":
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
            for key, status, _position, withdrawn_after in plan.enrolments:
                if status == "waitlisted":
                    continue
                enrolment = self.enrolments[(self.participants[key].pk, module.pk)]
                for n, session in enumerate(held):
                    if (enrolment.pk, session.pk) in existing:
                        continue
                    if status == "withdrawn" and n > withdrawn_after:
                        break
                    roll = self.rng.random()
                    if status == "no_show":
                        mark = "absent"
                    elif status == "completed":
                        mark = "present" if roll < 0.9 else "excused"
                    else:
                        mark = "present" if roll < 0.8 else "absent" if roll < 0.92 else "excused"
                    new.append(
                        Attendance(
                            enrolment=enrolment, session=session, status=mark, recorded_by=staff
                        )
                    )
        Attendance.objects.bulk_create(new, batch_size=1000)

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
