"""Model rules of the RPJMD hierarchy and the roadmap: periods, years inside periods, non-negative values."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_scopes import scope

from roadmap.models import RPJMD, IndicatorAchievement, IndicatorTarget, PriorityTarget


def test_overlapping_rpjmd_periods_are_refused_with_a_clear_message(plan, world):
    with scope(tenant=world.tenant):
        other = RPJMD(tenant=world.tenant, title="RPJMD baru", start_year=2027, end_year=2032)
        with pytest.raises(ValidationError) as err:
            other.full_clean()
        assert "RPJMD DIY 2022–2027" in str(err.value)
        assert "2022–2027" in str(err.value)
        RPJMD(tenant=world.tenant, title="RPJMD berikutnya", start_year=2028, end_year=2032).full_clean()


def test_same_period_in_another_tenant_is_fine(plan, world):
    with scope(tenant=world.other_tenant):
        RPJMD(tenant=world.other_tenant, title="RPJMD Jateng", start_year=2022, end_year=2027).full_clean()


def test_end_before_start_is_refused(world):
    with scope(tenant=world.tenant):
        with pytest.raises(ValidationError) as err:
            RPJMD(tenant=world.tenant, title="X", start_year=2027, end_year=2022).full_clean()
        assert "end_year" in err.value.message_dict


@pytest.mark.parametrize("model", [IndicatorTarget, IndicatorAchievement])
def test_indicator_year_outside_the_rpjmd_period_is_refused(plan, world, model):
    with scope(tenant=world.tenant):
        row = model(tenant=world.tenant, indicator=plan.indicator, year=2030, value=Decimal("5"))
        with pytest.raises(ValidationError) as err:
            row.full_clean()
        assert "2022–2027" in str(err.value.message_dict["year"])


@pytest.mark.parametrize("model", [IndicatorTarget, IndicatorAchievement])
def test_negative_indicator_values_are_refused(plan, world, model):
    with scope(tenant=world.tenant):
        row = model(tenant=world.tenant, indicator=plan.indicator, year=2025, value=Decimal("-1"))
        with pytest.raises(ValidationError) as err:
            row.full_clean()
        assert "value" in err.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()


def test_priority_target_year_must_be_inside_the_roadmap(plan, world):
    with scope(tenant=world.tenant):
        row = PriorityTarget(tenant=world.tenant, priority=plan.priority, year=2024, umkm_reached=5)
        with pytest.raises(ValidationError) as err:
            row.full_clean()
        assert "2025–2027" in str(err.value.message_dict["year"])


def test_one_target_per_priority_and_year(plan, world):
    with scope(tenant=world.tenant), pytest.raises(IntegrityError), transaction.atomic():
        PriorityTarget.objects.create(tenant=world.tenant, priority=plan.priority, year=2026)


def test_priority_codes_are_checked_against_the_taxonomy(plan, world):
    with scope(tenant=world.tenant):
        plan.priority.kinds = ["sertifikasi", "terbang"]
        with pytest.raises(ValidationError) as err:
            plan.priority.full_clean()
        assert "terbang" in str(err.value)
        assert plan.priority.kind_labels[0] == "Sertifikasi"
