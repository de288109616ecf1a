"""Mail about clients: queued in the transaction, never lost when SMTP is down, and sent only
to the caseworkers who today work at the client's organisation (issue 9 finding 8, issue 8
item 4)."""

import datetime
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from post_office.models import STATUS, Email

from modules.models import Enrolment
from modules.services import cancel_module, withdraw
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- who is told ----------------------------------------------------------------------------


@pytest.fixture
def colleague_a(organisation_a):
    user = f.UserFactory(username="colleague_a", email="colleague_a@example.be")
    f.MembershipFactory(user=user, role="caseworker", office=None, organisation=organisation_a)
    return user


def gone(user, how, organisation_b):
    """The caseworker left (deactivated) or moved to organisation B."""
    if how == "deactivated":
        user.is_active = False
        user.save()
    else:
        user.membership.organisation = organisation_b
        user.membership.save()


def client_of(caseworker, organisation, module, **kwargs):
    return f.EnrolmentFactory(
        module=module,
        participant__organisation=organisation,
        participant__caseworker=caseworker,
        participant__first_name="Amina",
        **kwargs,
    )


@pytest.mark.parametrize("how", ["deactivated", "moved"])
def test_cancellation_mail_goes_to_the_organisations_caseworkers_of_today(
    how,
    partnership_a,
    organisation_a,
    organisation_b,
    caseworker_a,
    colleague_a,
    caseworker_b,
    staff_a,
    django_capture_on_commit_callbacks,
):
    module = f.ModuleFactory(partnership=partnership_a)
    client_of(caseworker_a, organisation_a, module)
    gone(caseworker_a, how, organisation_b)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_module(module=module, reason="Geen lesgever", by=staff_a)

    assert [m.to for m in mail.outbox] == [[colleague_a.email]]
    assert "Amina" in mail.outbox[0].body
    everyone = " ".join(" ".join(m.to) for m in mail.outbox)
    assert caseworker_a.email not in everyone and caseworker_b.email not in everyone


def test_cancellation_mail_goes_to_the_own_caseworker_only_while_they_are_there(
    partnership_a,
    organisation_a,
    caseworker_a,
    colleague_a,
    staff_a,
    django_capture_on_commit_callbacks,
):
    module = f.ModuleFactory(partnership=partnership_a)
    client_of(caseworker_a, organisation_a, module)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_module(module=module, reason="Geen lesgever", by=staff_a)

    assert [m.to for m in mail.outbox] == [[caseworker_a.email]]


@pytest.mark.parametrize("how", ["deactivated", "moved"])
def test_promotion_mail_follows_the_same_rule(
    how,
    partnership_a,
    organisation_a,
    organisation_b,
    caseworker_a,
    colleague_a,
    django_capture_on_commit_callbacks,
):
    module = f.ModuleFactory(partnership=partnership_a, capacity=1)
    leaving = client_of(colleague_a, organisation_a, module)
    waiting = client_of(
        caseworker_a,
        organisation_a,
        module,
        status=Enrolment.Status.WAITLISTED,
        waitlist_position=1,
    )
    gone(caseworker_a, how, organisation_b)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw(enrolment=leaving, by=colleague_a)

    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    assert [m.to for m in mail.outbox] == [[colleague_a.email]]


def test_a_rolled_back_change_sends_nothing(partnership_a, organisation_a, caseworker_a, staff_a):
    module = f.ModuleFactory(partnership=partnership_a)
    client_of(caseworker_a, organisation_a, module)
    with pytest.raises(RuntimeError), __import__("django").db.transaction.atomic():
        cancel_module(module=module, reason="Geen lesgever", by=staff_a)
        raise RuntimeError("something after the cancellation failed")
    assert not Email.objects.exists()
    assert mail.outbox == []


# --- SMTP down: nothing lost; SMTP back: sent once ----------------------------------------


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def free_port() -> int:
    """A free port in this engineer's range (8200–8299, /work/coord/README.md)."""
    for port in range(8250, 8300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in 8250–8299")


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.MAIL_SEND_ON_COMMIT = True
    inbox = Inbox()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    yield server, inbox
    if getattr(server, "_thread", None) is not None:
        server.stop()


# Transactional: the worker command closes its database connection after each round, as a
# long-running process should, which a test wrapped in one transaction cannot survive.
@pytest.mark.django_db(transaction=True)
def test_smtp_down_loses_nothing_and_smtp_back_sends_once(
    smtp,
    time_machine,
    client,
    admin,
    partnership_a,
    organisation_a,
    caseworker_a,
    staff_a,
):
    server, inbox = smtp
    time_machine.move_to(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC), tick=False)
    module = f.ModuleFactory(partnership=partnership_a)
    client_of(caseworker_a, organisation_a, module)

    # SMTP is down: the cancellation goes through (its commit also tries to send at once,
    # MAIL_SEND_ON_COMMIT), the mail waits in the queue.
    cancel_module(module=module, reason="Geen lesgever", by=staff_a)
    call_command("send_queued_mail", processes=1)
    [queued] = Email.objects.all()
    assert queued.to == [caseworker_a.email]
    assert queued.status in (STATUS.queued, STATUS.requeued)
    assert inbox.messages == []

    # The administrator sees it waiting, with the reason of the failed attempt.
    client.force_login(admin)
    page = client.get(reverse("admin:post_office_email_changelist")).content.decode()
    assert caseworker_a.email in page
    detail = client.get(reverse("admin:post_office_email_change", args=[queued.pk]))
    assert "Connection refused" in detail.content.decode() or "Errno" in detail.content.decode()

    # SMTP is back; after the retry interval the worker sends it, once.
    server.start()
    time_machine.move_to(datetime.datetime(2026, 11, 29, 11, tzinfo=datetime.UTC), tick=False)
    call_command("send_queued_mail", processes=1)
    call_command("send_queued_mail", processes=1)

    queued.refresh_from_db()
    assert queued.status == STATUS.sent
    assert len(inbox.messages) == 1
    recipients, content = inbox.messages[0]
    assert recipients == [caseworker_a.email]
    assert "Amina" in content


def test_mail_is_in_dutch_whatever_the_screen_language(
    partnership_a, organisation_a, caseworker_a, staff_a, django_capture_on_commit_callbacks
):
    from django.utils import translation

    module = f.ModuleFactory(partnership=partnership_a, title="Wonen")
    client_of(caseworker_a, organisation_a, module)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        cancel_module(module=module, reason="Geen lesgever", by=staff_a)
    assert mail.outbox[0].subject == "Module geannuleerd: Wonen"
