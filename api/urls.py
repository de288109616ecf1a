"""The api app's URLs: the REST API with its schema and documentation, the account page's
token and calendar actions, the calendar feed and the client import."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from .views import account, calendar, docs, imports, rest

app_name = "api"

router = SimpleRouter()
router.register("modules", rest.ModuleViewSet, basename="module")
router.register("sessions", rest.SessionViewSet, basename="session")
router.register("open-modules", rest.OpenModuleViewSet, basename="open-module")
router.register("clients", rest.ClientViewSet, basename="client")
router.register("enrolments", rest.EnrolmentViewSet, basename="enrolment")
router.register("partners", rest.PartnerViewSet, basename="partner")
router.register("agreements", rest.AgreementViewSet, basename="agreement")
router.register("plan-targets", rest.PlanTargetViewSet, basename="plan-target")

rest_urls = [
    *router.urls,
    path("reports/yearly/", rest.YearlyReportView.as_view(), name="yearly-report"),
]

urlpatterns = [
    path("api/v1/", include(rest_urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs.ApiDocsView.as_view(), name="docs"),
    # the account page's sections (the page itself is integratie's /account/)
    path("account/api-tokens/", account.TokenCreateView.as_view(), name="token_create"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        account.TokenRevokeView.as_view(),
        name="token_revoke",
    ),
    path("account/calendar/", account.CalendarFeedCreateView.as_view(), name="calendar_create"),
    path(
        "account/calendar/revoke/",
        account.CalendarFeedRevokeView.as_view(),
        name="calendar_revoke",
    ),
    path("calendar/<str:secret>.ics", calendar.calendar_feed, name="calendar_feed"),
    # client import (caseworkers)
    path("clients/import/", imports.ImportUploadView.as_view(), name="client_import"),
    path(
        "clients/import/template.xlsx",
        imports.ImportTemplateView.as_view(file_format="xlsx"),
        name="client_import_template_xlsx",
    ),
    path(
        "clients/import/template.csv",
        imports.ImportTemplateView.as_view(file_format="csv"),
        name="client_import_template_csv",
    ),
    path(
        "clients/import/<int:pk>/",
        imports.ImportPreviewView.as_view(),
        name="client_import_preview",
    ),
]
