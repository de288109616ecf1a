"""One date format per language, decided in integratie/formats/: Dutch 29-11-2026 and
"ma 23 nov.", English as in the UK 29/11/2026 and "Mon 23 Nov", never the US 11/29/2026;
what people type is read day first; templates and code name a format, never spell one."""

import datetime
import importlib
import re
from html import unescape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from modules.forms.planning import SessionMoveForm
from partnerships.formatting import CUSTOM_FORMATS, format_date, get_named_format
from tests import factories as f

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("nl", "en")
STANDARD = (
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "DATE_INPUT_FORMATS",
    "TIME_INPUT_FORMATS",
    "DATETIME_INPUT_FORMATS",
    "DECIMAL_SEPARATOR",
    "THOUSAND_SEPARATOR",
    "FIRST_DAY_OF_WEEK",
)
# Tuesday 24 November 2026, 10:00 in Brussels: "this week" runs from 23 to 29 November.
NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_its_own_complete_format_module(language):
    module = importlib.import_module(f"integratie.formats.{language}.formats")

    missing = [name for name in STANDARD + CUSTOM_FORMATS if not hasattr(module, name)]

    assert missing == []


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "nl",
            ["29-11-2026", "29 november 2026", "zondag 29 november 2026", "zo 29 nov. 2026"],
        ),
        ("en", ["29/11/2026", "29 November 2026", "Sunday 29 November 2026", "Sun 29 Nov 2026"]),
    ],
)
def test_named_formats_follow_the_language(language, expected):
    day = datetime.date(2026, 11, 29)
    names = ["SHORT_DATE_FORMAT", "DATE_FORMAT", "WEEKDAY_DATE_FORMAT", "SHORT_WEEKDAY_DATE_FORMAT"]

    with translation.override(language):
        assert [format_date(day, name) for name in names] == expected
        assert get_named_format("TIME_FORMAT") == "H:i"


def test_dutch_abbreviates_months_with_a_full_stop_but_not_may():
    with translation.override("nl"):
        months = [
            format_date(datetime.date(2027, month, 1), "WEEKDAY_DAY_MONTH_FORMAT")
            for month in (3, 5, 9, 11)
        ]

    assert months == ["ma 1 mrt.", "za 1 mei", "wo 1 sep.", "ma 1 nov."]


def test_an_unknown_format_name_is_an_error_not_a_format():
    with pytest.raises(ValueError):
        get_named_format("LONG_DATE")


def page_text(client, user, url, language) -> str:
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def dated(partnership_a, organisation_a):
    partnership_a.start_date = datetime.date(2026, 11, 29)
    partnership_a.save()
    module = f.ModuleFactory(partnership=partnership_a, title="Wonen in Gent")
    monday = f.SessionFactory(module=module, date=datetime.date(2026, 11, 23))
    f.SessionFactory(module=module, date=datetime.date(2027, 3, 22))
    return {"module": module, "session": monday, "partnership": partnership_a}


# (language, what must show, what must never show)
PAGES = {
    "nl": (
        {
            "home": ["ma 23 nov. 09:00–12:00", "Sessies deze week (23-11-2026 – 29-11-2026)"],
            "agreements": ["29-11-2026 – …"],
            "module": ["ma 23 nov. 2026", "ma 22 mrt. 2027", "09:00–12:00"],
            "attendance": ["maandag 23 november 2026 09:00–12:00"],
        },
        ["11/29/2026", "11/23/2026", "Maandag", "Nov", "Mrt", "Mon"],
    ),
    "en": (
        {
            "home": ["Mon 23 Nov 09:00–12:00", "Sessions this week (23/11/2026 – 29/11/2026)"],
            "agreements": ["29/11/2026 – …"],
            "module": ["Mon 23 Nov 2026", "Mon 22 Mar 2027", "09:00–12:00"],
            "attendance": ["Monday 23 November 2026 09:00–12:00"],
        },
        ["11/29/2026", "11/23/2026", "29-11-2026", "ma 23", "a.m.", "Nov."],
    ),
}


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_shows_dates_in_the_format_of_its_language(client, staff_a, dated, language):
    urls = {
        "home": reverse("home"),
        "agreements": reverse("partnerships:partnership_list"),
        "module": reverse("modules:module_detail", args=[dated["module"].pk]),
        "attendance": reverse("modules:attendance", args=[dated["session"].pk]),
    }
    expected, never = PAGES[language]

    for name, url in urls.items():
        text = page_text(client, staff_a, url, language)
        missing = [wanted for wanted in expected[name] if wanted not in text]
        assert missing == [], (name, missing)
        shown = [bad for bad in never if re.search(rf"\b{re.escape(bad)}", text)]
        assert shown == [], (name, shown)


@pytest.mark.parametrize(
    "language, typed, day",
    [
        ("nl", "22-03-2027", datetime.date(2027, 3, 22)),
        ("nl", "22/03/2027", datetime.date(2027, 3, 22)),
        ("nl", "22.03.2027", datetime.date(2027, 3, 22)),
        ("nl", "3-4-2027", datetime.date(2027, 4, 3)),
        ("nl", "2027-03-22", datetime.date(2027, 3, 22)),  # what the browser's date field sends
        ("en", "22/03/2027", datetime.date(2027, 3, 22)),
        ("en", "03/04/2027", datetime.date(2027, 4, 3)),  # 3 April, as in the UK
        ("en", "22 March 2027", datetime.date(2027, 3, 22)),
        ("en", "2027-03-22", datetime.date(2027, 3, 22)),
    ],
)
def test_typed_dates_are_read_day_first(language, typed, day):
    with translation.override(language):
        form = SessionMoveForm(
            {"date": typed, "start_time": "09:00", "end_time": "12:00", "confirm_closed_day": "on"}
        )

        assert form.is_valid(), form.errors
        assert form.cleaned_data["date"] == day


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_us_month_first_date_is_refused(language):
    with translation.override(language), pytest.raises(forms.ValidationError):
        forms.DateField().clean("03/22/2027")


DATE_ARGUMENT = re.compile(r"\|\s*(?:date|time)\s*:\s*[\"']([^\"']*)[\"']")
MACHINE_FORMATS = {"Y-m-d"}  # <time datetime="…"> wants ISO whatever the language


def test_templates_name_their_date_formats_instead_of_spelling_them_out():
    spelled = []
    for template in sorted((ROOT / "templates").rglob("*.*")):
        for argument in DATE_ARGUMENT.findall(template.read_text(encoding="utf-8")):
            if not re.fullmatch(r"[A-Z_]+_FORMAT", argument) and argument not in MACHINE_FORMATS:
                spelled.append(f"{template.relative_to(ROOT)}: {argument!r}")

    assert spelled == []


def test_python_code_formats_no_date_by_hand():
    """strftime and f"{day:%d/%m/%Y}" bypass the language: use django.utils.formats."""
    by_hand = re.compile(r"strftime\(|\{[^{}]*:%[a-zA-Z]")
    found = []
    for folder in ("integratie", "partnerships", "modules"):
        for source in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in source.parts or "management" in source.parts:
                continue  # seed data builds national register numbers from dates
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                if by_hand.search(line):
                    found.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")

    assert found == []
