from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import account, health, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("account/", account.account, name="account"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/two-factor/", include("twofactor.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    path("", include("modules.urls")),
    path("", include("api.urls")),
]

if settings.BENCH_STATS:  # the load benchmark's floor view (bench/README.md)
    urlpatterns.append(path("bench/floor", health.floor, name="bench_floor"))
