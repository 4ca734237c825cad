"""The program lifecycle of design.md: one table of allowed transitions, who may make each, and `transition()`.

draft → submitted → in_review → approved → running → completed, with needs_revision (back to the owner, then
resubmitted), rejected, withdrawn and cancelled. Only a forum decision recorded in a meeting (the forums app
calls `transition(..., by_forum=True)` and links its Decision to the returned event) or a tenant admin with a
reason moves a program to approved / needs_revision / rejected. A program with an open overlap flag cannot be
approved (overlap_rules.approval_blockers).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Program, ProgramEvent
from .overlap_rules import approval_blockers
from .overlap_services import schedule_recompute
from .permissions import OWNER_ADMIN, TENANT_ADMIN, roles_for
from .taxonomy import Status

FORUM = "forum"  # pseudo-role: a decision recorded in a forum meeting
# pseudo-role: a collaboration on an overlap flag that both owners agreed to (scenarios.md 2: the campus staff member
# chooses "Kolaborasi" and the Dinas program absorbs theirs); overlap_resolve checks both sides before saying so
MERGE = "merge"


@dataclass(frozen=True)
class Rule:
    actors: frozenset[str]
    reason_required: bool = False


S = Status
_OWNER = frozenset({OWNER_ADMIN})
_OWNER_OR_ADMIN = frozenset({OWNER_ADMIN, TENANT_ADMIN})
_DECIDERS = frozenset({FORUM, TENANT_ADMIN})
_OWNER_OR_MERGE = frozenset({OWNER_ADMIN, MERGE})

# (from, to) → who may do it. Anything not in this table is illegal.
TRANSITIONS: dict[tuple[str, str], Rule] = {
    (S.DRAFT, S.SUBMITTED): Rule(_OWNER),
    (S.NEEDS_REVISION, S.SUBMITTED): Rule(_OWNER),
    (S.SUBMITTED, S.IN_REVIEW): Rule(_DECIDERS),
    (S.SUBMITTED, S.APPROVED): Rule(_DECIDERS, reason_required=True),
    (S.SUBMITTED, S.NEEDS_REVISION): Rule(_DECIDERS, reason_required=True),
    (S.SUBMITTED, S.REJECTED): Rule(_DECIDERS, reason_required=True),
    (S.IN_REVIEW, S.APPROVED): Rule(_DECIDERS, reason_required=True),
    (S.IN_REVIEW, S.NEEDS_REVISION): Rule(_DECIDERS, reason_required=True),
    (S.IN_REVIEW, S.REJECTED): Rule(_DECIDERS, reason_required=True),
    (S.APPROVED, S.RUNNING): Rule(_OWNER_OR_ADMIN),
    (S.RUNNING, S.COMPLETED): Rule(_OWNER_OR_ADMIN),
    (S.SUBMITTED, S.WITHDRAWN): Rule(_OWNER_OR_MERGE),
    (S.IN_REVIEW, S.WITHDRAWN): Rule(_OWNER_OR_MERGE),
    (S.NEEDS_REVISION, S.WITHDRAWN): Rule(_OWNER_OR_MERGE),
    (S.APPROVED, S.WITHDRAWN): Rule(_OWNER_OR_MERGE),
    (S.APPROVED, S.CANCELLED): Rule(_OWNER_OR_ADMIN, reason_required=True),
    (S.RUNNING, S.CANCELLED): Rule(_OWNER_OR_ADMIN, reason_required=True),
}

# Button labels for the program page, by target status.
ACTION_LABELS = {
    S.SUBMITTED: _("Submit"),
    S.IN_REVIEW: _("Start forum review"),
    S.APPROVED: _("Approve"),
    S.NEEDS_REVISION: _("Needs revision"),
    S.REJECTED: _("Reject"),
    S.RUNNING: _("Mark as running"),
    S.COMPLETED: _("Mark as completed"),
    S.WITHDRAWN: _("Withdraw"),
    S.CANCELLED: _("Cancel program"),
}


class TransitionError(Exception):
    """A refused transition; `status_code` is what a view answers (400 bad request, 403, 409 conflict)."""

    status_code = 400

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class IllegalTransition(TransitionError):
    status_code = 409


class NotAllowed(TransitionError):
    status_code = 403


class ReasonRequired(TransitionError):
    status_code = 400


class Incomplete(TransitionError):
    status_code = 400

    def __init__(self, message, problems):
        super().__init__(message)
        self.problems = problems


class BlockedByOverlap(TransitionError):
    status_code = 409


class ConcurrentChange(TransitionError):
    status_code = 409


def actor_allowed(
    roles: set[str], from_status: str, to: str, *, by_forum: bool = False, by_merge: bool = False
) -> bool:
    rule = TRANSITIONS.get((from_status, to))
    if rule is None:
        return False
    pseudo = ({FORUM} if by_forum else set()) | ({MERGE} if by_merge else set())
    return bool((roles | pseudo) & rule.actors)


def available_transitions(user, program: Program) -> list[tuple[str, str, bool]]:
    """(target status, button label, reason required) this user may apply now, for the program page."""
    roles = roles_for(user, program)
    return [
        (to, ACTION_LABELS[to], rule.reason_required)
        for (frm, to), rule in TRANSITIONS.items()
        if frm == program.status and rule.actors & roles
    ]


def _status_label(code: str) -> str:
    return Status(code).label


def transition(
    *, program: Program, to: str, by, reason: str = "", by_forum: bool = False, by_merge: bool = False
) -> ProgramEvent:
    """Move `program` to status `to`, recorded as a ProgramEvent; raises a TransitionError when refused.

    `by_forum=True` means the caller (the forums app) records this as a decision of a meeting; it has
    checked that `by` may record decisions there. `by_merge=True` means the caller (overlap_resolve) withdraws
    a program absorbed by a collaboration both owners agreed to; `by` is staff of the absorbed program's owner.
    Two concurrent calls on one program: the row lock and the conditional UPDATE let exactly one win; the other
    gets ConcurrentChange or IllegalTransition.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        # Row lock on PostgreSQL: a second transition waits here and then sees the new status.
        current = Program.objects.select_for_update().get(pk=program.pk, tenant=program.tenant)
        frm = current.status
        rule = TRANSITIONS.get((frm, to))
        if rule is None:
            raise IllegalTransition(
                _("A program in status “%(from)s” cannot move to “%(to)s”.")
                % {"from": _status_label(frm), "to": _status_label(to) if to in Status.values else to}
            )
        if not actor_allowed(roles_for(by, current), frm, to, by_forum=by_forum, by_merge=by_merge):
            raise NotAllowed(_("You may not do this with this program."))
        # A forum decision is explained by its meeting; a tenant admin deciding alone must say why.
        if rule.reason_required and not reason and not (by_forum and FORUM in rule.actors):
            raise ReasonRequired(_("Please give a reason for this decision."))
        if to == S.SUBMITTED:
            problems = current.completeness_problems()
            if problems:
                raise Incomplete(
                    _("The program cannot be submitted yet. Still missing: %(missing)s.")
                    % {"missing": ", ".join(str(p) for p in problems)},
                    problems,
                )
        if to == S.APPROVED and approval_blockers(current):
            raise BlockedByOverlap(
                _("The program has open overlap flags; resolve them before approving it.")
            )
        # Conditional UPDATE: also correct where SELECT … FOR UPDATE is a no-op (SQLite).
        changed = Program.objects.filter(pk=current.pk, status=frm, version=current.version).update(
            status=to, version=F("version") + 1, updated_at=timezone.now()
        )
        if changed != 1:
            raise ConcurrentChange(_("The program was changed at the same time; reload the page and try again."))
        current.refresh_from_db()
        # One full history record (fields and relations) for the new status.
        current._history_user = by if by and by.is_authenticated else None
        current._change_reason = f"{frm} → {to}"
        current.save(update_fields=["updated_at"])
        event = ProgramEvent.objects.create(
            tenant=current.tenant, program=current, from_status=frm, to_status=to,
            by=by if by and by.is_authenticated else None, by_forum=by_forum, reason=reason,
        )
        # Overlap flags follow the status: opened on submit, closed when the program is withdrawn or rejected.
        schedule_recompute(current)
    program.status, program.version, program.updated_at = current.status, current.version, current.updated_at
    return event
