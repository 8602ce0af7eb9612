"""Robot channels: every notice and reminder reaches each configured channel once, in the robot's format,
retried like e-mail; the 钉钉 signature verifies. A real HTTP server on loopback stands in for the robots."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.reminders import delivery, endpoints
from tracker.reminders.models import ChannelEndpoint, OutboxMessage
from tracker.reminders.rules import Channel, MessageState
from tracker.supervision import services

from .conftest import BASE_URL, at
from .test_notices import TODAY, _office, world  # noqa: F401  (the small plan, its clerk and office)

SECRET = "SEC0123456789abcdef"


class Robots:
    """Answers like the robots: {"errcode": 0}; `refuse` makes the next n calls fail with errcode 310000."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict, dict]] = []
        self.refuse = 0
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                parts = urlsplit(self.path)
                robots.calls.append((parts.path, parse_qs(parts.query), body))
                answer = {"errcode": 0, "errmsg": "ok"}
                if robots.refuse:
                    robots.refuse -= 1
                    answer = {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def to(self, path: str):
        return [call for call in self.calls if call[0] == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robots():
    server = Robots()
    yield server
    server.stop()


@pytest.fixture
def channels(app, world, robots):  # noqa: F811
    with app.app_context():
        unit_id = world.unit("甲局").id
        for channel, path, secret in ((Channel.WECOM, "/wecom?key=k1", ""), (Channel.DINGTALK, "/ding?access_token=t1", SECRET),
                                      (Channel.WEBHOOK, "/hook", "")):
            endpoints.add_endpoint(db.session, unit_id=unit_id, channel=channel, url=robots.url + path, secret=secret,
                                   actor="test", now=at(TODAY))
        endpoints.add_endpoint(db.session, unit_id=None, channel=Channel.WEBHOOK, url=robots.url + "/office",
                               actor="test", now=at(TODAY))
        db.session.commit()


def _deliver(app, smtp, day=TODAY, hour=9):
    with app.app_context():
        result = delivery.deliver(db.session, settings=smtp.settings(), now=at(day, hour))
        db.session.commit()
        return len(result.sent), len(result.failed)


def _return(app, world):  # noqa: F811
    with app.app_context():
        report = world.report("1", "甲局", "2024Q3")
        services.return_report(db.session, report, comment="请补充佐证材料", actor=_office(app), now=at(TODAY),
                               base_url=BASE_URL)
        db.session.commit()


def test_a_notice_arrives_once_on_every_channel_of_the_unit_in_each_robots_format(app, world, channels, robots,  # noqa: F811
                                                                                smtp):
    _return(app, world)
    assert _deliver(app, smtp) == (4, 0)          # the e-mail and three robots
    assert _deliver(app, smtp, hour=10) == (0, 0)
    (wecom,), (ding,), (hook,) = robots.to("/wecom"), robots.to("/ding"), robots.to("/hook")
    assert wecom[1]["key"] == ["k1"] and wecom[2]["msgtype"] == "markdown"
    assert "退回意见：请补充佐证材料" in wecom[2]["markdown"]["content"]
    assert ding[2]["msgtype"] == "markdown" and ding[2]["markdown"]["title"].startswith("【退回】任务1")
    assert f"{BASE_URL}/workspace/2024Q3" in ding[2]["markdown"]["text"]
    assert hook[2]["link"] == f"{BASE_URL}/workspace/2024Q3?plan={world.plan_id}" and hook[2]["subject"].startswith("【退回】")
    assert robots.to("/office") == []             # a return is the unit's business only
    assert len(smtp.received) == 1


def test_the_dingtalk_signature_verifies(app, world, channels, robots, smtp):  # noqa: F811
    _return(app, world)
    _deliver(app, smtp)
    (_, query, _), = robots.to("/ding")
    timestamp, sign = query["timestamp"][0], query["sign"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{timestamp}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert sign.encode() == expected                 # parse_qs has already URL-decoded it once
    assert abs(int(timestamp) - int(at(TODAY, 9).timestamp() * 1000)) < 1000
    assert query["access_token"] == ["t1"]


def test_a_robot_that_refuses_is_retried_like_an_email_and_sent_once(app, world, channels, robots, smtp):  # noqa: F811
    _return(app, world)
    robots.refuse = 1
    sent, failed = _deliver(app, smtp)
    assert (sent, failed) == (3, 1)
    with app.app_context():
        waiting = db.session.scalar(select(OutboxMessage).where(OutboxMessage.state == MessageState.PENDING))
        assert waiting.attempts == 1 and "errcode 310000" in waiting.last_error
    assert _deliver(app, smtp, hour=9) == (0, 0)     # backing off
    assert _deliver(app, smtp, hour=10) == (1, 0)
    assert len(robots.calls) == 4


def test_an_overdue_reminder_and_its_escalation_copy_reach_the_robots(app, world, channels, robots, smtp):  # noqa: F811
    from tracker.reminders import services as reminders
    from tracker.reminders.rules import Cadence

    day = date(2024, 10, 14)        # the first working day after 2024Q3's due date
    with app.app_context():
        reminders.sweep(db.session, today=day, now=at(day), cadence=Cadence(max_overdue=0), base_url=BASE_URL)
        db.session.commit()
    _deliver(app, smtp, day)
    assert len(robots.to("/wecom")) == len(robots.to("/ding")) == len(robots.to("/hook")) == 1
    assert "【督办】甲局" in robots.to("/hook")[0][2]["subject"]
    office = [call[2]["subject"] for call in robots.to("/office")]   # the copies reach the office's channel too
    assert len(office) == 3 and sorted(s.split("：")[0] for s in office) == ["【督办】丙局", "【督办】乙局", "【督办】甲局"]


def test_a_secret_is_never_shown_back_in_full(app, world, channels, client, make_user, login):  # noqa: F811
    make_user("admin", role="admin")
    login(client, "admin")
    page = client.get("/admin/outbox/settings").get_data(as_text=True)
    assert SECRET not in page and "SEC0…ef" in page
    assert "access_token=t1" not in page
    with app.app_context():
        assert db.session.scalar(select(ChannelEndpoint.secret).where(ChannelEndpoint.channel == Channel.DINGTALK)) \
            == SECRET
