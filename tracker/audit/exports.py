"""The audit log as .xlsx or .csv bytes; views and the CLI only send or write them.

Formula-safe through tracker.core.cells (the one rule for every export): a value starting with
= + - @ (or a tab / carriage return) is prefixed with an apostrophe in both formats, so a crafted
user agent or name cannot run as a formula in Excel or WPS.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from openpyxl import Workbook

from tracker.core.audit import AuditEntry
from tracker.core.cells import csv_field
from tracker.core.i18n import N_

Gettext = Callable[[str], str]
HEADERS = (N_("编号"), N_("时间"), N_("操作人"), N_("角色"), N_("单位"), N_("操作"), N_("对象"), N_("对象编号"),
           N_("原值"), N_("新值"), N_("客户端地址"), N_("用户代理"), N_("哈希"))


def _row(entry: AuditEntry, zone) -> list[object]:
    def as_json(values):
        return json.dumps(values, ensure_ascii=False, sort_keys=True) if values is not None else ""

    return [entry.id, entry.at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_label, entry.role,
            entry.unit_label, entry.action, entry.object_type, entry.object_id, as_json(entry.old),
            as_json(entry.new), entry.address, entry.agent, entry.hash or ""]


def audit_csv(entries: Iterable[AuditEntry], gettext: Gettext, zone) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext(h) for h in HEADERS])
    for entry in entries:
        writer.writerow([csv_field(v) for v in _row(entry, zone)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def audit_xlsx(entries: Iterable[AuditEntry], gettext: Gettext, zone) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(gettext("审计日志"))
    sheet.append([gettext(h) for h in HEADERS])
    for entry in entries:
        sheet.append([csv_field(v) for v in _row(entry, zone)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
