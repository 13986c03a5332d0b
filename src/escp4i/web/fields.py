"""Model choice fields that refuse impossible keys before the database sees them.

Django's ``ModelChoiceField``/``ModelMultipleChoiceField`` look a posted key up with a query and
turn only ValueError/TypeError into "not a valid choice": a key such as ``99999999999999999999``
overflows the integer column instead (OverflowError on SQLite, DataError on PostgreSQL), so a
500. These subclasses check integer keys first; use them for every model choice on the site.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

_INTEGER_KEY = re.compile(r"-?[0-9]{1,18}")  # fits a 64-bit column


def _key_is_possible(field: Any, value: Any) -> bool:
    model = field.queryset.model
    name = field.to_field_name
    key_field = model._meta.get_field(name) if name else model._meta.pk
    if not isinstance(key_field, models.IntegerField):
        return True
    return bool(_INTEGER_KEY.fullmatch(str(value).strip()))


class ModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _key_is_possible(self, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def _check_values(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if not _key_is_possible(self, item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs
