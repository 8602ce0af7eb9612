"""The two batch measurements: delivering the outbox over SMTP, and the ledger export."""
from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from items import Context, Missing, optional, page, route_exists
from measure import Result

from tracker.db import db

ZONE = ZoneInfo("Asia/Shanghai")
MESSAGES = 1000  # run.py --messages changes it


class Sink:
    """aiosmtpd on 127.0.0.1 in a process of its own (as a relay would be), accepting and dropping mail.

    Our process's count of sent messages is checked against the outbox rows marked sent.
    """

    def __enter__(self) -> Sink:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{self.port}", "-c", "aiosmtpd.handlers.Sink"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.process.kill()
        raise RuntimeError("aiosmtpd did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def _rows(count: int, now: datetime) -> list[dict]:
    """Outbox rows as the reminder sweep writes them: a reminder letter of a few tasks each."""
    outbox_row = optional("tracker.reminders.services", "outbox_row")
    letter = optional("tracker.reminders.mail", "Letter")
    rows = []
    for i in range(count):
        lines = "\n".join(f"  {n}. 基准任务{n}：推进知识产权重点工作（牵头）" for n in range(i % 7 + 3))
        body = f"基准单位{i:03d}：\n\n贵单位以下任务的 2025年第3季度 进展报告已逾期 1 天，请尽快报送：\n{lines}\n\n督查室"
        mail = letter(subject=f"【催办】2025年第3季度进展报告已逾期（基准单位{i:03d}）", text=body,
                      html="<p>" + body.replace("\n", "<br>") + "</p>")
        rows.append(outbox_row(mail, recipient_name=f"基准单位{i:03d}", to=[f"unit{i:03d}@bench.test"], cc=[],
                               message_id=f"<bench-{uuid.uuid4().hex}@bench.test>", now=now))
    return rows


def _queue(app: Flask, count: int) -> None:
    queue_messages = optional("tracker.reminders.services", "queue_messages")
    with app.app_context():
        queue_messages(db.session, _rows(count, datetime.now(ZONE)))
        db.session.commit()


def outbox(ctx: Context, result: Result, *, runs: int = 3) -> Result:
    """Queues 1,000 messages (not timed), then times the delivery job sending all of them to a local relay."""
    deliver_outbox = optional("tracker.reminders.jobs", "deliver_outbox")
    batches = optional("tracker.reminders.jobs", "DELIVERY_BATCHES") * optional("tracker.reminders.delivery", "BATCH")
    rates, seconds = [], []
    with Sink() as sink:
        ctx.app.config.update(TRACKER_SMTP_HOST="127.0.0.1", TRACKER_SMTP_PORT=sink.port, TRACKER_SMTP_SECURITY="none")
        try:
            for _ in range(runs):
                _queue(ctx.app, MESSAGES)
                started, sent = time.perf_counter(), 0
                with ctx.app.app_context():
                    for _ in range(-(-MESSAGES // batches)):   # one job run sends up to `batches` messages
                        done = deliver_outbox(now=datetime.now(ZONE))
                        sent += len(done.sent)
                        if done.failed:
                            raise RuntimeError(f"{len(done.failed)} failed: {done.failed[0].error}")
                took = time.perf_counter() - started
                if sent != MESSAGES:
                    raise RuntimeError(f"{sent} of {MESSAGES} messages sent")
                seconds.append(took)
                rates.append(MESSAGES / took)
        finally:
            ctx.app.config.update(TRACKER_SMTP_HOST=None)
    result.times = seconds
    result.rate = statistics.median(rates)
    result.note = (f"{MESSAGES} messages × {runs} runs through tracker.reminders.jobs.deliver_outbox to aiosmtpd on "
                   f"127.0.0.1: median {statistics.median(seconds):.2f} s per 1,000, slowest run {min(rates):.0f} msg/s")
    return result


def download_path(app: Flask, name: str, **values) -> str:
    """A supervision export (`ledger`, `compilation`) as .xlsx, wherever its blueprint put it."""
    from flask import url_for

    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("supervision.") and name in rule.endpoint:
            with app.test_request_context():
                return url_for(rule.endpoint, **({"kind": "xlsx"} if "kind" in rule.arguments else {}),
                               **{k: v for k, v in values.items() if k in rule.arguments})
    raise Missing(f"no supervision {name} export route")


def _export(ctx: Context, result: Result, path: str, runs: int) -> Result:
    if not route_exists(ctx.app, path):
        raise Missing(f"no route {path}")
    page(ctx, result, ctx.supervisor, path, times=runs, warmup=1)
    size = len(ctx.supervisor.get(path).get_data())
    result.note = f"GET {path}: {size / 1024:,.0f} KB .xlsx, {runs} runs warm and {runs} cold"
    return result


def ledger(ctx: Context, result: Result, *, runs: int = 5) -> Result:
    """The ledger (台账) of every task, warm and right after a report is submitted."""
    return _export(ctx, result, download_path(ctx.app, "ledger"), runs)


def compilation(ctx: Context, result: Result, *, runs: int = 5) -> Result:
    """The quarter's compilation (汇编) of every report, warm and cold."""
    return _export(ctx, result, download_path(ctx.app, "compilation", key=ctx.period.key), runs)
