"""Staff screens for modules and sessions: every page renders, the happy POSTs do their job."""

import datetime

import pytest
from django.urls import reverse

from modules.models import Enrolment, Module, Session
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_a(partnership_a):
    theme = f.ThemeFactory(name="Wonen")
    return f.ModuleFactory(
        partnership=partnership_a, title="Wonen in Antwerpen", themes=[theme], capacity=10
    )


@pytest.fixture
def session_a(module_a):
    return f.SessionFactory(module=module_a, date=datetime.date(2026, 12, 7))


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def test_module_list_shows_office_modules_with_places(staff_client, module_a, partnership_b):
    f.EnrolmentFactory.create_batch(3, module=module_a)
    f.EnrolmentFactory(module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1)
    f.ModuleFactory(partnership=partnership_b, title="Ander kantoor")
    response = staff_client.get(reverse("modules:module_list"))
    assert response.status_code == 200
    modules = list(response.context["modules"])
    assert [m.title for m in modules] == ["Wonen in Antwerpen"]
    assert modules[0].enrolled_count == 3
    assert modules[0].free_places == 7
    assert modules[0].fill_rate == 30
    assert "Ander kantoor" not in response.content.decode()


def test_module_list_filters_and_search(staff_client, partnership_a):
    theme = f.ThemeFactory(name="Werk")
    partner = f.PartnerOrganisationFactory(name="VDAB Antwerpen")
    other_agreement = f.PartnershipFactory(office=partnership_a.office, partners=[partner])
    work = f.ModuleFactory(
        partnership=other_agreement, title="Werk zoeken", themes=[theme], language="fr"
    )
    f.SessionFactory(module=work, date=datetime.date(2025, 3, 3))
    f.ModuleFactory(partnership=partnership_a, title="Gezondheid", status=Module.Status.PLANNED)
    url = reverse("modules:module_list")

    def titles(**params):
        response = staff_client.get(url, params)
        assert response.status_code == 200
        return [m.title for m in response.context["modules"]]

    assert titles(q="werk") == ["Werk zoeken"]
    assert titles(theme=theme.pk) == ["Werk zoeken"]
    assert titles(language="fr") == ["Werk zoeken"]
    assert titles(partner=partner.pk) == ["Werk zoeken"]
    assert titles(year=2025) == ["Werk zoeken"]
    assert titles(year=2024) == []
    assert titles(status="planned") == ["Gezondheid"]
    assert titles(offer_type="partial_mo") == []


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"theme": "999999"}, {"status": "nonsense"}, {"year": "99999999"}]
)
def test_module_list_garbage_filters_give_a_page_not_a_500(staff_client, params):
    response = staff_client.get(reverse("modules:module_list"), params)
    assert response.status_code == 200


