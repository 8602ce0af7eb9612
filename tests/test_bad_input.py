"""Bad input gets a clear answer, never a server error: huge or odd integers in every GET page's
query and path, bad values in forms, and `next` that tries to leave the site.

Most useful on PostgreSQL (TRACKER_TEST_DATABASE_URL), where an integer out of range is an error.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from .conftest import csrf_from

HUGE = "99999999999999999999"
ODD_NUMBERS = [HUGE, "2147483648", "-1", "²", "1e9", " 7 ", "0x10", "1\n"]
QUERY_NAMES = ["plan", "unit", "task", "page", "period", "year", "indicator", "section", "version", "light"]


def _get_pages(app) -> list[str]:
    """Every GET route, its <int:…> parts filled with a huge number and its other parts with 1."""
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<int:[^>]+>", HUGE, rule.rule)
        pages.append(re.sub(r"<[^>]+>", "1", path))
    return sorted(set(pages))


@pytest.fixture
def users(plan, make_user):
    make_user("admin", role="admin")
    make_user("duchashi", role="supervisor")
    make_user("clerk", unit="市林业局")
    return ["admin", "duchashi", "clerk"]


def test_no_get_page_answers_a_huge_or_odd_integer_with_a_server_error(app, client, users, login):
    errors = []
    for username in users:
        login(client, username)
        for page in _get_pages(app):
            for number in ODD_NUMBERS:
                query = "&".join(f"{name}={number}" for name in QUERY_NAMES)
                response = client.get(f"{page}?{query}")
                if response.status_code >= 500:
                    errors.append(f"{username} GET {page}?…={number!r}: {response.status_code}")
                if response.status_code == 403:
                    break  # refused before the query was read: the other values would meet the same refusal
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/settings").get_data(as_text=True))})
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/evil.example", "/\r\nSet-Cookie: a=b", "/\\evil.example",
                                    "\\\\evil.example", "//evil.example", "https://evil.example/"])
def test_the_language_switch_never_redirects_off_site_nor_fails(client, token, target):
    response = client.post("/lang/en", data={"csrf_token": token(client), "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/\\evil.example", "//evil.example"])
def test_login_never_redirects_off_site_nor_fails(client, users, token, target):
    from urllib.parse import quote

    response = client.post(f"/login?next={quote(target)}", data={"username": "clerk", "password": "correct-horse-9",
                                                                 "csrf_token": token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/"


class _Forms(HTMLParser):
    """The POST forms of a page: (action, {field: value})."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {}
            self.forms.append((attrs.get("action") or "", self._current))
        elif tag in ("input", "select", "textarea") and self._current is not None and attrs.get("name"):
            self._current.setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


BAD_VALUES = [HUGE, "2147483648", "-1", "²", "", "   ", "\n", "x" * 3000]


def test_no_form_answers_bad_values_in_its_fields_with_a_server_error(app, client, users, login, plan):
    errors, seen = [], set()
    for username in ["clerk", "duchashi", "admin"]:        # the administrator last: its forms change accounts
        login(client, username)
        for page in _get_pages(app):
            if page.endswith((".csv", ".xlsx", ".docx", ".json")):
                continue
            response = client.get(page.replace(HUGE, "1"))
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for action, fields in parser.forms:
                key = (username, re.sub(r"\d+", "N", action), tuple(sorted(fields)))
                # Logging out (here or everywhere) ends the session the rest of the walk needs.
                if not action or action.endswith(("/logout", "/logout/everywhere", "/sessions")) or key in seen:
                    continue
                seen.add(key)
                for bad in BAD_VALUES:
                    data = {name: (value if name == "csrf_token" else bad) for name, value in fields.items()}
                    answer = client.post(action, data=data)
                    if answer.status_code >= 500:
                        errors.append(f"{username} POST {action} {sorted(fields)} = {bad[:20]!r}: {answer.status_code}")
        client.post("/logout", data={"csrf_token": csrf_from(client.get("/settings").get_data(as_text=True))})
    assert len(seen) > 10
    print(f"\n{len(seen)} forms, {len(seen) * len(BAD_VALUES)} posts")
    assert errors == [], "\n".join(errors)
