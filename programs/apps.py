from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self):
        # The directory's "kind of assistance" filter and the organisation page's programs (stakeholders imports
        # nothing from programs; it offers these hooks).
        from stakeholders import extensions

        from .organization_pages import ASSISTANCE_FILTER, PROGRAMS_SECTION

        extensions.register_directory_filter(ASSISTANCE_FILTER)
        extensions.register_organization_section(PROGRAMS_SECTION)
