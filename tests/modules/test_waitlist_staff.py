"""Agency staff manage a module's waiting list: move up/down, enrol into a free place,
withdraw on the caseworker's request, each with a reason in the history and a mail to the
client's caseworker; a raised capacity shows who moved up."""

import pytest
from django.urls import reverse
from post_office.models import Email

from modules.models import Enrolment, MailKind, MailOptOut, Module
from modules.services import (
    DomainError,
    enrol,
    enrol_from_waitlist,
    move_on_waitlist,
    withdraw,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(partnership_a):
    return f.ModuleFactory(partnership=partnership_a, capacity=1, title="MO wonen")


@pytest.fixture
def queue(module, organisation_a, caseworker_a):
    """One enrolled and three waitlisted clients (Anna first, then Bram, then Chris)."""
    names = ["Zora", "Anna", "Bram", "Chris"]
    enrolments = []
    for name in names:
        client = f.ParticipantFactory(
            first_name=name,
            last_name="Peeters",
            organisation=organisation_a,
            caseworker=caseworker_a,
        )
        enrolments.append(enrol(participant=client, module=module, by=caseworker_a))
    return enrolments


def _order(module):
    waiting = Enrolment.objects.filter(module=module, status="waitlisted")
    return [e.participant.first_name for e in waiting.order_by("waitlist_position")]


def _mails_to(address):
    return [m for m in Email.objects.all() if address in m.to]


def test_staff_move_a_client_up_with_a_reason_in_history_and_mail(
    module, queue, staff_a, caseworker_a
):
    bram = queue[2]
    move_on_waitlist(enrolment=bram, up=True, by=staff_a, reason="Dringende nood")
    assert _order(module) == ["Bram", "Anna", "Chris"]
    last = Enrolment.history.filter(id=bram.pk).order_by("-history_id").first()
    assert last.history_change_reason == "Dringende nood"
    assert last.history_user == staff_a
    mails = _mails_to(caseworker_a.email)
    assert any("Bram Peeters" in m.message and "nummer 1" in m.message for m in mails)
    assert any("Dringende nood" in m.message for m in mails)


def test_staff_move_down_and_the_ends_refuse(module, queue, staff_a):
    move_on_waitlist(enrolment=queue[1], up=False, by=staff_a, reason="Op vraag")
    assert _order(module) == ["Bram", "Anna", "Chris"]
    with pytest.raises(DomainError):
        move_on_waitlist(enrolment=queue[3], up=False, by=staff_a, reason="x")
    with pytest.raises(DomainError):
        move_on_waitlist(enrolment=queue[2], up=True, by=staff_a, reason="x")
    with pytest.raises(DomainError):
        move_on_waitlist(enrolment=queue[2], up=False, by=staff_a, reason="  ")


def test_only_staff_of_the_modules_office_manage_its_waiting_list(
    module, queue, staff_b, caseworker_a
):
    for user in (staff_b, caseworker_a):
        with pytest.raises(DomainError):
            move_on_waitlist(enrolment=queue[2], up=True, by=user, reason="x")
    assert _order(module) == ["Anna", "Bram", "Chris"]


def test_enrol_from_the_waiting_list_needs_a_free_place(module, queue, staff_a, caseworker_a):
    with pytest.raises(DomainError, match="free place|vrije plaats"):
        enrol_from_waitlist(enrolment=queue[3], by=staff_a, reason="Voorrang")
    Module.objects.filter(pk=module.pk).update(capacity=2)  # a place without the promotion
    enrol_from_waitlist(enrolment=queue[3], by=staff_a, reason="Voorrang")
    queue[3].refresh_from_db()
    assert queue[3].status == "enrolled"
    assert _order(module) == ["Anna", "Bram"]
    assert any("Chris Peeters" in m.message for m in _mails_to(caseworker_a.email))


def test_staff_withdraw_needs_the_caseworkers_reason_and_tells_them(
    module, queue, staff_a, caseworker_a
):
    with pytest.raises(DomainError):
        withdraw(enrolment=queue[0], by=staff_a, reason="")
    withdraw(enrolment=queue[0], by=staff_a, reason="Vond werk")
    queue[0].refresh_from_db()
    assert queue[0].status == "withdrawn" and queue[0].withdrawal_reason == "Vond werk"
    assert _order(module) == ["Bram", "Chris"]  # Anna got the freed place
    messages = [m.message for m in _mails_to(caseworker_a.email)]
    assert any("Zora Peeters" in m and "Vond werk" in m for m in messages)


def test_the_module_page_offers_staff_the_waiting_list_actions(
    client, module, queue, staff_a, staff_b
):
    client.force_login(staff_a)
    page = client.get(reverse("modules:module_detail", args=[module.pk])).text
    for enrolment in queue:
        assert reverse("modules:enrolment_manage", args=[enrolment.pk]) in page
    url = reverse("modules:enrolment_manage", args=[queue[2].pk])
    response = client.post(url, {"action": "up", "reason": "Dringend"})
    assert response.status_code == 302
    assert _order(module) == ["Bram", "Anna", "Chris"]
    response = client.post(url, {"action": "up", "reason": ""})
    assert response.status_code == 400
    assert "reden" in response.text.lower() or "reason" in response.text.lower()
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "withdraw", "reason": "x"}).status_code == 404


def test_raising_capacity_shows_who_was_promoted(client, module, queue, staff_a):
    client.force_login(staff_a)
    url = reverse("modules:module_edit", args=[module.pk])
    form = client.get(url).context["form"]
    data = {
        name: form.initial.get(name)
        for name in form.fields
        if form.initial.get(name) not in (None, [], "")
    }
    data["themes"] = [t.pk for t in module.themes.all()] or [f.ThemeFactory().pk]
    data["capacity"] = 3
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert "2 cliënten schoven op" in text or "2 clients moved up" in text
    alert = text.split('class="alert alert-success" role="status"')[-1].split("</div>")[0]
    assert "Anna Peeters" in alert and "Bram Peeters" in alert
    assert "Chris Peeters" not in alert
    # Shown once: the next visit is the plain page.
    again = client.get(reverse("modules:module_detail", args=[module.pk])).text
    assert 'class="alert alert-success" role="status"' not in again


def test_the_waiting_list_mail_follows_its_own_switch_on_the_account_page(
    module, queue, staff_a, caseworker_a
):
    """Staff's waiting-list mails are the kind "waitlist": switching off another kind does
    not stop them, switching off this one does."""
    MailOptOut.objects.create(user=caseworker_a, kind=MailKind.ENROLMENT)
    Email.objects.all().delete()
    move_on_waitlist(enrolment=queue[2], up=True, by=staff_a, reason="Dringende nood")
    assert any("Dringende nood" in m.message for m in _mails_to(caseworker_a.email))

    MailOptOut.objects.create(user=caseworker_a, kind=MailKind.WAITLIST)
    Email.objects.all().delete()
    move_on_waitlist(enrolment=queue[2], up=False, by=staff_a, reason="Terug")
    assert _mails_to(caseworker_a.email) == []
