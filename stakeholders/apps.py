from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "stakeholders"
    verbose_name = _("Organisations")

    def ready(self):
        from . import signals  # noqa: F401 - connects the invitation hook on sign-in
