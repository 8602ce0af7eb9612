"""Building the e-mails: letters from templates, addresses validated, MIME built safely.

Mail text is Chinese whatever the reader's UI language: it goes to a unit's mailbox, not to
a user's session. Templates live in templates/reminders/mail/ (.txt plain, .html escaped).
"""
from __future__ import annotations

import base64
import random
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, formataddr, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from tracker.reminders.rules import Kind, header_text

SENDER_NAME = "规划任务督办平台"
OFFICE_NAME = "督查室"


@dataclass(frozen=True)
class Letter:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class TaskLine:
    number: str
    title: str
    duty: str            # 牵头 / 配合
    state: str           # "" (nothing saved), "draft", "returned"


@dataclass(frozen=True)
class PeriodBlock:
    """The tasks a unit owes for one period, under one decision (notice, overdue …)."""

    kind: Kind
    step: int
    period_key: str
    period_label: str
    due_on: date
    days_overdue: int
    link: str
    tasks: list[TaskLine]
    plan_title: str = ""         # several plans may be active: the mail names its own
    provisional: bool = False    # due date counted Monday–Friday, no official calendar yet


def workspace_link(base_url: str, period_key: str, plan_id: int | None = None) -> str:
    link = f"{base_url.rstrip('/')}/workspace/{period_key}"
    return f"{link}?plan={plan_id}" if plan_id is not None else link


def render(name: str, **context: Any) -> str:
    """A mail template, without the page context processors (no request here)."""
    return current_app.jinja_env.get_template(f"reminders/mail/{name}").render(**context)


def reminder_letter(unit_name: str, blocks: list[PeriodBlock], *, escalated: bool, today: date,
                    copied: bool = False) -> Letter:
    """One e-mail for one unit, listing every task it owes under every decision of this run.

    `copied`: the supervision office is really in Cc (only then does the letter say so)."""
    headline = max(blocks, key=lambda b: (b.kind.severity, b.days_overdue))
    context = dict(unit_name=header_text(unit_name), blocks=blocks, headline=headline,
                   escalated=escalated, copied=copied, today=today, total=sum(len(b.tasks) for b in blocks))
    return Letter(header_text(render("reminder_subject.txt", **context), 300),
                  render("reminder.txt", **context), render("reminder.html", **context))


def notice_letter(recipient_name: str, *, subject: str, lines: list[str], link: str) -> Letter:
    """A notice: a few lines and where to act on it."""
    context = dict(recipient_name=header_text(recipient_name), subject=header_text(subject, 300), lines=lines,
                   link=link)
    return Letter(header_text(subject, 300), render("notice.txt", **context), render("notice.html", **context))


def digest_letter(context: dict[str, Any]) -> Letter:
    return Letter(header_text(render("digest_subject.txt", **context), 300),
                  render("digest.txt", **context), render("digest.html", **context))


def check_addresses(raw: Iterable[str]) -> tuple[list[str], list[str]]:
    """(valid addresses, normalised and without duplicates; rejected ones as given)."""
    # deciding needs it, `tracker deliver` does not
    from email_validator import EmailNotValidError, validate_email

    valid: list[str] = []
    rejected: list[str] = []
    seen: set[str] = set()
    for candidate in raw:
        text = (candidate or "").strip()
        if not text:
            continue
        try:
            checked = validate_email(text, check_deliverability=False, test_environment=True,
                                     allow_smtputf8=False)
        except EmailNotValidError:
            rejected.append(header_text(text, 254))
            continue
        address = checked.ascii_email or checked.normalized
        if address.lower() not in seen:
            seen.add(address.lower())
            valid.append(address)
    return valid, rejected


def new_message_id(base_url: str) -> str:
    """<…@host of TRACKER_BASE_URL>: fixed when the mail is decided, the same on every retry."""
    host = urlsplit(base_url).hostname or "localhost"
    return make_msgid(domain=re.sub(r"[^A-Za-z0-9.-]", "", host) or "localhost")


def sender_address(sender: str) -> Address:
    """TRACKER_MAIL_FROM as an Address: "名称 <addr>" keeps its display name (any script), a bare
    address is named after the platform. Raises ValueError when no address can be read."""
    name, addr = parseaddr(header_text(sender, 300))
    if not addr or "@" not in addr:
        raise ValueError(f"not a mail address: {sender!r}")
    return Address(display_name=header_text(name) or SENDER_NAME, addr_spec=addr)


def build_email(*, subject: str, text: str, html: str, sender: Address, recipient_name: str,
                to: list[str], cc: list[str], message_id: str, now: datetime, boundary: str | None = None) -> bytes:
    """The mail as sent (CRLF lines): multipart/alternative (text, then HTML) in UTF-8, base64, 7-bit
    clean for any relay; every header value stripped of CR/LF, names in RFC 2047 words.

    The bytes are those the `email` package's compat32 classes write for the same mail (tests/reminders/
    test_mail.py compares them), written directly: flattening the MIME objects folded every header
    through email.header again and cost four times what building them did."""
    boundary = boundary or "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="
    headers = [_folded("Content-Type", f'multipart/alternative; boundary="{boundary}"'), "MIME-Version: 1.0",
               _folded("Subject", Header(header_text(subject, 300), "utf-8")),
               _folded("From", formataddr((sender.display_name, sender.addr_spec), "utf-8")),
               _folded("To", ", ".join(formataddr((header_text(recipient_name), a), "utf-8") for a in to))]
    if cc:
        headers.append(_folded("Cc", ", ".join(formataddr((OFFICE_NAME, a), "utf-8") for a in cc)))
    headers += [_folded("Date", format_datetime(now)), _folded("Message-ID", message_id),
                "Auto-Submitted: auto-generated"]
    lines = [*headers, "", f"--{boundary}", *_base64_part("plain", text), "", f"--{boundary}",
             *_base64_part("html", html), "", f"--{boundary}--", ""]
    return "\r\n".join(lines).encode("ascii")


def _folded(name: str, value: str | Header) -> str:
    """One header as compat32 folds it at 78 columns: a short ASCII value as it is."""
    if isinstance(value, str) and value.isascii() and len(name) + 2 + len(value) <= 78 and " " * 2 not in value:
        return f"{name}: {value}"
    folded = value if isinstance(value, Header) else Header(value, header_name=name)
    return f"{name}: {folded.encode(linesep=chr(13) + chr(10), maxlinelen=78)}"


def _base64_part(subtype: str, body: str) -> list[str]:
    encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii").splitlines()
    return [f'Content-Type: text/{subtype}; charset="utf-8"', "MIME-Version: 1.0",
            "Content-Transfer-Encoding: base64", "", *encoded]