def test_module_detail_groups_enrolments_and_links_evaluations(staff_client, module_a, session_a):
    enrolled = f.EnrolmentFactory(module=module_a, participant__first_name="Amina")
    second = f.EnrolmentFactory(
        module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=2
    )
    first = f.EnrolmentFactory(
        module=module_a, status=Enrolment.Status.WAITLISTED, waitlist_position=1
    )
    withdrawn = f.EnrolmentFactory(module=module_a, status=Enrolment.Status.WITHDRAWN)
    f.EvaluationFactory(partnership=None, module=module_a, findings="Heel nuttig")
    response = staff_client.get(reverse("modules:module_detail", args=[module_a.pk]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert groups["enrolled"] == [enrolled]
    assert groups["waitlisted"] == [first, second]
    assert groups["withdrawn"] == [withdrawn]
    content = response.content.decode()
    assert "Heel nuttig" in content
    assert reverse("modules:attendance", args=[session_a.pk]) in content
    assert response.context["module"].free_places == 9


def test_module_create_saves_module_with_themes(staff_client, partnership_a):
    theme = f.ThemeFactory()
    contact = f.ContactPersonFactory(organisation=partnership_a.lead_partner)
    response = staff_client.get(reverse("modules:module_create"))
    assert response.status_code == 200
    response = staff_client.post(
        reverse("modules:module_create"),
        {
            "partnership": partnership_a.pk,
            "title": "Rechten en plichten",
            "offer_type": "mo_without_trajectory",
            "themes": [theme.pk],
            "language": "nl",
            "teacher": "Els",
            "partner_facilitator": contact.pk,
            "location": "OCMW",
            "capacity": 12,
            "completion_threshold": 75,
            "enrolment_open": "on",
            "status": "open",
        },
    )
    module = Module.objects.get(title="Rechten en plichten")
    assert response.status_code == 302
    assert response.url == reverse("modules:module_detail", args=[module.pk])
    assert list(module.themes.all()) == [theme]
    assert module.partner_facilitator == contact


def _module_post(module, **changes):
    data = {
        "partnership": module.partnership_id,
        "title": module.title,
        "offer_type": module.offer_type,
        "themes": [t.pk for t in module.themes.all()],
        "language": module.language,
        "capacity": module.capacity,
        "completion_threshold": module.completion_threshold,
        "status": module.status,
    }
    data.update(changes)
    return data


def test_module_create_refuses_other_office_agreement_and_foreign_facilitator(
    staff_client, partnership_a, partnership_b
):
    theme = f.ThemeFactory()
    stranger = f.ContactPersonFactory()
    data = {
        "partnership": partnership_b.pk,
        "title": "X",
        "offer_type": "partial_mo",
        "themes": [theme.pk],
        "language": "nl",
        "capacity": 5,
        "completion_threshold": 50,
        "status": "planned",
        "partner_facilitator": stranger.pk,
    }
    response = staff_client.post(reverse("modules:module_create"), data)
    assert response.status_code == 200
    assert "partnership" in response.context["form"].errors
    assert "partner_facilitator" in response.context["form"].errors
    assert not Module.objects.filter(title="X").exists()


def test_facilitator_of_another_agreement_of_the_office_is_refused(staff_client, partnership_a):
    other_partner = f.PartnerOrganisationFactory()
    f.PartnershipFactory(office=partnership_a.office, lead_partner=other_partner)
    contact = f.ContactPersonFactory(organisation=other_partner)
    theme = f.ThemeFactory()
    data = {
        "partnership": partnership_a.pk,
        "title": "Y",
        "offer_type": "partial_mo",
        "themes": [theme.pk],
        "language": "nl",
        "capacity": 5,
        "completion_threshold": 50,
        "status": "planned",
        "partner_facilitator": contact.pk,
    }
    response = staff_client.post(reverse("modules:module_create"), data)
    assert response.status_code == 200
    assert "partner_facilitator" in response.context["form"].errors


def test_module_edit_saves_changes(staff_client, module_a):
    url = reverse("modules:module_edit", args=[module_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, _module_post(module_a, title="Nieuw", capacity=20))
    assert response.status_code == 302
    module_a.refresh_from_db()
    assert (module_a.title, module_a.capacity) == ("Nieuw", 20)


@pytest.mark.parametrize(
    ("capacity", "threshold"), [(0, 50), (2, 50), (10, 101), (10, -1), ("x", 50)]
)
def test_module_edit_refuses_bad_capacity_and_threshold(
    staff_client, module_a, capacity, threshold
):
    f.EnrolmentFactory.create_batch(3, module=module_a)
    url = reverse("modules:module_edit", args=[module_a.pk])
    response = staff_client.post(
        url, _module_post(module_a, capacity=capacity, completion_threshold=threshold)
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    module_a.refresh_from_db()
    assert module_a.capacity == 10


def test_cancelled_module_cannot_be_edited(staff_client, module_a):
    module_a.status, module_a.enrolment_open = Module.Status.CANCELLED, False
    module_a.save()
    response = staff_client.get(reverse("modules:module_edit", args=[module_a.pk]))
    assert response.status_code == 302


def test_module_cancel_page_and_post(staff_client, module_a, session_a):
    url = reverse("modules:module_cancel", args=[module_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"reason": "Te weinig inschrijvingen"})
    assert response.status_code == 302
    module_a.refresh_from_db()
    session_a.refresh_from_db()
    assert module_a.status == Module.Status.CANCELLED
    assert session_a.status == Session.Status.CANCELLED


def test_module_cancel_without_reason_shows_field_error(staff_client, module_a):
    response = staff_client.post(
        reverse("modules:module_cancel", args=[module_a.pk]), {"reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    module_a.refresh_from_db()
    assert module_a.status == Module.Status.OPEN


def test_session_add_page_and_post(staff_client, module_a):
    url = reverse("modules:session_add", args=[module_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        {"date": "2026-12-14", "start_time": "13:00", "end_time": "16:00", "topic": "Huren"},
    )
    assert response.status_code == 302
    session = module_a.sessions.get()
    assert (session.date, session.topic) == (datetime.date(2026, 12, 14), "Huren")


def test_session_add_with_end_before_start_gives_field_error(staff_client, module_a):
    response = staff_client.post(
        reverse("modules:session_add", args=[module_a.pk]),
        {"date": "2026-12-14", "start_time": "13:00", "end_time": "12:00"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not module_a.sessions.exists()


def test_session_edit_page_and_post(staff_client, session_a):
    url = reverse("modules:session_edit", args=[session_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"topic": "Energie", "location": "Zaal 2"})
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert (session_a.topic, session_a.location) == ("Energie", "Zaal 2")


def test_session_move_page_and_post(staff_client, session_a):
    url = reverse("modules:session_move", args=[session_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url, {"date": "2026-12-09", "start_time": "10:00", "end_time": "12:30"}
    )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.date == datetime.date(2026, 12, 9)
    assert session_a.end_time == datetime.time(12, 30)


def test_session_cancel_page_and_post(staff_client, session_a):
    url = reverse("modules:session_cancel", args=[session_a.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"reason": "Lesgever ziek"})
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.CANCELLED
    assert session_a.cancel_reason == "Lesgever ziek"


@pytest.mark.parametrize("action", ["session_move", "session_cancel"])
def test_held_session_cannot_be_moved_or_cancelled(staff_client, session_a, action):
    session_a.status = Session.Status.HELD
    session_a.save()
    url = reverse(f"modules:{action}", args=[session_a.pk])
    response = staff_client.post(
        url,
        {"date": "2026-12-09", "start_time": "10:00", "end_time": "12:30", "reason": "x"},
        follow=True,
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    session_a.refresh_from_db()
    assert session_a.status == Session.Status.HELD
    assert session_a.date == datetime.date(2026, 12, 7)


def test_nav_links_to_modules(staff_client):
    response = staff_client.get(reverse("home"))
    assert reverse("modules:module_list") in response.content.decode()


def test_module_create_preselects_agreement_from_query_string(staff_client, partnership_a):
    url = reverse("modules:module_create")
    response = staff_client.get(url, {"partnership": partnership_a.pk})
    assert response.context["form"].initial["partnership"] == str(partnership_a.pk)
    assert staff_client.get(url, {"partnership": "'; drop"}).status_code == 200


def test_the_facilitator_list_follows_the_chosen_agreement(
    staff_client, partnership_a, partnership_b, office_a
):
    """The page holds only the chosen agreement's partners' contacts; the endpoint answers
    those of another of the office's agreements, and nothing for another office's."""
    contact = f.ContactPersonFactory(organisation=partnership_a.lead_partner, name="Jan Peeters")
    other = f.PartnershipFactory(office=office_a, title="Samenwerking Ander")
    elsewhere = f.ContactPersonFactory(organisation=other.lead_partner, name="Els Ander")
    f.ContactPersonFactory(organisation=partnership_b.lead_partner, name="Piet Gent")
    url = reverse("modules:module_create")
    blank = staff_client.get(url).content.decode()
    assert "Jan Peeters" not in blank and "Els Ander" not in blank
    assert 'data-depends-on="partnership"' in blank and "js/dependent-choice.js" in blank
    chosen = staff_client.get(url, {"partnership": partnership_a.pk}).content.decode()
    assert f'value="{contact.pk}"' in chosen and "Els Ander" not in chosen

    choices = reverse("modules:facilitator_choices")

    def names(partnership):
        response = staff_client.get(choices, {"partnership": partnership})
        return [row["text"] for row in response.json()["results"]]

    assert names(other.pk) == [str(elsewhere)]
    assert names(partnership_b.pk) == []  # another office's agreement
    assert names("x") == [] and names("") == []
