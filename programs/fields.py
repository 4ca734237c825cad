"""A JSON list of taxonomy codes with a portable "shares any code with" lookup (PostgreSQL and SQLite)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeListField(models.JSONField):
    """A list of codes from one TextChoices, e.g. ["pelatihan", "digitalisasi"].

    Stored as JSON so creating a program stays `Program(kinds=[...])`; filtered with `kinds__has_any=[...]`,
    which PostgreSQL answers from a GIN index (migration 0002) and SQLite with json_each.
    """

    def __init__(self, *args, codes=None, **kwargs):
        self.codes = codes
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("codes", None)
        return name, path, args, kwargs

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Enter a list of codes."), code="invalid")
        if self.codes is not None:
            unknown = [v for v in value if v not in self.codes.values]
            if unknown:
                raise ValidationError(
                    _("Unknown code: %(codes)s."), code="unknown_code", params={"codes": ", ".join(unknown)}
                )


@CodeListField.register_lookup
class HasAny(models.Lookup):
    """True when the stored list shares at least one code with the given list."""

    lookup_name = "has_any"
    prepare_rhs = False

    def process_rhs(self, compiler, connection):
        values = [str(v) for v in self.rhs]
        return values, []

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values, _ = self.process_rhs(compiler, connection)
        # jsonb ?| text[]: any of these strings is a top-level element of the array.
        return f"{lhs} ?| %s", [*lhs_params, values]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values, _ = self.process_rhs(compiler, connection)
        if not values:
            return "1 = 0", []
        placeholders = ", ".join(["%s"] * len(values))
        return (
            # lhs is a compiled column reference and the values are parameters: nothing user-typed is inlined.
            f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value IN ({placeholders}))",  # noqa: S608
            [*lhs_params, *values],
        )
