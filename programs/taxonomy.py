"""Stable codes of taxonomies.md (kinds of assistance, sectors, funding sources, statuses) with their labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Intervention(models.TextChoices):
    """Kinds of assistance (jenis bantuan); a program has one or more."""

    PELATIHAN = "pelatihan", _("Training")
    PENDAMPINGAN = "pendampingan", _("Mentoring")
    LEGALITAS = "legalitas", _("Business legality")
    SERTIFIKASI = "sertifikasi", _("Certification")
    PEMBIAYAAN = "pembiayaan", _("Access to finance")
    PEMASARAN = "pemasaran", _("Market access")
    DIGITALISASI = "digitalisasi", _("Digitalisation")
    PRODUKSI = "produksi", _("Production & packaging")
    KELEMBAGAAN = "kelembagaan", _("Institutional strengthening")


class Sector(models.TextChoices):
    """Target sectors; "umum" means not sector-specific."""

    KULINER = "kuliner", _("Culinary / food and drink")
    FESYEN = "fesyen", _("Fashion")
    KRIYA = "kriya", _("Crafts (batik, silver, wood, pottery)")
    AGRIBISNIS = "agribisnis", _("Agribusiness / farming")
    PERIKANAN = "perikanan", _("Fisheries")
    JASA = "jasa", _("Services")
    PARIWISATA = "pariwisata", _("Tourism / tourist villages")
    PERDAGANGAN = "perdagangan", _("Trade / shops")
    UMUM = "umum", _("General (all sectors)")


class FundingSource(models.TextChoices):
    APBD = "apbd", "APBD"
    APBN = "apbn", "APBN"
    DAK = "dak", "DAK"
    DANAIS = "danais", _("Danais (special fund)")
    CSR = "csr", "CSR"
    SWADAYA = "swadaya", _("Self-funded")
    HIBAH = "hibah", _("Grant")
    LAINNYA = "lainnya", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In forum review")
    NEEDS_REVISION = "needs_revision", _("Needs revision")
    APPROVED = "approved", _("Approved")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses other members of the tenant may see (never someone else's draft).
VISIBLE_TO_ALL_MEMBERS = [s for s in Status.values if s != Status.DRAFT]
# Statuses the public catalogue shows (with open_for_participants).
PUBLIC_STATUSES = [Status.APPROVED, Status.RUNNING]
# Statuses in which the owner may still edit the content.
EDITABLE_STATUSES = [Status.DRAFT, Status.NEEDS_REVISION]


def label(choices: type[models.TextChoices], code: str) -> str:
    """The translated label of a code, or the code itself when unknown (old data keeps rendering)."""
    try:
        return str(choices(code).label)
    except ValueError:
        return code
