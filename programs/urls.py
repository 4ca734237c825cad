"""Program URLs under /<tenant_slug>/ (program list, pages, import/export, timeline, public catalogue)."""

from django.urls import path

from . import browse_views, views

app_name = "programs"

urlpatterns = [
    path("program/", views.program_list, name="list"),
    path("program/baru/", views.program_create, name="create"),
    path("program/ekspor/", views.program_export, name="export"),
    path("program/impor/", views.program_import, name="import"),
    path("program/linimasa/", browse_views.program_timeline, name="timeline"),
    path("katalog/", browse_views.catalogue, name="catalogue"),
    path("program/<str:ref>/", views.program_detail, name="detail"),
    path("program/<str:ref>/ubah/", views.program_edit, name="edit"),
    path("program/<str:ref>/status/", views.program_transition, name="transition"),
    path("program/<str:ref>/hapus/", views.program_delete, name="delete"),
    path("program/<str:ref>/komentar/", views.program_comment, name="comment"),
]

# Overlap pages (flags, live hint, gap analysis, synonyms): fixed paths first so no ref shadows them.
from .overlap_urls import urlpatterns as overlap_urlpatterns  # noqa: E402

urlpatterns = overlap_urlpatterns + urlpatterns
