"""Directory and organisation pages under /<tenant_slug>/lembaga/."""

from django.urls import path

from . import views

app_name = "stakeholders"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("baru/", views.organization_create, name="organization_create"),
    path("ajukan/", views.organization_request, name="request"),
    path("pengajuan/", views.organization_requests, name="requests"),
    path("pengajuan/<int:pk>/setujui/", views.organization_request_decide, {"decision": "approve"},
         name="request_approve"),
    path("pengajuan/<int:pk>/tolak/", views.organization_request_decide, {"decision": "decline"},
         name="request_decline"),
    path("riwayat/", views.audit_log, name="audit"),
    path("gabung/<str:token>/", views.invitation_accept, name="invitation"),
    path("undangan/<int:pk>/kirim-ulang/", views.invitation_resend, name="invitation_resend"),
    path("undangan/<int:pk>/batalkan/", views.invitation_revoke, name="invitation_revoke"),
    path("anggota/<int:pk>/peran/", views.membership_role, name="membership_role"),
    path("anggota/<int:pk>/hapus/", views.membership_remove, name="membership_remove"),
    path("<int:pk>/", views.organization_detail, name="organization"),
    path("<int:pk>/ubah/", views.organization_edit, name="organization_edit"),
    path("<int:pk>/orang/", views.people, name="people"),
]
