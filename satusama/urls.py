"""Global URLs (accounts, admin, language) and the tenant URLs under /<tenant_slug>/."""

from django.contrib import admin
from django.urls import include, path, re_path

from . import views

# Each app's urls.py spells its own prefixes (programs/, katalog/, forum/, …) under /<tenant_slug>/.
tenant_patterns = [
    path("", views.tenant_home, name="home"),
    path("lembaga/", include("stakeholders.urls")),
    path("", include("roadmap.urls")),
    path("", include("programs.urls")),
    path("", include("umkm.urls")),
    path("", include("forums.urls")),
]

# The admin signs in through allauth's login page: same rate limits, same two-factor step.
admin.site.login = views.admin_login
admin.site.site_header = "SATUSAMA"
admin.site.site_title = "SATUSAMA"

handler403 = "satusama.views.permission_denied"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("health/", views.health, name="health"),
    # Logos are served by Django in every mode, with safe headers (a proxy may serve /media/logos/ the same way).
    re_path(r"^media/(?P<folder>logos)/(?P<name>[A-Za-z0-9_.-]+)$", views.public_media,
            name="public_media"),
    path("admin/", admin.site.urls),
    # allauth's pages with the e-mail's delivery state added; same paths and names, listed first so they win.
    path("accounts/password/reset/done/", views.password_reset_done, name="account_reset_password_done"),
    path("accounts/confirm-email/", views.email_verification_sent, name="account_email_verification_sent"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("profil/", include("stakeholders.profile_urls")),
    path("<slug:tenant_slug>/", include(tenant_patterns)),
]
