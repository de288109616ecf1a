from django.urls import path  # noqa: F401

app_name = "modules"

# --- planning (staff) ---
planning_urls = []

# --- participants (caseworkers) ---
participant_urls = []

# --- reports (managers) ---
report_urls = []

urlpatterns = planning_urls + participant_urls + report_urls
