"""Sector codes of shared/domain/taxonomies.md, until programs/taxonomy.py (the shared home) is on main."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    KULINER = "kuliner", _("Culinary / food and beverages")
    FESYEN = "fesyen", _("Fashion")
    KRIYA = "kriya", _("Crafts (batik, silver, wood, pottery)")
    AGRIBISNIS = "agribisnis", _("Agribusiness / agriculture")
    PERIKANAN = "perikanan", _("Fisheries")
    JASA = "jasa", _("Services")
    PARIWISATA = "pariwisata", _("Tourism / tourism villages")
    PERDAGANGAN = "perdagangan", _("Trade / shops")
    UMUM = "umum", _("General (cross-sector)")
