"""Writes for the modules app, one file per concern; import them from here.

Each function validates, changes state in a transaction, and returns the result or raises
`DomainError` with a translated message (STYLE.md). The package replaced one services.py
when it passed 800 lines.
"""

from .enrolment import (  # noqa: F401
    enrol,
    enrol_from_waitlist,
    fill_free_places,
    move_on_waitlist,
    withdraw,
)
from .errors import (  # noqa: F401
    DomainError,
)
from .lifecycle import (  # noqa: F401
    cancel_module,
    close_enrolment,
    close_module,
    completion_status,
    open_enrolment,
)
from .mail import (  # noqa: F401
    queue_mail,
    set_mail_preferences,
)
from .personal_data import (  # noqa: F401
    ANONYMISED_FIRST_NAME,
    DAILY_NUMBER_MATCH_LIMIT,
    NATIONAL_NUMBER_TAKEN,
    anonymise_inactive,
    erase_participant,
    export_personal_data,
    personal_data_document,
    register_participant,
    reveal_national_register_number,
    update_participant,
    withdraw_consent,
)
from .planning import (  # noqa: F401
    FLEMISH_COMMUNITY_DAY,
    MAX_SERIES_DAYS,
    MAX_SERIES_SESSIONS,
    MAX_SERIES_YEAR,
    MIN_SERIES_YEAR,
    SessionRule,
    add_session,
    cancel_session,
    capacity_error,
    check_attendance,
    closed_day,
    closed_day_warning,
    generate_sessions,
    move_session,
    plan_session_dates,
    public_holidays,
    record_attendance,
    save_module,
    series_errors,
    update_session,
)
from .requests import (  # noqa: F401
    add_evaluation,
    create_offer_request,
    decline_offer_request,
    plan_module_for_request,
    plan_offer_request,
    review_offer_request,
)
