"""Client import from a spreadsheet: the template, the preview per row, the import in one
transaction through the registration service, and good, mixed and hostile files."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api.models import ClientImport
from modules.models import Participant, PersonalDataAccess
from modules.services import personal_data
from modules.services.errors import DomainError
from tests import factories as f

UPLOAD = "/clients/import/"
HEADER = "voornaam;achternaam;geboortedatum;geslacht;rijksregisternummer;toestemming gegeven op"
NRN_1 = f.make_national_register_number(11, datetime.date(1985, 7, 30))
NRN_2 = f.make_national_register_number(12, datetime.date(2001, 3, 4))  # leading zero
BAD_NRN = NRN_1[:-1] + str((int(NRN_1[-1]) + 1) % 10)


@pytest.fixture(autouse=True)
def pinned_today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, 0), tick=False):
        yield


@pytest.fixture
def caseworker(client, caseworker_a):
    client.force_login(caseworker_a)
    return caseworker_a


def csv_file(text: str, name="clienten.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows: list[list], name="clienten.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, file):
    return client.post(UPLOAD, {"file": file})


def preview(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page, ClientImport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def outcomes(page) -> dict[int, tuple[str, list[str]]]:
    return {r.line: (r.outcome, r.reasons) for r in page.context["results"]}


# --- the template ---------------------------------------------------------------------------


def test_the_templates_have_the_dutch_column_names(client, caseworker):
    xlsx = client.get(reverse("api:client_import_template_xlsx"))
    csv = client.get(reverse("api:client_import_template_csv"))

    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    header = [cell.value for cell in book.worksheets[0][1]]
    assert header == [
        "voornaam",
        "achternaam",
        "geboortedatum",
        "geslacht",
        "nationaliteit",
        "talen",
        "telefoon",
        "e-mail",
        "rijksregisternummer",
        "toestemming gegeven op",
    ]
    assert book.worksheets[0].max_row == 1  # no example row that could be imported by mistake
    assert book.worksheets[1]["A2"].value == "voornaam"
    assert csv.content.decode("utf-8-sig").startswith("voornaam;achternaam;geboortedatum;")
    assert 'filename="clienten-sjabloon.xlsx"' in xlsx["Content-Disposition"]


def test_the_filled_in_template_imports(client, caseworker):
    template = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("api:client_import_template_xlsx")).content)
    )
    template.worksheets[0].append(
        [
            "Nadia",
            "El Amrani",
            datetime.date(1992, 4, 1),
            "v",
            "Marokkaans",
            "Arabisch, Frans",
            "0470 00 00 00",
            "nadia@example.be",
            NRN_1,
            datetime.date(2026, 11, 2),
        ]
    )
    out = io.BytesIO()
    template.save(out)

    page, record = preview(client, upload(client, SimpleUploadedFile("x.xlsx", out.getvalue())))
    client.post(reverse("api:client_import_preview", args=[record.pk]))

    nadia = Participant.objects.get()
    assert (nadia.first_name, nadia.gender, nadia.email) == ("Nadia", "f", "nadia@example.be")
    assert nadia.date_of_birth == datetime.date(1992, 4, 1)
    assert nadia.consent_date == datetime.date(2026, 11, 2)
    assert nadia.national_register_number == NRN_1


# --- good and mixed files -----------------------------------------------------------------------


def test_a_good_csv_with_commas_is_previewed_then_imported_in_one_go(
    client, caseworker, organisation_a
):
    text = (
        "voornaam,achternaam,geboortedatum,rijksregisternummer,toestemming gegeven op\n"
        f"Amina,Haddad,30/07/1985,{NRN_1},20/11/2026\n"
        "Yusuf,Demir,1990-02-03,,2026-11-21\n"
    )

    page, record = preview(client, upload(client, csv_file(text)))

    assert outcomes(page) == {2: ("new", []), 3: ("new", [])}
    assert not Participant.objects.exists()  # the preview registers nobody
    assert "Importeer 2 nieuwe cliënten" in page.content.decode()

    done = client.post(reverse("api:client_import_preview", args=[record.pk]))

    assert done.status_code == 200
    imported = Participant.objects.order_by("last_name")
    assert [(p.last_name, p.organisation, p.caseworker) for p in imported] == [
        ("Demir", organisation_a, caseworker),
        ("Haddad", organisation_a, caseworker),
    ]
    assert imported[1].date_of_birth == datetime.date(1985, 7, 30)
    record.refresh_from_db()
    assert (record.status, record.imported_count, record.rows) == ("imported", 2, [])
    history = record.history.order_by("history_id")
    assert [(h.status, h.history_user, h.imported_count) for h in history] == [
        ("previewed", caseworker, 0),
        ("imported", caseworker, 2),
    ]
    change = imported[0].history.get()
    assert change.history_user == caseworker
    assert change.history_change_reason == f"Geïmporteerd uit een spreadsheet (import {record.pk})"


def test_a_second_click_imports_nothing_twice(client, caseworker):
    text = f"{HEADER}\nAmina;Haddad;30/07/1985;v;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))
    url = reverse("api:client_import_preview", args=[record.pk])

    client.post(url)
    again = client.post(url)

    assert again.status_code == 404
    assert Participant.objects.count() == 1


def test_a_mixed_file_says_per_row_new_duplicate_or_refused_and_why(
    client, caseworker, organisation_a, organisation_b
):
    known = f.ParticipantFactory(
        organisation=organisation_a, national_register_number=NRN_1, last_name="Bekend"
    )
    namesake = f.ParticipantFactory(
        organisation=organisation_a,
        first_name="Fatima",
        last_name="Benali",
        date_of_birth=datetime.date(1979, 1, 2),
    )
    f.ParticipantFactory(  # another organisation's client: no duplicate of ours
        organisation=organisation_b,
        first_name="Omar",
        last_name="Saidi",
        date_of_birth=datetime.date(1988, 8, 8),
    )
    text = "\n".join(
        [
            HEADER,
            f"Nieuw;Persoon;01/01/1990;m;{NRN_2};20/11/2026",  # 2 new
            f"Zelfde;Nummer;01/01/1991;;{NRN_1};20/11/2026",  # 3 duplicate by number
            "fatima;BENALI;02/01/1979;v;;20/11/2026",  # 4 duplicate by name and birth date
            f"Fout;Nummer;01/01/1992;;{BAD_NRN};20/11/2026",  # 5 bad checksum
            "Geen;Toestemming;01/01/1993;;;",  # 6 no consent date
            ";;01/01/1994;;;20/11/2026",  # 7 missing name
            "Omar;Saidi;08/08/1988;m;;20/11/2026",  # 8 new (namesake elsewhere)
            "nieuw;persoon;01/01/1990;m;;20/11/2026",  # 9 same as row 2
            "Later;Geboren;01/01/2030;x;;20/11/2026",  # 10 born in the future
            ";;;;;",  # blank: skipped
        ]
    )

    page, record = preview(client, upload(client, csv_file(text)))
    result = outcomes(page)

    assert {line: outcome for line, (outcome, _r) in result.items()} == {
        2: "new",
        3: "duplicate",
        4: "duplicate",
        5: "refused",
        6: "refused",
        7: "refused",
        8: "new",
        9: "duplicate",
        10: "refused",
    }
    assert "Rijksregisternummer" in result[5][1][0] and "niet geldig" in result[5][1][0]
    assert result[6][1] == ["Toestemming gegeven op: Dit veld is vereist."]
    assert result[7][1] == ["Voornaam: Dit veld is vereist.", "Achternaam: Dit veld is vereist."]
    assert result[10][1] == ["Geboortedatum: De geboortedatum kan niet in de toekomst liggen."]
    html = page.content.decode()
    assert reverse("modules:participant_detail", args=[known.pk]) in html
    assert reverse("modules:participant_detail", args=[namesake.pk]) in html
    assert "dezelfde cliënt als rij 2" in html
    assert (record.new_count, record.duplicate_count, record.refused_count) == (2, 3, 4)

    client.post(reverse("api:client_import_preview", args=[record.pk]))

    assert Participant.objects.filter(organisation=organisation_a).count() == 4
    newcomer = Participant.objects.get(last_name="Persoon")
    assert newcomer.national_register_number == NRN_2


def test_a_number_registered_by_another_organisation_is_refused_at_import_by_the_service(
    client, caseworker, organisation_b
):
    f.ParticipantFactory(organisation=organisation_b, national_register_number=NRN_1)
    text = (
        f"{HEADER}\nAnder;Huis;30/07/1985;;{NRN_1};20/11/2026\n"
        "Goed;Persoon;01/02/1990;;;20/11/2026\n"
    )

    page, record = preview(client, upload(client, csv_file(text)))
    # The preview does not look outside the organisation: no bulk test of numbers.
    assert outcomes(page)[2] == ("new", [])

    done = client.post(reverse("api:client_import_preview", args=[record.pk]))

    result = outcomes(done)
    assert result[2][0] == "refused"
    assert "al een cliënt met dit rijksregisternummer" in result[2][1][0]
    assert result[3][0] == "imported"
    assert Participant.objects.filter(organisation=caseworker.membership.organisation).count() == 1
    # The service's rule for numbers found at another organisation holds: the hit is recorded.
    hit = PersonalDataAccess.objects.get()
    assert (hit.user, hit.action) == (caseworker, "number_match")


def test_the_import_goes_through_the_registration_service(client, caseworker, monkeypatch):
    """A rule added to the service (e.g. a per-user limit) refuses import rows too."""
    calls = []

    def refuse_second(participant):
        calls.append(participant.last_name)
        if len(calls) == 2:
            raise DomainError("Limiet bereikt.")
        participant.save()
        return participant

    monkeypatch.setattr(personal_data, "_save_participant", refuse_second)
    text = f"{HEADER}\nA;Een;01/01/1990;;;20/11/2026\nB;Twee;01/01/1991;;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))

    done = client.post(reverse("api:client_import_preview", args=[record.pk]))

    assert outcomes(done) == {2: ("imported", []), 3: ("refused", ["Limiet bereikt."])}
    assert list(Participant.objects.values_list("last_name", flat=True)) == ["Een"]


def test_the_rows_are_imported_in_one_transaction(client, caseworker, monkeypatch):
    """A failure half-way (not a refusal) leaves nobody registered."""

    def crash(participant):
        if participant.last_name == "Twee":
            raise RuntimeError("database gone")
        participant.save()
        return participant

    monkeypatch.setattr(personal_data, "_save_participant", crash)
    text = f"{HEADER}\nA;Een;01/01/1990;;;20/11/2026\nB;Twee;01/01/1991;;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))
    client.raise_request_exception = False

    client.post(reverse("api:client_import_preview", args=[record.pk]))

    assert not Participant.objects.exists()
    assert ClientImport.objects.get(pk=record.pk).status == "previewed"


# --- hostile files ----------------------------------------------------------------------------


def test_a_windows_1252_file_with_semicolons_reads_its_accents(client, caseworker):
    text = f"{HEADER}\nZoë;Nuñez-Ça;01/02/1990;v;;20/11/2026\r\n"

    page, _record = preview(client, upload(client, csv_file(text, encoding="cp1252")))

    assert page.context["results"][0].name == "Zoë Nuñez-Ça"
    assert outcomes(page) == {2: ("new", [])}


def test_a_utf8_file_with_a_bom_and_quoted_commas_reads_right(client, caseworker):
    text = (
        "\ufeffvoornaam,achternaam,geboortedatum,toestemming gegeven op\n"
        '"Jan, Piet",Peeters,01/02/1990,20/11/2026\n'
    )

    page, _record = preview(client, upload(client, csv_file(text)))

    assert page.context["results"][0].name == "Jan, Piet Peeters"


def test_formula_cells_are_read_as_text_never_computed(client, caseworker):
    rows = [
        ["voornaam", "achternaam", "geboortedatum", "telefoon", "toestemming gegeven op"],
        ['=HYPERLINK("http://evil.example","Klik")', "Formule", "01/02/1990", "=1+1", "20/11/2026"],
        ["Datum", "AlsFormule", "=DATE(1990,2,1)", "", "20/11/2026"],
    ]

    page, record = preview(client, upload(client, xlsx_file(rows)))
    result = outcomes(page)

    assert result[2] == ("new", [])
    assert page.context["results"][0].name.startswith('=HYPERLINK("http://evil.example"')
    assert result[3][0] == "refused"
    assert result[3][1][0].startswith("Geboortedatum:")
    client.post(reverse("api:client_import_preview", args=[record.pk]))
    stored = Participant.objects.get()
    assert stored.phone == "=1+1"
    assert stored.first_name.startswith("=HYPERLINK(")


def test_an_xlsx_with_real_dates_and_a_number_cell_for_the_national_number(client, caseworker):
    rows = [
        [
            "Voornaam",
            "Achternaam",
            "Geboortedatum",
            "Rijksregisternummer",
            "Toestemming gegeven op",
        ],
        ["Lina", "Jong", datetime.datetime(2001, 3, 4), int(NRN_2), datetime.date(2026, 11, 20)],
    ]

    page, record = preview(client, upload(client, xlsx_file(rows)))
    assert outcomes(page) == {2: ("new", [])}
    client.post(reverse("api:client_import_preview", args=[record.pk]))

    assert Participant.objects.get().national_register_number == NRN_2
    assert NRN_2.startswith("0")


def test_2001_rows_are_refused_with_a_clear_message(client, caseworker):
    rows = "\n".join(f"Naam{n};Persoon;01/02/1990;;;20/11/2026" for n in range(2001))

    response = upload(client, csv_file(f"{HEADER}\n{rows}\n"))
    xlsx = upload(
        client,
        xlsx_file(
            [["voornaam", "achternaam", "geboortedatum", "toestemming gegeven op"]]
            + [[f"N{n}", "P", "01/02/1990", "20/11/2026"] for n in range(2001)]
        ),
    )

    for answer in (response, xlsx):
        assert answer.status_code == 400
        assert "2.001 rijen" in answer.content.decode()
        assert "hoogstens 2.000" in answer.content.decode()
    assert not ClientImport.objects.exists()


def test_2000_rows_are_accepted(client, caseworker):
    rows = "\n".join(f"Naam{n};Persoon;01/02/1990;;;20/11/2026" for n in range(2000))

    page, record = preview(client, upload(client, csv_file(f"{HEADER}\n{rows}\n")))

    assert record.new_count == 2000


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("groot.csv", b"a" * (5 * 1024 * 1024 + 1)), "groter dan 5 MB"),
        (SimpleUploadedFile("lijst.txt", b"voornaam"), "een .csv- of .xlsx-bestand"),
        (SimpleUploadedFile("lijst.csv", b"\x00\x01\x02PK\x03"), "geen CSV-tekstbestand"),
        (SimpleUploadedFile("lijst.xlsx", b"geen zip"), "niet gelezen worden als Excel"),
        (SimpleUploadedFile("lijst.csv", b"naam;adres\nJan;Straat\n"), "ontbreekt: voornaam"),
        (SimpleUploadedFile("lijst.csv", HEADER.encode() + b"\n"), "geen cliëntrijen"),
        (
            SimpleUploadedFile("lijst.csv", HEADER.encode() + b"\nA;B;C;D;E;F;G;H\n"),
            "meer kolommen",
        ),
    ],
)
def test_unreadable_files_get_a_clear_message_and_change_nothing(client, caseworker, file, message):
    response = upload(client, file)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ClientImport.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, caseworker):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (40 * 1024 * 1024))
    response = upload(client, SimpleUploadedFile("bom.xlsx", out.getvalue()))

    assert response.status_code == 400
    assert "te groot" in response.content.decode()


# --- who may ----------------------------------------------------------------------------------


def test_only_the_uploader_sees_the_preview(client, caseworker, caseworker_b, organisation_a):
    text = f"{HEADER}\nAmina;Geheim;30/07/1985;v;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))
    colleague = f.UserFactory(username="collega")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    url = reverse("api:client_import_preview", args=[record.pk])

    for other in (caseworker_b, colleague):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not Participant.objects.exists()


def test_an_expired_preview_is_gone_and_its_rows_are_dropped(client, caseworker):
    text = f"{HEADER}\nAmina;Haddad;30/07/1985;v;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))

    with time_machine.travel(datetime.datetime(2026, 11, 30, 11, 0), tick=False):
        client.force_login(caseworker)  # the login of yesterday has expired
        assert client.get(reverse("api:client_import_preview", args=[record.pk])).status_code == 404
        upload(client, csv_file(text))

    record.refresh_from_db()
    assert record.rows == []


def test_the_import_service_refuses_a_second_run_of_the_same_preview_or_anothers(
    client, caseworker, organisation_a
):
    from api.services import run_client_import

    text = f"{HEADER}\nAmina;Haddad;30/07/1985;v;;20/11/2026\n"
    _page, record = preview(client, upload(client, csv_file(text)))
    colleague = f.UserFactory(username="collega")
    f.MembershipFactory(user=colleague, role="caseworker", office=None, organisation=organisation_a)
    with pytest.raises(DomainError):
        run_client_import(client_import=record, by=colleague)
    assert not Participant.objects.exists()

    run_client_import(client_import=record, by=caseworker)

    with pytest.raises(DomainError):
        run_client_import(client_import=record, by=caseworker)
    assert Participant.objects.count() == 1
