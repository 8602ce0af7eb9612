"""The application's domains, in dependency order. Wiring finds each one's parts by name.

A domain may have: models.py (tables), views.py (`bp` or `blueprints`), cli.py
(`commands`: click commands added to `tracker`), jobs.py (`register(scheduler, app)`),
seed.py (`load(...)`: its part of `tracker seed`; `refresh(session)`: of `tracker init`),
signals.py (what it announces or asks the domains above it), listeners.py (its receivers of
the signals below it, connected when the app is built), and templates/<domain>/_nav.html
(its menu entries). A domain never imports one that comes after it (import-linter checks).
"""
from __future__ import annotations

import importlib
from types import ModuleType

DOMAINS = ("core", "accounts", "plans", "reporting", "supervision", "reminders", "indicators", "api", "audit", "bench")


def optional_module(domain: str, part: str) -> ModuleType | None:
    """tracker.<domain>.<part>, or None where the domain has no such part."""
    name = f"tracker.{domain}.{part}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name in (name, f"tracker.{domain}"):
            return None
        raise
