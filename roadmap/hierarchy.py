"""The levels of the RPJMD hierarchy the portal edits: which model, under which parent, with which fields."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import RPJMD, ArahKebijakan, Indicator, Misi, Sasaran, Strategi, Tujuan


@dataclass(frozen=True)
class Level:
    model: type[models.Model]
    parent: str  # the foreign key to the element above
    parent_model: type[models.Model]
    fields: tuple[str, ...]
    label: str
    rpjmd_path: str  # from this level's row to its RPJMD, for the access check

    def rpjmd_of(self, node) -> RPJMD:
        for step in self.rpjmd_path.split("__"):
            node = getattr(node, step)
        return node


NODE_FIELDS = ("code", "text")
LEVELS: dict[str, Level] = {
    "misi": Level(Misi, "rpjmd", RPJMD, NODE_FIELDS, _("mission (misi)"), "rpjmd"),
    "tujuan": Level(Tujuan, "misi", Misi, NODE_FIELDS, _("goal (tujuan)"), "misi__rpjmd"),
    "sasaran": Level(Sasaran, "tujuan", Tujuan, NODE_FIELDS, _("target (sasaran)"), "tujuan__misi__rpjmd"),
    "strategi": Level(Strategi, "sasaran", Sasaran, NODE_FIELDS, _("strategy (strategi)"),
                      "sasaran__tujuan__misi__rpjmd"),
    "arah_kebijakan": Level(ArahKebijakan, "sasaran", Sasaran, NODE_FIELDS, _("policy direction (arah kebijakan)"),
                            "sasaran__tujuan__misi__rpjmd"),
    "indikator": Level(Indicator, "sasaran", Sasaran,
                       ("code", "name", "unit", "baseline", "final_target", "responsible_agency"),
                       _("indicator"), "sasaran__tujuan__misi__rpjmd"),
}
