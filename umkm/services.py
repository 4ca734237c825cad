"""Writes on the UMKM registry: scale refresh, outcome reports, consent (enrolments join when programs land)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import scale as scale_rules
from .models import Business, OutcomeReport


def derived_scale(business: Business, latest: OutcomeReport | None) -> tuple[str, str]:
    """(scale, basis) from the latest outcome report with figures, else the registration figures, else declared."""
    if latest is not None:
        found = scale_rules.derive_scale(capital=latest.capital, annual_sales=latest.annual_sales)
        if found[0]:
            return found
    return scale_rules.derive_scale(
        capital=business.capital, annual_sales=business.annual_sales,
        declared=business.declared_scale, at_registration=True,
    )


def latest_report_with_figures(business: Business) -> OutcomeReport | None:
    return (
        business.outcome_reports.exclude(capital=None, annual_sales=None).order_by("-date", "-pk").first()
        if business.pk else None
    )


def refresh_scale(*, business: Business, save: bool = True) -> Business:
    """Recompute the stored scale of a business from its figures."""
    business.scale, business.scale_basis = derived_scale(business, latest_report_with_figures(business))
    if save:
        Business.objects.filter(pk=business.pk).update(scale=business.scale, scale_basis=business.scale_basis)
    return business


@transaction.atomic
def outcome_report_save(*, report: OutcomeReport, by=None) -> OutcomeReport:
    """Store a report with its scale and bring the business's scale up to date."""
    report.tenant_id = report.business.tenant_id
    report.scale = report.compute_scale()
    if by is not None and report.created_by_id is None:
        report.created_by = by
    report.save()
    refresh_scale(business=report.business)
    return report


def record_consent(*, business: Business, by) -> Business:
    """The owner agreed to share their data with stakeholders: when, and who recorded it."""
    business.consent_at = timezone.now()
    business.consent_recorded_by = by
    business.save(update_fields=["consent_at", "consent_recorded_by", "updated_at"])
    return business
