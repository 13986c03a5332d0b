"""Personal-data hooks: how each app exports and erases what it stores about one person.

Contract (docs/privacy.md): an installed app may contain a module ``personal_data`` with

* ``MODELS``: the ``"app_label.ModelName"`` of every model the hook covers, i.e. every model of
  the app that references a user or holds personal data. A test fails when a model referencing
  the user model is listed by no hook.
* ``export(user) -> dict``: everything about ``user`` the app stores, JSON-serialisable with
  ``DjangoJSONEncoder`` (no secrets: token digests and password hashes never leave).
* ``erase(user) -> None``: remove or anonymise it. Runs inside the account-deletion transaction,
  before the user row becomes an anonymous tombstone, so ``user`` still carries its username,
  e-mail and names (``identifiers(user)``) for the hook to find copies of them.

Hooks are found by importing ``<app module>.personal_data`` for every installed app (Django's own
apps included, so a project app can also cover them). Export follows ``INSTALLED_APPS`` order;
erasure runs in the reverse order, so apps that depend on others clean up first.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:
    from escp4i.accounts.models import User

# What erased free text becomes (language-neutral: it is stored, not shown through gettext).
ERASED = "[erased]"

# Keys of audit-style JSON whose values are what a person typed or who they are.
PERSONAL_KEYS = frozenset(
    {
        "comment",
        "coi_note",
        "detail",
        "email",
        "ip",
        "ip_address",
        "message",
        "name",
        "note",
        "profile",
        "reason",
        "representative",
        "representative_name",
        "representative_title",
        "title",
        "username",
    }
)


@dataclass(frozen=True, slots=True)
class PersonalDataHook:
    app_label: str
    models: tuple[str, ...]
    export: Callable[[User], Mapping[str, Any]]
    erase: Callable[[User], None]


@cache
def personal_data_hooks() -> tuple[PersonalDataHook, ...]:
    """Every installed app's hook, in ``INSTALLED_APPS`` order."""
    hooks = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        hooks.append(
            PersonalDataHook(
                app_label=config.label,
                models=tuple(module.MODELS),
                export=module.export,
                erase=module.erase,
            )
        )
    return tuple(hooks)


def personal_data_export(user: User) -> dict[str, Mapping[str, Any]]:
    """One section per app that stores something about ``user``."""
    return {hook.app_label: hook.export(user) for hook in personal_data_hooks()}


def personal_data_erase(user: User) -> list[str]:
    """Run every erase hook (reverse app order); returns the app labels, for the audit row."""
    done = []
    for hook in reversed(personal_data_hooks()):
        hook.erase(user)
        done.append(hook.app_label)
    return done


def identifiers(user: User) -> list[str]:
    """The strings that name ``user``: username, e-mail, first, last and full name."""
    values = [user.username, user.email or "", user.first_name, user.last_name]
    values.append(f"{user.first_name} {user.last_name}".strip())
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 2}, key=len, reverse=True)


def _pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    words = [re.escape(v) for v in values if v]
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)", re.IGNORECASE)


def scrub_text(text: str, values: Iterable[str]) -> str:
    """``text`` with every whole-word occurrence of ``values`` replaced by ``ERASED``."""
    pattern = _pattern(values)
    return pattern.sub(ERASED, text) if pattern is not None and text else text


def scrub_json(value: Any, values: Iterable[str], *, personal_keys: bool) -> Any:
    """A copy of JSON ``value`` with ``values`` scrubbed from every string, and (when
    ``personal_keys``) the values under ``PERSONAL_KEYS`` replaced by ``ERASED``."""
    values = list(values)
    if isinstance(value, dict):
        return {
            key: (
                ERASED
                if personal_keys and key in PERSONAL_KEYS and item not in (None, "")
                else scrub_json(item, values, personal_keys=personal_keys)
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub_json(item, values, personal_keys=personal_keys) for item in value]
    if isinstance(value, str):
        return scrub_text(value, values)
    return value
