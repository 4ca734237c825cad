"""Hooks through which later apps add to the directory and the organisation page, so stakeholders imports none of them.

Models depend one way (stakeholders ← programs …): the programs app registers, in its AppConfig.ready(), a
directory filter ("kind of assistance") and an organisation-page section ("its programs"). Each hook must keep
the page O(1) in SQL: a filter narrows the organisation queryset with a subquery, a section runs a fixed number
of queries whatever the organisation holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class DirectoryFilter:
    """One more select above the directory; its value lives in the URL under `name` like the built-in filters."""

    name: str
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    # (organisations, chosen value, user, tenant) → the organisations to show
    apply: Callable[[QuerySet, str, object, object], QuerySet]


@dataclass(frozen=True)
class OrganizationSection:
    """A section of the organisation page: a template rendered with the page's context plus `context(...)`."""

    template: str
    # (request, organisation) → extra template context
    context: Callable[[object, object], dict]


DIRECTORY_FILTERS: list[DirectoryFilter] = []
ORGANIZATION_SECTIONS: list[OrganizationSection] = []


def register_directory_filter(directory_filter: DirectoryFilter) -> None:
    if all(f.name != directory_filter.name for f in DIRECTORY_FILTERS):
        DIRECTORY_FILTERS.append(directory_filter)


def register_organization_section(section: OrganizationSection) -> None:
    if section not in ORGANIZATION_SECTIONS:
        ORGANIZATION_SECTIONS.append(section)
