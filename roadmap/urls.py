from django.urls import path  # noqa: F401

from . import views  # noqa: F401

app_name = "roadmap"

# Paths are relative to /<tenant_slug>/ (see satusama/urls.py); each app names its own prefixes.
urlpatterns: list = []
