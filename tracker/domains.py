"""The application's domains, in dependency order. Wiring finds each one's parts by name.

A domain may have: models.py (tables), views.py (`bp` or `blueprints`), cli.py
(`commands`: click commands added to `tracker`), jobs.py (`register(scheduler, app)`),
and templates/<domain>/_nav.html (its menu entries).
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
