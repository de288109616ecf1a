from django.urls import path  # noqa: F401

app_name = "modules"

# --- planning (staff): modules, sessions, attendance, certificates ---
planning_urls = []

# --- offer requests and evaluations (staff) ---
request_urls = []

# --- participants (caseworkers): clients, open modules, enrolment ---
participant_urls = []

# --- reports (managers, staff) ---
report_urls = []

urlpatterns = planning_urls + request_urls + participant_urls + report_urls
