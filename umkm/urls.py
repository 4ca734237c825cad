"""URLs of the UMKM registry, under /<tenant_slug>/umkm/."""

from django.urls import path

from . import views

app_name = "umkm"

urlpatterns = [
    path("umkm/", views.business_list, name="list"),
    path("umkm/cari/", views.business_search, name="search"),
    path("umkm/baru/", views.business_create, name="create"),
    path("umkm/impor/", views.business_import, name="import"),
    path("umkm/ekspor/", views.business_export, name="export"),
    path("umkm/belum-terlayani/", views.underserved, name="underserved"),
    path("umkm/program/<str:ref>/peserta/", views.program_enrollments, name="enroll"),
    path("umkm/peserta/<int:pk>/", views.enrollment_update, name="enrollment_update"),
    path("umkm/<str:nib>/", views.business_detail, name="detail"),
    path("umkm/<str:nib>/ubah/", views.business_edit, name="edit"),
    path("umkm/<str:nib>/koreksi-nib/", views.nib_correct, name="nib_correct"),
    path("umkm/<str:nib>/capaian/", views.outcome_add, name="outcome_add"),
    path("umkm/<str:nib>/persetujuan/", views.consent_record, name="consent"),
]
