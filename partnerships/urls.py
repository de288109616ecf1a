from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner_list"),
    path("partners/choices/", views.PartnerChoicesView.as_view(), name="partner_choices"),
    path("agreements/choices/", views.PartnershipChoicesView.as_view(), name="partnership_choices"),
    path("partners/add/", views.PartnerFormView.as_view(), name="partner_create"),
    path("partners/<int:pk>/", views.PartnerDetailView.as_view(), name="partner_detail"),
    path("partners/<int:pk>/edit/", views.PartnerFormView.as_view(), name="partner_update"),
    path("partners/<int:pk>/active/", views.PartnerActiveView.as_view(), name="partner_active"),
    path("agreements/", views.PartnershipListView.as_view(), name="partnership_list"),
    path("agreements/add/", views.PartnershipFormView.as_view(), name="partnership_create"),
    path("agreements/<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership_detail"),
    path(
        "agreements/<int:pk>/edit/",
        views.PartnershipFormView.as_view(),
        name="partnership_update",
    ),
    path(
        "agreements/<int:pk>/delete/",
        views.PartnershipDeleteView.as_view(),
        name="partnership_delete",
    ),
    path(
        "agreements/<int:pk>/document/",
        views.AgreementUploadView.as_view(),
        name="partnership_document",
    ),
    path(
        "agreements/<int:pk>/document/download/",
        views.AgreementDownloadView.as_view(),
        name="partnership_document_download",
    ),
]
