"""PP 7/2021 scale exactly at each threshold, and naik kelas between consecutive reports."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django_scopes import scope

from umkm import scale
from umkm.models import Business, OutcomeReport
from umkm.services import outcome_report_save

M = scale.MILIAR


@pytest.mark.parametrize(("capital", "expected"), [
    (0, "mikro"), (1 * M, "mikro"), (1 * M + 1, "kecil"), (5 * M, "kecil"), (5 * M + 1, "menengah"),
    (10 * M, "menengah"), (10 * M + 1, "besar"),
])
def test_scale_by_capital_at_each_threshold(capital, expected):
    assert scale.scale_by_capital(capital) == expected


@pytest.mark.parametrize(("sales", "expected"), [
    (0, "mikro"), (2 * M, "mikro"), (2 * M + 1, "kecil"), (15 * M, "kecil"), (15 * M + 1, "menengah"),
    (50 * M, "menengah"), (50 * M + 1, "besar"),
])
def test_scale_by_sales_at_each_threshold(sales, expected):
    assert scale.scale_by_sales(sales) == expected


def test_negative_money_is_refused():
    with pytest.raises(ValueError):
        scale.scale_by_sales(-1)


def test_capital_decides_at_registration_sales_afterwards_declared_only_without_figures():
    # capital says kecil, sales say mikro
    assert scale.derive_scale(capital=2 * M, annual_sales=1 * M, at_registration=True) == ("kecil", "capital")
    assert scale.derive_scale(capital=2 * M, annual_sales=1 * M) == ("mikro", "sales")
    assert scale.derive_scale(capital=None, annual_sales=3 * M, at_registration=True) == ("kecil", "sales")
    assert scale.derive_scale(capital=None, annual_sales=None, declared="kecil") == ("kecil", "declared")
    assert scale.derive_scale(capital=None, annual_sales=None) == ("", "")
    assert scale.derive_scale(capital=2 * M, annual_sales=None, declared="mikro") == ("kecil", "capital")


def test_naik_kelas_only_upwards_between_consecutive_reports():
    assert scale.naik_kelas(["mikro", "kecil"])
    assert scale.naik_kelas(["mikro", "mikro", "menengah"])
    assert not scale.naik_kelas(["kecil", "mikro"])
    assert not scale.naik_kelas(["kecil", "kecil"])
    assert not scale.naik_kelas(["mikro"])
    assert scale.naik_kelas(["kecil", "mikro", "kecil"])  # recovering counts as moving up again


@pytest.mark.parametrize("nib", ["123456789012", "12345678901234", "12345678901a3", " 1234567890123", ""])
def test_malformed_nib_is_rejected(world, nib):
    with scope(tenant=world.tenant):
        business = Business(tenant=world.tenant, nib=nib, name="X")
        with pytest.raises(ValidationError) as err:
            business.full_clean()
        assert "nib" in err.value.message_dict


@pytest.mark.parametrize(("kbli", "ok"), [("10792", True), ("", True), ("1079", False), ("107921", False),
                                          ("10a92", False)])
def test_kbli_format(world, kbli, ok):
    with scope(tenant=world.tenant):
        business = Business(tenant=world.tenant, nib="3404000000001", name="X", kbli=kbli)
        if ok:
            business.full_clean(exclude=["region"])
        else:
            with pytest.raises(ValidationError) as err:
                business.full_clean()
            assert "kbli" in err.value.message_dict


def test_nib_is_unique_per_tenant_not_across_tenants(world, bakpia):
    from django.db import IntegrityError, transaction

    with scope(tenant=world.other_tenant):
        Business.objects.create(tenant=world.other_tenant, nib=bakpia.nib, name="Same NIB elsewhere")
    with scope(tenant=world.tenant), pytest.raises(IntegrityError), transaction.atomic():
        Business.objects.create(tenant=world.tenant, nib=bakpia.nib, name="Duplicate")


def test_business_scale_follows_latest_outcome_report(world, bakpia):
    with scope(tenant=world.tenant):
        bakpia.declared_scale = "mikro"
        bakpia.save()
        from umkm.services import refresh_scale

        refresh_scale(business=bakpia)
        assert (bakpia.scale, bakpia.scale_basis) == ("mikro", "declared")
        outcome_report_save(report=OutcomeReport(business=bakpia, date=dt.date(2025, 1, 1), annual_sales=1 * M))
        outcome_report_save(report=OutcomeReport(business=bakpia, date=dt.date(2025, 12, 1),
                                                 annual_sales=2 * M + 1))
        bakpia.refresh_from_db()
        assert (bakpia.scale, bakpia.scale_basis) == ("kecil", "sales")
        reports = list(bakpia.outcome_reports.order_by("date"))
        assert [r.scale for r in reports] == ["mikro", "kecil"]
        assert scale.naik_kelas([r.scale for r in reports])
