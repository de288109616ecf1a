"""The change history shown on the module, session and client pages (see
`partnerships.history`): who changed what, when, bounded, scoped like the page."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from partnerships.history import History, Source, read_history

from ..models import Enrolment, Module, Participant, Session
from .scoping import enrolments_visible_to, participants_visible_to

# The only fields of a client whose values the client page's history shows: who the client
# belongs to and the consent and erasure dates. Everything else about the person (name,
# birth date, contact details, and any field added later) shows only as "changed".
CLIENT_FIELDS_SHOWN = frozenset(
    {
        "organisation",
        "caseworker",
        "consent_date",
        "consent_recorded_by",
        "consent_withdrawn_on",
        "anonymised_at",
    }
)


def _session_label(row) -> str:
    return _("Session of %(date)s") % {"date": date_format(row.date, "SHORT_DATE_FORMAT")}


def module_history(module: Module, *, show_all: bool = False) -> History:
    """The module's changes and those of its sessions (staff of its office; the page's
    scoping applies)."""
    label = str(Module._meta.verbose_name).capitalize()
    return read_history(
        [
            Source(Module.history.filter(id=module.pk), lambda row: label),
            Source(Session.history.filter(module_id=module.pk), _session_label),
        ],
        show_all=show_all,
    )


def session_history(session: Session, *, show_all: bool = False) -> History:
    return read_history(
        [Source(Session.history.filter(id=session.pk), _session_label)], show_all=show_all
    )


def client_history(user, participant: Participant, *, show_all: bool = False) -> History:
    """A client's changes and those of the enrolments `user` may see (staff: their office's
    modules; the own organisation: all); nothing for anyone who may not see the client."""
    if not participants_visible_to(user).filter(pk=participant.pk).exists():
        return History(entries=[], has_more=False, showing_all=show_all)
    titles = dict(
        enrolments_visible_to(user)
        .filter(participant=participant)
        .values_list("pk", "module__title")
    )
    label = _("Personal data")
    return read_history(
        [
            Source(
                Participant.history.filter(id=participant.pk),
                lambda row: label,
                shown=CLIENT_FIELDS_SHOWN,
            ),
            Source(
                Enrolment.history.filter(id__in=list(titles)),
                lambda row: _("Enrolment in %(module)s") % {"module": titles.get(row.id, "")},
                personal=frozenset({"withdrawal_reason"}),
            ),
        ],
        show_all=show_all,
    )
