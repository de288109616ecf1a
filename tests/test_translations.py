"""The Dutch catalogue: complete, compiled, keeping its numbers, and following the glossary.

- Every entry is translated and none is fuzzy; a count keeps its number in every form.
- The compiled .mo says exactly what the .po says (a stale .mo shows old Dutch).
- Every string the code and templates mark for translation is in the catalogue, translated
  (makemessages on a copy of the source: needs GNU gettext, which CI installs).
- The translations use the terms of docs/glossary.md and none of the words it rules out.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
GLOSSARY = ROOT / "docs" / "glossary.md"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def _label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt + ' | ' if entry.msgctxt else ''}{entry.msgid!r}"


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    untranslated = [_label(e) for e in catalogue if not e.obsolete and not all(_translations(e))]
    fuzzy = [_label(e) for e in catalogue if not e.obsolete and e.fuzzy]

    assert untranslated == []
    assert fuzzy == []


def test_every_translation_keeps_the_placeholders_of_its_source(catalogue):
    """A Dutch plural that drops %(n)s shows "deelnemer" under a list of seven."""
    lost = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        names = set(PLACEHOLDER.findall(entry.msgid)) | set(
            PLACEHOLDER.findall(entry.msgid_plural or "")
        )
        for translation in _translations(entry):
            missing = names - set(PLACEHOLDER.findall(translation))
            if missing:
                lost.append(f"{_label(entry)} -> {translation!r} lacks {sorted(missing)}")

    assert lost == []


def test_the_catalogue_has_dutch_plural_forms(catalogue):
    assert catalogue.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"


def _messages(entries) -> dict:
    found = {}
    for entry in entries:
        if entry.obsolete or getattr(entry, "fuzzy", False) or not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural or None)
        found[key] = tuple(_translations(entry))
    return found


def test_the_compiled_catalogue_says_what_the_po_file_says(catalogue):
    """Run compilemessages (and commit the .mo) after editing the .po: an older .mo differs.

    Compared entry by entry, not byte by byte, so another msgfmt version does not matter."""
    compiled = _messages(polib.mofile(str(MO)))
    source = _messages(catalogue)

    assert set(source) - set(compiled) == set(), "in the .po, missing from the .mo"
    assert set(compiled) - set(source) == set(), "in the .mo, no longer in the .po"
    changed = {key for key in source if source[key] != compiled[key]}
    assert changed == set(), "translated differently in the .mo"


GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The catalogue as makemessages makes it from today's source, on a copy of the source
    (makemessages rewrites the catalogue in place: never on the real one)."""
    if not all(shutil.which(tool) for tool in GETTEXT_TOOLS):
        if os.environ.get("CI") or os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail("GNU gettext is missing: apt-get install gettext")
        pytest.skip("GNU gettext is missing (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("source")
    for name in ("integratie", "partnerships", "modules", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "SQLITE_PATH": str(copy / "unused.sqlite3")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-location", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))


def test_every_string_of_the_code_and_templates_is_in_the_catalogue_translated(extracted):
    """Append new entries at the end of the .po (no makemessages on the real catalogue)."""
    untranslated = [_label(e) for e in extracted if not e.obsolete and not all(_translations(e))]
    # msgmerge marks a new string "fuzzy" when it resembles an old one: still untranslated.
    fuzzy = [_label(e) for e in extracted if not e.obsolete and e.fuzzy]

    assert untranslated == []
    assert fuzzy == []


def glossary_rows() -> list[tuple[list[str], list[str], list[str]]]:
    """(English terms, Dutch terms, words not to use) for each row of the glossary's table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 4 or cells[0] in ("English", "") or set(cells[0]) <= {"-"}:
            continue
        english, dutch, _meaning, avoid = cells
        rows.append(
            (
                english.split(" / "),
                dutch.split(" / "),
                [word.strip() for word in avoid.split(",") if word.strip()],
            )
        )
    return rows


def test_the_glossary_pairs_every_english_term_with_one_dutch_term():
    rows = glossary_rows()

    assert len(rows) >= 30
    assert [row for row in rows if len(row[0]) != len(row[1])] == []


def test_the_catalogue_translates_the_glossary_terms_as_the_glossary_says(catalogue):
    terms = {}
    for english, dutch, _avoid in glossary_rows():
        terms.update({en.lower(): nl.lower() for en, nl in zip(english, dutch, strict=True)})
    wrong = [
        f"{entry.msgid!r} -> {entry.msgstr!r}, the glossary says {terms[entry.msgid.lower()]!r}"
        for entry in catalogue
        if not entry.obsolete
        and not entry.msgctxt
        and not entry.msgid_plural
        and entry.msgid.lower() in terms
        and entry.msgstr.lower() != terms[entry.msgid.lower()]
    ]
    checked = [e for e in catalogue if not e.msgctxt and e.msgid.lower() in terms]

    assert wrong == []
    assert len(checked) >= 40  # the glossary's terms are really the catalogue's msgids


def test_no_translation_uses_a_word_the_glossary_rules_out(catalogue):
    avoid = {word.lower() for *_terms, words in glossary_rows() for word in words}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(avoid))) + r")\b", re.I)
    found = [
        f"{_label(entry)} -> {translation!r}"
        for entry in catalogue
        if not entry.obsolete
        for translation in _translations(entry)
        if pattern.search(translation)
    ]

    assert avoid >= {"gender", "klant", "inloggen"}
    assert found == []
