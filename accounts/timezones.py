"""Time zones that members, SLA policies and product teams may choose.

The list comes from the machine's tzdata at run time, never from a migration: a model
field with the zone list as ``choices`` writes this machine's list into its migrations,
and a machine with another tzdata then fails ``makemigrations --check``. So the field is a
plain ``CharField`` to migrations, offers a select in forms, and validates the zone when
a form (or ``full_clean``) saves it.
"""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# Entries of some tzdata builds that name no place: "localtime" is the machine's own zone
# (it would follow wherever the server happens to run), the rest are build artefacts.
NOT_A_PLACE = {"localtime", "posixrules", "Factory"}


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if name not in NOT_A_PLACE and not name.startswith(("posix/", "right/"))
        )
    )


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            "“%(value)s” is not a time zone we know.", code="invalid_time_zone", params={"value": value}
        )


class TimeZoneFormField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(choices=lambda: [(name, name) for name in time_zone_names()], **kwargs)


class TimeZoneField(models.CharField):
    """A zone name: a select in forms, checked on save, a plain CharField to migrations."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("default", "UTC")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        validate_time_zone(value)

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return models.Field.formfield(self, **{"form_class": TimeZoneFormField, **kwargs})
