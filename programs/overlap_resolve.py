"""Answering an overlap flag: collaborate (proposal + accept, then merge), differentiate, withdraw, not an overlap."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import workflow
from .models import OverlapFlag, Program
from .overlap_notify import notify_flag_changed
from .permissions import OWNER_STAFF, roles_for
from .taxonomy import Status

R = OverlapFlag.Resolution


class AnswerRefused(Exception):
    """The answer cannot be applied; `message` says why in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def may_answer_flag(user, flag: OverlapFlag, program: Program) -> bool:
    """Staff of the organisation that owns `program` (one of the pair) may answer an open flag for it."""
    return (
        flag.is_open
        and program.pk in (flag.program_a_id, flag.program_b_id)
        and OWNER_STAFF in roles_for(user, program)
    )


def may_accept_collaboration(user, flag: OverlapFlag, program: Program) -> bool:
    """Both owners must agree: the owner of the program the proposal was NOT made for accepts it — someone other
    than the proposer, even when one person belongs to both organisations."""
    return bool(
        may_answer_flag(user, flag, program) and flag.proposed_for_id and flag.proposed_for_id != program.pk
        and flag.proposed_by_id != user.pk
    )


def _resolve(flag: OverlapFlag, *, resolution: str, note: str, by) -> OverlapFlag:
    flag.status = OverlapFlag.Status.RESOLVED
    flag.resolution = resolution
    flag.note = note
    flag.resolved_by = by
    flag.resolved_at = timezone.now()
    flag.save()
    notify_flag_changed(flag, flag.get_resolution_display())
    return flag


def _require_note(note: str, message) -> str:
    note = (note or "").strip()
    if not note:
        raise AnswerRefused(message)
    return note


@transaction.atomic
def flag_not_overlap(*, flag: OverlapFlag, program: Program, by, note: str) -> OverlapFlag:
    note = _require_note(note, _("Please explain why these programs do not overlap."))
    return _resolve(flag, resolution=R.NOT_OVERLAP, note=note, by=by)


@transaction.atomic
def flag_differentiate(*, flag: OverlapFlag, program: Program, by, note: str) -> OverlapFlag:
    note = _require_note(note, _("Please describe the change: target group, region or period."))
    return _resolve(flag, resolution=R.DIFFERENTIATE, note=note, by=by)


@transaction.atomic
def flag_withdraw(*, flag: OverlapFlag, program: Program, by, note: str = "") -> OverlapFlag:
    """Withdraw `program` through the workflow (its rules decide who may) and close the flag with it."""
    other = flag.other(program)
    reason = (note or "").strip() or str(_("Withdrawn because it overlaps %(ref)s.") % {"ref": other.ref})
    try:
        workflow.transition(program=program, to=Status.WITHDRAWN, by=by, reason=reason)
    except workflow.TransitionError as refused:
        raise AnswerRefused(refused.message) from refused
    return _resolve(flag, resolution=R.WITHDRAW, note=reason, by=by)


@transaction.atomic
def flag_propose_collaboration(
    *, flag: OverlapFlag, program: Program, by, joint: Program, note: str = ""
) -> OverlapFlag:
    """One owner proposes to merge both programs into `joint` (one of the pair); the other owner must accept."""
    if joint.pk not in (flag.program_a_id, flag.program_b_id):
        raise AnswerRefused(_("The joint program must be one of the two programs."))
    flag.proposed_by, flag.proposed_for, flag.proposed_at, flag.joint_program = by, program, timezone.now(), joint
    flag.note = (note or "").strip()
    flag.save()
    notify_flag_changed(flag, _("collaboration proposed"))
    return flag


@transaction.atomic
def flag_decline_collaboration(*, flag: OverlapFlag, program: Program, by) -> OverlapFlag:
    flag.proposed_by, flag.proposed_for, flag.proposed_at, flag.joint_program = None, None, None, None
    flag.save()
    notify_flag_changed(flag, _("collaboration declined"))
    return flag


def _absorbed_side_user(absorbed: Program, proposer, accepter):
    """Who agreed for the absorbed program's owner: the withdrawal is recorded in their name."""
    for user in (accepter, proposer):
        if user is not None and OWNER_STAFF in roles_for(user, absorbed):
            return user
    return accepter


@transaction.atomic
def flag_accept_collaboration(*, flag: OverlapFlag, program: Program, by) -> Program:
    """Merge: the absorbed program's owner (and partners) become partners of the joint program, its enrolments
    move over, and it is withdrawn with a reason naming the joint program. Returns the joint program."""
    joint = Program.objects.select_for_update().get(pk=flag.joint_program_id)
    absorbed = Program.objects.select_for_update().get(pk=flag.other(joint).pk)
    actor = _absorbed_side_user(absorbed, flag.proposed_by, by)
    reason = str(_("Merged into the joint program %(ref)s (%(title)s).") % {"ref": joint.ref, "title": joint.title})
    try:
        # Both owners agreed (one proposed, the other accepted): staff answer flags (design.md, scenarios.md 2),
        # so the absorbed program is withdrawn as a merge, not as an admin's own withdrawal.
        workflow.transition(program=absorbed, to=Status.WITHDRAWN, by=actor, reason=reason, by_merge=True)
    except workflow.TransitionError as refused:
        raise AnswerRefused(refused.message) from refused
    partners = {absorbed.owner_id, *absorbed.partners.values_list("pk", flat=True)} - {joint.owner_id}
    joint.partners.add(*partners)
    _move_enrollments(absorbed, joint)
    # Another editor's open form must not silently drop the new partners: their save becomes stale.
    Program.objects.filter(pk=joint.pk).update(version=F("version") + 1, updated_at=timezone.now())
    note = str(_("%(absorbed)s merged into %(joint)s.") % {"absorbed": absorbed.ref, "joint": joint.ref})
    _resolve(flag, resolution=R.COLLABORATE, note=note, by=by)
    return joint


def _move_enrollments(absorbed: Program, joint: Program) -> int:
    try:
        enrollment = apps.get_model("umkm", "Enrollment")
    except LookupError:
        return 0
    already = enrollment.objects.filter(program=joint).values("business_id")
    # A business enrolled in both stays once, in the joint program.
    return enrollment.objects.filter(program=absorbed).exclude(business_id__in=already).update(program=joint)
