"""Reads for the modules app, one file per concern; import them from here.

`scoping` holds the one function per model that says what a user may see; every view,
export and report builds on it. The package replaced one queries.py when it passed 800
lines.
"""

from .attendance_sheet import module_sheet, session_sheet  # noqa: F401, E402
from .history import (  # noqa: F401
    client_history,
    module_history,
    session_history,
)
from .participants import (  # noqa: F401
    ACCESS_LOG_LIMIT,
    CURRENT_ENROLMENT_STATUSES,
    active_clients_for,
    caseworker_emails_for,
    client_detail,
    clients_by_caseworker_email,
    clients_for,
    data_access_log,
    enrollable_clients_for,
    enrolment_for_withdrawal,
    home_clients_for,
    mail_kinds_off_for,
    open_module_detail,
    open_modules_for,
    open_modules_for_client,
    participants_to_anonymise,
    search_clients,
)
from .planning import (  # noqa: F401
    ATTENDEE_STATUSES,
    attendance_enrolments,
    certificate_enrolment,
    group_enrolments,
    planning_module_detail,
    planning_modules_for,
    planning_session,
    staff_enrolment,
)
from .report_page import report_totals  # noqa: F401
from .reports import (  # noqa: F401
    BREAKDOWNS,
    DEFAULT_BREAKDOWN,
    REPORT_COLUMNS,
    REPORT_ENROLMENT_STATUSES,
    REPORT_MAX_YEAR,
    REPORT_MAX_YEARS,
    REPORT_MIN_YEAR,
    Breakdown,
    ReportFilters,
    ReportResult,
    ReportRow,
    default_report_years,
    report_partners_for,
    yearly_counts,
    yearly_totals,
)
from .scoping import (  # noqa: F401
    TAKEN_PLACE_STATUSES,
    count_participants_visible_to,
    enrollable_modules,
    enrolments_visible_to,
    evaluations_visible_to,
    modules_visible_to,
    offer_requests_visible_to,
    participants_visible_to,
    sees_whole_record,
    sessions_visible_to,
    taken_places,
    with_places,
)
from .staff_home import (  # noqa: F401
    current_agreement_for_request,
    evaluation_list,
    facilitator_choices,
    facilitator_contacts,
    module_partnership_choices,
    module_partnerships,
    modules_open_for_enrolment,
    modules_without_teacher,
    offer_request_detail,
    offer_request_list,
    offer_requests_open,
    plan_module_choices,
    plan_module_label,
    plan_partnership_choices,
    plannable_modules,
    plannable_partnerships,
    request_contact_choices,
    sessions_in_week,
    week_bounds,
)
