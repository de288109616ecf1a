from django.urls import path

from . import queries
from .views import account, participants, planning, requests, sheets

app_name = "modules"

# --- planning (staff): modules, sessions, attendance, certificates ---
planning_urls = [
    path("modules/", planning.ModuleListView.as_view(), name="module_list"),
    path("modules/new/", planning.ModuleCreateView.as_view(), name="module_create"),
    path("modules/<int:pk>/", planning.ModuleDetailView.as_view(), name="module_detail"),
    path("modules/<int:pk>/edit/", planning.ModuleUpdateView.as_view(), name="module_edit"),
    path("modules/<int:pk>/cancel/", planning.ModuleCancelView.as_view(), name="module_cancel"),
    path("modules/<int:pk>/close/", planning.ModuleCloseView.as_view(), name="module_close"),
    path(
        "modules/<int:pk>/enrolment/open/",
        planning.ModuleEnrolmentView.as_view(open=True),
        name="module_open_enrolment",
    ),
    path(
        "modules/<int:pk>/enrolment/close/",
        planning.ModuleEnrolmentView.as_view(open=False),
        name="module_close_enrolment",
    ),
    path("modules/<int:pk>/sessions/new/", planning.SessionAddView.as_view(), name="session_add"),
    path(
        "modules/<int:pk>/sessions/series/",
        planning.SessionGenerateView.as_view(),
        name="session_generate",
    ),
    path("sessions/<int:pk>/edit/", planning.SessionEditView.as_view(), name="session_edit"),
    path("sessions/<int:pk>/move/", planning.SessionMoveView.as_view(), name="session_move"),
    path("sessions/<int:pk>/cancel/", planning.SessionCancelView.as_view(), name="session_cancel"),
    path("sessions/<int:pk>/attendance/", planning.AttendanceView.as_view(), name="attendance"),
    path("sessions/<int:pk>/sheet/", sheets.SessionSheetView.as_view(), name="session_sheet"),
    path("modules/<int:pk>/sheet/", sheets.ModuleSheetView.as_view(), name="module_sheet"),
    path(
        "enrolments/<int:pk>/manage/",
        planning.EnrolmentManageView.as_view(),
        name="enrolment_manage",
    ),
    path(
        "enrolments/<int:pk>/certificate/",
        planning.CertificateView.as_view(),
        name="certificate",
    ),
]

# --- offer requests and evaluations (staff) ---
request_urls = [
    path("requests/", requests.OfferRequestListView.as_view(), name="offer_request_list"),
    path("requests/new/", requests.OfferRequestCreateView.as_view(), name="offer_request_create"),
    path(
        "requests/<int:pk>/", requests.OfferRequestDetailView.as_view(), name="offer_request_detail"
    ),
    path(
        "requests/<int:pk>/review/",
        requests.OfferRequestReviewView.as_view(),
        name="offer_request_review",
    ),
    path(
        "requests/<int:pk>/plan/",
        requests.OfferRequestPlanView.as_view(),
        name="offer_request_plan",
    ),
    path(
        "requests/<int:pk>/module/",
        requests.OfferRequestModuleView.as_view(),
        name="offer_request_module",
    ),
    # Search-as-you-type for the module form's and the plan form's long choices.
    path(
        "modules/choices/agreements/",
        requests.FormChoicesView.as_view(choices=queries.module_partnership_choices),
        name="module_partnership_choices",
    ),
    path(
        "requests/choices/agreements/",
        requests.FormChoicesView.as_view(choices=queries.plan_partnership_choices),
        name="plan_partnership_choices",
    ),
    path(
        "requests/choices/modules/",
        requests.FormChoicesView.as_view(choices=queries.plan_module_choices),
        name="plan_module_choices",
    ),
    path(
        "modules/choices/facilitators/",
        requests.FormChoicesView.as_view(choices=queries.facilitator_choices, param="partnership"),
        name="facilitator_choices",
    ),
    path(
        "requests/choices/contacts/",
        requests.FormChoicesView.as_view(choices=queries.request_contact_choices, param="partner"),
        name="request_contact_choices",
    ),
    path(
        "requests/<int:pk>/decline/",
        requests.OfferRequestDeclineView.as_view(),
        name="offer_request_decline",
    ),
    path("evaluations/", requests.EvaluationListView.as_view(), name="evaluation_list"),
    path(
        "evaluations/new/agreement/<int:partnership_pk>/",
        requests.EvaluationAddView.as_view(),
        name="evaluation_add_partnership",
    ),
    path(
        "evaluations/new/module/<int:module_pk>/",
        requests.EvaluationAddView.as_view(),
        name="evaluation_add_module",
    ),
]

# --- participants (caseworkers): clients, open modules, enrolment ---
participant_urls = [
    path("clients/", participants.ClientListView.as_view(), name="participant_list"),
    path("clients/new/", participants.ClientCreateView.as_view(), name="participant_create"),
    path("clients/<int:pk>/", participants.ClientDetailView.as_view(), name="participant_detail"),
    path(
        "clients/<int:pk>/edit/", participants.ClientUpdateView.as_view(), name="participant_edit"
    ),
    path(
        "clients/<int:pk>/reveal/",
        participants.RevealNationalNumberView.as_view(),
        name="participant_reveal",
    ),
    path("clients/<int:pk>/export/", participants.ExportView.as_view(), name="participant_export"),
    path(
        "clients/<int:pk>/export/document/",
        participants.ExportDocumentView.as_view(),
        name="participant_export_document",
    ),
    path(
        "clients/<int:pk>/erase/", participants.ClientEraseView.as_view(), name="participant_erase"
    ),
    path(
        "clients/<int:pk>/consent/withdraw/",
        participants.ClientConsentWithdrawView.as_view(),
        name="participant_consent_withdraw",
    ),
    path(
        "clients/<int:pk>/enrol/", participants.ClientEnrolView.as_view(), name="participant_enrol"
    ),
    path("open-modules/", participants.OpenModuleListView.as_view(), name="open_module_list"),
    path(
        "open-modules/<int:pk>/",
        participants.OpenModuleDetailView.as_view(),
        name="open_module_detail",
    ),
    path(
        "enrolments/<int:pk>/withdraw/",
        participants.WithdrawView.as_view(),
        name="enrolment_withdraw",
    ),
]

# --- reports (managers, staff) ---
from .views import reports as report_views  # noqa: E402

report_urls = [
    path("reports/yearly/", report_views.YearlyReportView.as_view(), name="yearly_report"),
    path(
        "reports/partners/choices/",
        report_views.ReportPartnerChoicesView.as_view(),
        name="report_partner_choices",
    ),
]

# --- the account page's mail settings ---
account_urls = [
    path("account/mail/", account.MailPreferencesView.as_view(), name="mail_preferences"),
]

urlpatterns = planning_urls + request_urls + participant_urls + report_urls + account_urls
