from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatusamaConfig(AppConfig):
    name = "satusama"
    verbose_name = _("SATUSAMA")

    def ready(self):
        from . import tenant_cache

        tenant_cache.connect_signals()
