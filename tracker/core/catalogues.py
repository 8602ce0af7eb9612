"""The English catalogues: every UI string (Chinese msgid) must have its English translation.

Each domain keeps its own catalogue in tracker/<domain>/translations (app-wide strings in
tracker/translations); Flask-Babel merges them. `tracker translations update` adds new
strings to the catalogue of the domain they appear in; `compile` writes the .mo files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None,
            "ngettext": (1, 2), "tr": None}
METHOD_MAP = [("tracker/**.py", "python"), ("templates/**.html", "jinja2")]


@dataclass(frozen=True)
class Found:
    msgid: str
    path: str
    line: int


def extract() -> list[Found]:
    found = []
    for path, line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid and not path.startswith(("tests", ".venv")):
            found.append(Found(msgid, path, line))
    return found


def domain_of(path: str) -> Path:
    """tracker/reporting/x.py and templates/reporting/y.html → tracker/reporting/translations."""
    parts = Path(path).parts
    if len(parts) > 2 and parts[0] in ("tracker", "templates") and (PACKAGE / parts[1]).is_dir():
        return PACKAGE / parts[1] / "translations"
    return PACKAGE / "translations"


def po_path(directory: Path, locale: str = "en") -> Path:
    return directory / locale / "LC_MESSAGES" / "messages.po"


def catalogues(locale: str = "en") -> dict[Path, Catalog]:
    out = {}
    for path in sorted(PACKAGE.glob(f"**/translations/{locale}/LC_MESSAGES/messages.po")):
        with path.open("rb") as handle:
            out[path] = read_po(handle, locale=locale)
    return out


def untranslated(locale: str = "en") -> list[Found]:
    """Strings the UI uses that no catalogue translates."""
    translated = {m.id for cat in catalogues(locale).values() for m in cat if m.id and m.string}
    seen, missing = set(), []
    for found in extract():
        if found.msgid not in translated and found.msgid not in seen:
            seen.add(found.msgid)
            missing.append(found)
    return missing


def update(locale: str = "en") -> int:
    """Adds untranslated strings (empty msgstr) to their domain's catalogue; returns how many."""
    cats = catalogues(locale)
    present = {m.id for cat in cats.values() for m in cat if m.id}
    added = 0
    touched: set[Path] = set()
    for found in untranslated(locale):
        if found.msgid in present:
            continue
        path = po_path(domain_of(found.path), locale)
        if path not in cats:
            cats[path] = Catalog(locale=locale, project="plan-tracker", charset="utf-8")
        cats[path].add(found.msgid, "", locations=[(found.path, found.line)])
        present.add(found.msgid)
        touched.add(path)
        added += 1
    for path in touched:  # only catalogues that gained strings: others may be mid-edit
        cat = cats[path]
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, cat, width=120, omit_header=False, sort_output=True)
    return added


def compile_all(locale: str = "en") -> list[Path]:
    written = []
    for path, cat in catalogues(locale).items():
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, cat)
        written.append(path.with_suffix(".mo"))
    return written
