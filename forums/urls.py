"""Forum URLs under /<tenant_slug>/: forums, meetings, agenda, attendance, documents, public verification."""

from django.urls import path

from . import views

app_name = "forums"

urlpatterns = [
    path("forum/", views.forum_index, name="list"),
    path("forum/<int:forum_pk>/", views.forum_detail, name="detail"),
    path("forum/<int:forum_pk>/antrean/", views.review_queue, name="queue"),
    path("forum/rapat/<int:meeting_pk>/", views.meeting_detail, name="meeting"),
    path("forum/rapat/<int:meeting_pk>/ubah/", views.meeting_edit, name="meeting_edit"),
    path("forum/rapat/<int:meeting_pk>/duplikat/", views.meeting_duplicate, name="meeting_duplicate"),
    path("forum/rapat/<int:meeting_pk>/kirim-undangan/", views.meeting_invite, name="meeting_invite"),
    path("forum/rapat/<int:meeting_pk>/status/", views.meeting_status, name="meeting_status"),
    path("forum/rapat/<int:meeting_pk>/ralat/", views.meeting_amend, name="meeting_amend"),
    path("forum/rapat/<int:meeting_pk>/undangan/", views.invitee_add, name="invitee_add"),
    path("forum/undangan/<int:invitee_pk>/hapus/", views.invitee_remove, name="invitee_remove"),
    path("forum/rapat/<int:meeting_pk>/hadir/", views.attendance_add, name="attendance_add"),
    path("forum/kehadiran/<int:attendance_pk>/hapus/", views.attendance_remove, name="attendance_remove"),
    path("forum/rapat/<int:meeting_pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("forum/agenda/<int:agendaitem_pk>/", views.agenda_item_action, name="agenda_item"),
    path("forum/lampiran/<int:agendaattachment_pk>/", views.attachment_download, name="attachment"),
    path("forum/rapat/<int:meeting_pk>/pdf/<str:kind>/", views.meeting_pdf, name="pdf"),
    path("forum/rapat/<int:meeting_pk>/rapat.ics", views.meeting_calendar, name="ics"),
    path("forum/rapat/<int:meeting_pk>/check-in/<str:checkin_code>/", views.checkin, name="checkin"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
