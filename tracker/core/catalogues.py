"""The one English catalogue (tracker/translations), kept with pybabel: extract, update, compile.

Every UI string (a Chinese msgid) is extracted by babel.cfg's mapping with KEYWORDS;
`tracker translations update` runs `pybabel extract` and `pybabel update`, `compile` runs
`pybabel compile`. The checks here are what tests/test_i18n.py and `tracker translations
check` assert: nothing untranslated, nothing fuzzy.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
DIRECTORY = PACKAGE / "translations"
TEMPLATE = DIRECTORY / "messages.pot"
MAPPING = ROOT / "babel.cfg"
KEYWORDS = ("_", "gettext", "_l", "lazy_gettext", "N_", "ngettext:1,2", "tr")


@dataclass(frozen=True)
class Found:
    msgid: str
    path: str
    line: int


def po_path(locale: str = "en") -> Path:
    return DIRECTORY / locale / "LC_MESSAGES" / "messages.po"


def catalogue(locale: str = "en") -> Catalog:
    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def extract() -> list[Found]:
    """Every UI string in the checkout's code and templates, where babel.cfg says to look."""
    with MAPPING.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords: dict[str, tuple[int, ...] | None] = {}
    for spec in KEYWORDS:
        name, _, args = spec.partition(":")
        keywords[name] = tuple(int(a) for a in args.split(",")) if args else None
    return [Found(message[0] if isinstance(message, tuple) else message, path, line)
            for path, line, message, _comments, _context
            in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
            if message]


def untranslated(locale: str = "en") -> list[Found]:
    """Strings the UI uses that the catalogue lacks or leaves empty, once each."""
    translated = {m.id for m in catalogue(locale) if m.id and m.string}
    seen: set[str] = set()
    missing = []
    for found in extract():
        if found.msgid not in translated and found.msgid not in seen:
            seen.add(found.msgid)
            missing.append(found)
    return missing


def fuzzy(locale: str = "en") -> list[str]:
    """Entries pybabel marked as guesses: a person must confirm each before it is used."""
    return [str(m.id) for m in catalogue(locale) if m.id and m.fuzzy]


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def update(locale: str = "en") -> None:
    """pybabel extract into messages.pot, then pybabel update of the catalogue (no fuzzy guesses)."""
    pybabel("extract", "-F", str(MAPPING), *(f"-k{k}" for k in KEYWORDS), "--no-location", "--sort-output",
            "-o", str(TEMPLATE), str(ROOT))
    pybabel("update", "-i", str(TEMPLATE), "-d", str(DIRECTORY), "-l", locale, "--no-fuzzy-matching",
            "--ignore-obsolete", "-w", "120")
    TEMPLATE.unlink()


def compile_all() -> None:
    pybabel("compile", "-d", str(DIRECTORY))
