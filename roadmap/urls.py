"""Roadmap URLs under /<tenant_slug>/: peta-jalan/ (roadmap, priorities, coverage, PDF) and rpjmd/."""

from django.urls import path

from . import views

app_name = "roadmap"

urlpatterns = [
    path("peta-jalan/", views.index, name="index"),
    path("peta-jalan/baru/", views.roadmap_create, name="roadmap_create"),
    path("peta-jalan/<int:roadmap_pk>/pdf/", views.roadmap_pdf, name="pdf"),
    path("peta-jalan/<int:roadmap_pk>/prioritas/baru/", views.priority_create, name="priority_create"),
    path("peta-jalan/prioritas/<int:priority_pk>/", views.priority, name="priority"),
    path("peta-jalan/prioritas/<int:priority_pk>/csv/", views.priority_csv, name="priority_csv"),
    path("peta-jalan/prioritas/<int:priority_pk>/program/", views.priority_programs, name="priority_programs"),
    path("peta-jalan/prioritas/<int:priority_pk>/ubah/", views.priority_edit, name="priority_edit"),
    path("peta-jalan/prioritas/<int:priority_pk>/geser/", views.priority_move, name="priority_move"),
    path("peta-jalan/prioritas/<int:priority_pk>/hapus/", views.priority_delete, name="priority_delete"),
    path("peta-jalan/prioritas/<int:priority_pk>/target/", views.priority_targets, name="priority_targets"),
    path("peta-jalan/ringkasan.csv", views.dashboard_csv, name="dashboard_csv"),
    path("rpjmd/", views.rpjmd, name="rpjmd"),
    path("rpjmd/baru/", views.rpjmd_create, name="rpjmd_create"),
    path("rpjmd/impor/", views.import_rpjmd, name="import"),
    path("rpjmd/indikator/<int:indicator_pk>/", views.indicator_values, name="indicator_values"),
    path("rpjmd/<str:level>/<int:pk>/tambah/", views.node_create, name="node_create"),  # pk: the parent element
    path("rpjmd/<str:level>/<int:pk>/ubah/", views.node_edit, name="node_edit"),
    path("rpjmd/<str:level>/<int:pk>/geser/", views.node_move, name="node_move"),
    path("rpjmd/<str:level>/<int:pk>/hapus/", views.node_delete, name="node_delete"),
]
