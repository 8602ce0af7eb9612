"""Chinese by default, English selectable, and no UI string left untranslated."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo

from tracker.core import catalogues


def test_every_ui_string_has_an_english_translation():
    missing = catalogues.untranslated("en")
    assert not missing, "untranslated (run `tracker translations update`):\n" + "\n".join(
        f"{m.path}:{m.line}: {m.msgid}" for m in missing[:30])


def test_no_translation_is_a_fuzzy_guess():
    assert not catalogues.fuzzy("en"), "fuzzy entries must be confirmed by a person"


def test_there_is_one_catalogue_so_no_string_has_two_translations():
    package = Path(catalogues.__file__).resolve().parents[1]
    found = sorted(str(p.relative_to(package)) for p in package.glob("**/messages.po"))
    assert found == ["translations/en/LC_MESSAGES/messages.po"]


def test_the_compiled_catalogue_matches_its_source():
    mo = catalogues.po_path("en").with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run `tracker translations compile`"
    with mo.open("rb") as handle:
        compiled = {m.id: m.string for m in read_mo(handle) if m.id}
    source = {m.id: m.string for m in catalogues.catalogue("en") if m.id and m.string}
    assert compiled == source, f"{mo} is stale: run `tracker translations compile`"


def test_a_string_in_a_template_is_found_by_the_extraction():
    found = {f.msgid for f in catalogues.extract() if f.path.startswith("templates")}
    assert "登录" in found


def test_pages_are_chinese_by_default_and_english_on_request(client, token):
    assert "登录" in client.get("/login").get_data(as_text=True)
    response = client.post("/lang/en", data={"csrf_token": token(client), "next": "/login"})
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "Log in" in page and "登录" not in page.split("<main", 1)[1]


def test_the_language_switch_refuses_to_redirect_off_site(client, token):
    response = client.post("/lang/en", data={"csrf_token": token(client), "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
