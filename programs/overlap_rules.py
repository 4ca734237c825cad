"""The one place that says whether overlap flags block approving a program (filled by the overlap work).

design.md: "A program with an open overlap flag cannot be approved." The overlap detection (OverlapFlag) is
built later in this app; until that model exists there are no flags, so nothing blocks. When OverlapFlag lands,
`approval_blockers` returns its open flags involving the program, and both `Program.can_be_approved()` and the
approve transition in workflow.py refuse while the list is non-empty — no other code repeats this rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Program


def approval_blockers(program: Program) -> list:
    """Open overlap flags that involve this program (each blocks approval)."""
    from django.apps import apps

    try:
        flag_model = apps.get_model("programs", "OverlapFlag")
    except LookupError:
        # No overlap detection installed yet: there are no flags, so none is open.
        return []
    return list(flag_model.objects.open_for(program))
