"""Overlap URLs, prepended to programs/urls.py so fixed paths (program/mirip/) come before program/<ref>/."""

from django.urls import path

from . import overlap_views

urlpatterns = [
    path("program/mirip/", overlap_views.similar_programs, name="similar"),
    path("program/analisis-kesenjangan/", overlap_views.gap_analysis, name="gaps"),
    path("program/tumpang-tindih/", overlap_views.overlap_flag_list, name="overlap_flags"),
    path("program/<str:ref>/tumpang-tindih/<int:overlapflag_pk>/", overlap_views.overlap_flag, name="overlap_flag"),
    path(
        "program/<str:ref>/tumpang-tindih/<int:overlapflag_pk>/jawab/", overlap_views.overlap_flag_answer,
        name="overlap_flag_answer",
    ),
]
