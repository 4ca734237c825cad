"""Marks the overlap engine's English msgids for makemessages (overlap.py translates them at render time)."""

from django.utils.translation import gettext_noop, ngettext_lazy

REASON_MESSAGES = (
    gettext_noop("same region: %(regions)s"),
    gettext_noop("periods intersect: %(start)s to %(end)s"),
    gettext_noop("same kind of assistance: %(kinds)s"),
    gettext_noop("same kind of assistance judging by the content: %(kinds)s"),
    gettext_noop("same sector: %(sectors)s"),
    gettext_noop("cross-sector program also reaches: %(sectors)s"),
    ngettext_lazy(
        "same participating businesses: %(count)s business", "same participating businesses: %(count)s businesses",
        "count",
    ),
    gettext_noop("similar title/description (%(similarity)s)"),
    gettext_noop("same topic: %(topics)s"),
)

LABEL_MESSAGES = (
    gettext_noop("Training"), gettext_noop("Mentoring"), gettext_noop("Business legality"),
    gettext_noop("Certification"), gettext_noop("Access to finance"), gettext_noop("Market access"),
    gettext_noop("Digitalisation"), gettext_noop("Production & packaging"), gettext_noop("Institutions"),
    gettext_noop("Culinary"), gettext_noop("Fashion"), gettext_noop("Crafts"), gettext_noop("Agribusiness"),
    gettext_noop("Fisheries"), gettext_noop("Services"), gettext_noop("Tourism"), gettext_noop("Trade"),
    gettext_noop("General (cross-sector)"),
)
