"""Writes on the UMKM registry: enrolments (with quota and double-enrolment check), outcome reports, scale, consent."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program
from programs.overlap_services import schedule_recompute
from satusama import tenant_cache
from satusama.batches import batches

from . import scale as scale_rules
from .models import NIB_RE, Business, Enrollment, NibCorrection, OutcomeReport
from .selectors import active_enrollment_count, corrected_businesses, double_enrolments, warning_text

NIB_SEPARATORS = re.compile(r"[\s,;]+")


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


def refresh_scales(business_ids) -> None:
    """`refresh_scale` for many businesses in three queries (imports, demo): same rule, no query per business."""
    businesses = list(Business.objects.filter(pk__in=list(business_ids)))
    latest: dict[int, OutcomeReport] = {}
    for report in (OutcomeReport.objects.filter(business__in=businesses).exclude(capital=None, annual_sales=None)
                   .order_by("business_id", "date", "pk")):
        latest[report.business_id] = report  # the last one of each business wins
    changed = []
    for business in businesses:
        found = derived_scale(business, latest.get(business.pk))
        if found != (business.scale, business.scale_basis):
            business.scale, business.scale_basis = found
            changed.append(business)
    Business.objects.bulk_update(changed, ["scale", "scale_basis"], batch_size=1000)


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


def business_save(*, business: Business) -> Business:
    """Create or correct a record typed in the portal; the scale follows the new figures.

    Raises ValidationError (code "taken", nothing saved) when someone registered the NIB between the form's check
    and this save.
    """
    creating = business.pk is None
    try:
        with transaction.atomic():
            business.is_minimal = False
            business.save()
            return refresh_scale(business=business)
    except IntegrityError:
        other = Business.objects.filter(tenant=business.tenant_id, nib=business.nib).first() if creating else None
        if other is None:
            raise
        raise ValidationError(
            _("NIB %(nib)s was registered a moment ago by someone else, as %(name)s.")
            % {"nib": business.nib, "name": other.name}, code="taken") from None


def correct_nib(*, business: Business, new_nib: str, reason: str, by) -> Business:
    """Put a mistyped NIB right, keeping the old one in the record's NIB history (who, when, why).

    Raises ValidationError (nothing changed) for a malformed NIB, the same NIB, an NIB another business of the
    province already has, or no reason.
    """
    new_nib = "".join(new_nib.split())
    reason = " ".join(reason.split())
    if not re.fullmatch(NIB_RE, new_nib):
        raise ValidationError(_("An NIB is a number of exactly 13 digits."), code="nib")
    if not reason:
        raise ValidationError(_("Say why the NIB is corrected (e.g. the number on the OSS certificate)."),
                              code="reason")
    try:
        with transaction.atomic():
            locked = Business.objects.select_for_update().get(pk=business.pk)
            if new_nib == locked.nib:
                raise ValidationError(_("This is already the business's NIB."), code="same")
            other = Business.objects.filter(tenant=locked.tenant, nib=new_nib).first()
            if other is not None:
                raise ValidationError(
                    _("NIB %(nib)s is already registered to %(name)s; check the number on the OSS certificate.")
                    % {"nib": new_nib, "name": other.name},
                    code="taken")
            NibCorrection.objects.create(tenant=locked.tenant, business=locked, old_nib=locked.nib,
                                         new_nib=new_nib, reason=reason[:300], corrected_by=by)
            locked.nib = new_nib
            locked.save(update_fields=["nib", "updated_at"])
    except IntegrityError:
        # someone registered this NIB between the check and the update
        raise ValidationError(_("NIB %(nib)s was registered a moment ago by someone else.") % {"nib": new_nib},
                              code="taken") from None
    business.nib = new_nib
    return business


def record_consent(*, business: Business, by) -> Business:
    """The owner agreed to share their data with stakeholders: when, and who recorded it."""
    business.consent_at = timezone.now()
    business.consent_recorded_by = by
    business.save(update_fields=["consent_at", "consent_recorded_by", "updated_at"])
    return business


def parse_nibs(text: str) -> tuple[list[str], list[str]]:
    """(valid NIBs in order without repeats, malformed entries) from a pasted list or a one-column file."""
    valid, invalid = [], []
    for token in NIB_SEPARATORS.split(text.replace("\ufeff", "")):
        token = token.strip().strip('"')
        if not token or token.lower() == "nib":
            continue
        (valid if re.fullmatch(NIB_RE, token) else invalid).append(token)
    return list(dict.fromkeys(valid)), invalid


def enroll_by_nibs(*, program: Program, nibs: list[str], by=None) -> list[Enrollment]:
    """Enrol the businesses with these NIBs in the program (no quota check); unknown NIBs become minimal records.

    Idempotent: an existing enrolment is returned as it is. Returns one enrolment per distinct business, in order
    (an NIB corrected since names the business it was corrected to, as old links do).
    Used by the demo and the tests (the enrolment page checks first: `enroll_checked`); see `enroll_many` for several
    programs.
    """
    return enroll_many([(program, nibs)], by=by)[program.pk]


CHUNK = 1000

Doubles = dict[int, dict[int, list[Program]]]  # program id → new participant's business id → the other programs


def enroll_many(plan: list[tuple[Program, list[str]]], *, by=None) -> dict[int, list[Enrollment]]:
    """`enroll_by_nibs` for many programs of one tenant at once (the programs importer's beneficiary_nibs).

    A fixed number of queries for the businesses and the enrolments, whatever the number of rows; the
    double-enrolment warning asks one query per program that gets new participants. Returns, per program id, one
    enrolment per distinct business, in the order given. An NIB no business holds but a correction names enrols
    the corrected business (the rule old links follow); only NIBs neither knows become incomplete records.
    """
    return _enroll(plan, by=by)[0]


@transaction.atomic
def _enroll(plan: list[tuple[Program, list[str]]], *, by) -> tuple[dict[int, list[Enrollment]], Doubles]:
    """`enroll_many`, and the double enrolments its warnings were written from (the enrolment page reports them)."""
    if not plan:
        return {}, {}
    tenant = plan[0][0].tenant
    wanted = {program.pk: list(dict.fromkeys(n.strip() for n in nibs if n and n.strip())) for program, nibs in plan}
    every = list(dict.fromkeys(n for nibs in wanted.values() for n in nibs))
    malformed = [n for n in every if not re.fullmatch(NIB_RE, n)]
    if malformed:
        raise ValueError(f"malformed NIB(s): {', '.join(malformed[:5])}")
    programs = {program.pk: program for program, _nibs in plan}
    if not every:
        return {pk: [] for pk in programs}, {}

    def read_businesses() -> dict[str, Business]:
        found = {}
        for chunk in batches(every, CHUNK):
            found |= {b.nib: b for b in Business.objects.filter(tenant=tenant, nib__in=chunk)}
        return found

    businesses = read_businesses()
    corrected = corrected_businesses(tenant, [n for n in every if n not in businesses])
    businesses |= corrected
    missing = [Business(tenant=tenant, nib=n, name=f"NIB {n}", is_minimal=True) for n in every if n not in businesses]
    if missing:
        # ignore_conflicts: a concurrent request creating the same NIB is not an error; read back either way.
        Business.objects.bulk_create(missing, ignore_conflicts=True, batch_size=CHUNK)
        businesses = corrected | read_businesses()

    def read_enrollments() -> dict[tuple[int, int], Enrollment]:
        found = {}
        ids = list({b.pk for b in businesses.values()})
        for chunk in batches(list(programs), CHUNK):
            rows = Enrollment.objects.filter(program_id__in=chunk, business_id__in=ids) if len(ids) <= CHUNK \
                else Enrollment.objects.filter(program_id__in=chunk)
            found |= {(e.program_id, e.business_id): e for e in rows.select_related("business")}
        return found

    have = read_enrollments()
    doubles: Doubles = {}
    fresh: dict[int, list[int]] = {}  # program id → business ids enrolled now
    for pk, nibs in wanted.items():
        # an old and a new NIB of one business in one list enrol it once
        new_ids = list(dict.fromkeys(businesses[n].pk for n in nibs if (pk, businesses[n].pk) not in have))
        if new_ids:
            fresh[pk] = new_ids
    if fresh:
        Enrollment.objects.bulk_create(
            [Enrollment(tenant=tenant, program=programs[pk], business_id=b, enrolled_by=by)
             for pk, ids in fresh.items() for b in ids],
            ignore_conflicts=True, batch_size=CHUNK)
        tenant_cache.data_changed(tenant.pk)  # bulk writes send no model signals
        have = read_enrollments()
        # The warning once every new enrolment exists, so two programs of one import that share a business warn
        # about each other. Only a business enrolled in another program too can be double enrolled.
        again = set()
        for chunk in batches(list({b for ids in fresh.values() for b in ids}), CHUNK):
            again |= set(Enrollment.objects.filter(business_id__in=chunk).values("business_id")
                         .annotate(n=Count("pk")).filter(n__gt=1).values_list("business_id", flat=True))
        warned = []
        for pk, ids in fresh.items():
            ids = [b for b in ids if b in again]
            doubles[pk] = double_enrolments(programs[pk], ids)
            for business_id, others in doubles[pk].items():
                enrollment = have[(pk, business_id)]
                enrollment.warning = warning_text(others)[:300]
                warned.append(enrollment)
        Enrollment.objects.bulk_update(warned, ["warning"], batch_size=CHUNK)
    return {pk: list({businesses[n].pk: have[(pk, businesses[n].pk)] for n in nibs
                      if (pk, businesses[n].pk) in have}.values())
            for pk, nibs in wanted.items()}, doubles


@dataclass
class EnrollResult:
    enrolled: list[Enrollment] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # NIBs enrolled before
    over_quota: list[str] = field(default_factory=list)  # NIBs refused: the quota is full
    invalid: list[str] = field(default_factory=list)  # malformed entries
    warnings: dict[str, list[Program]] = field(default_factory=dict)  # NIB → other overlapping programs


def enroll_checked(*, program: Program, nibs: list[str], invalid: list[str] | None = None, by) -> EnrollResult:
    """The enrolment page's write: quota enforced, double enrolment reported (not refused), all in one transaction."""
    result = EnrollResult(invalid=list(invalid or []))
    with transaction.atomic():
        # Lock the program row: two people enrolling at once cannot both take the last places.
        program = Program.objects.select_for_update().get(pk=program.pk)
        # An NIB corrected since stands for the corrected one: "already enrolled" and the quota count businesses.
        held = set(Business.objects.filter(tenant=program.tenant, nib__in=nibs).values_list("nib", flat=True))
        corrected = corrected_businesses(program.tenant, [n for n in nibs if n not in held])
        nibs = list(dict.fromkeys(corrected[n].nib if n in corrected else n for n in nibs))
        enrolled = dict(Enrollment.objects.filter(program=program, business__nib__in=nibs)
                        .values_list("business__nib", "status"))
        result.already = [n for n in nibs if n in enrolled]
        todo = [n for n in nibs if n not in enrolled]
        if program.target_umkm is not None:
            room = max(0, program.target_umkm - active_enrollment_count(program))
            todo, result.over_quota = todo[:room], todo[room:]
        if todo:
            rows, doubles = _enroll([(program, todo)], by=by)
            result.enrolled = rows[program.pk]
            others = doubles.get(program.pk, {})  # as the enrolments' stored warnings say
            result.warnings = {e.business.nib: others[e.business_id] for e in result.enrolled
                               if e.business_id in others}
            # Shared businesses are an overlap reason: the program's flags are recomputed after commit.
            schedule_recompute(program)
    return result


def enrollment_update(*, enrollment: Enrollment, status: str, attendance: int | None) -> Enrollment:
    enrollment.status = status
    enrollment.attendance = attendance
    enrollment.save(update_fields=["status", "attendance"])
    return enrollment


def enrollment_remove(*, enrollment: Enrollment) -> None:
    """Take back an enrolment made by mistake (the place returns to the quota)."""
    program = enrollment.program
    enrollment.delete()
    schedule_recompute(program)
