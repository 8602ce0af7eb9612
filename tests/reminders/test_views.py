"""/admin/outbox: the outbox, the reminder log and units without address — for the office and admins only."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tracker.db import db
from tracker.reminders import services
from tracker.reminders.models import OutboxMessage
from tracker.reminders.rules import Cadence, MessageState

from .conftest import BASE_URL, at


@pytest.fixture
def decided(app, addressed, make_user):
    """The 2024-10-14 sweep decided (no SMTP: everything waits in the outbox); returns a message id."""
    make_user("admin", role="admin")
    make_user("fgw", unit="市发展和改革委员会")
    with app.app_context():
        services.sweep(db.session, today=date(2024, 10, 14), now=at(date(2024, 10, 14)), cadence=Cadence(),
                       base_url=BASE_URL)
        db.session.commit()
        return db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient_name == "市发展和改革委员会"))


def test_anonymous_visitors_are_sent_to_the_login_page(client, decided):
    response = client.get("/admin/outbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/admin/outbox", "/admin/outbox/{id}"])
def test_a_unit_clerk_cannot_read_the_outbox(client, login, decided, path):
    login(client, "fgw")
    assert client.get(path.format(id=decided)).status_code == 403


def test_a_unit_clerk_cannot_retry_a_message(client, login, token, decided):
    login(client, "fgw")
    response = client.post(f"/admin/outbox/{decided}/retry", data={"csrf_token": token(client, "/settings")})
    assert response.status_code == 403


@pytest.mark.parametrize("username", ["duchashi", "admin"])
def test_the_office_and_admins_see_the_outbox_the_log_and_units_without_address(client, login, decided, username):
    login(client, username)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "【催报】市发展和改革委员会：2024年第3季度进展报送逾期提醒" in page
    assert "待发送" in page and "逾期催报" in page
    no_address = page.split('id="no-address"', 1)[1].split("</section>", 1)[0]
    assert "市财政局" in no_address and "市发展和改革委员会" not in no_address
    assert "无联系地址，未发送" in page   # the log keeps the decision for a unit it could not reach


def test_the_message_page_shows_the_mail_as_it_will_be_sent(client, login, decided):
    login(client, "duchashi")
    page = client.get(f"/admin/outbox/{decided}").get_data(as_text=True)
    assert "fgw@zz.example.cn" in page and "贵单位尚有以下" in page
    assert "立即重试" in page


def test_retrying_a_message_puts_it_first_in_line(app, client, login, token, decided):
    with app.app_context():
        message = db.session.get(OutboxMessage, decided)
        message.state, message.attempts, message.last_error = MessageState.FAILED, 12, "SMTPServerDisconnected"
        db.session.commit()
    login(client, "duchashi")
    response = client.post(f"/admin/outbox/{decided}/retry",
                           data={"csrf_token": token(client, f"/admin/outbox/{decided}")})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/outbox/{decided}")
    assert "已重新排队" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(OutboxMessage, decided).state is MessageState.PENDING


def test_retry_needs_the_csrf_token(client, login, decided):
    login(client, "duchashi")
    assert client.post(f"/admin/outbox/{decided}/retry").status_code == 400


def test_a_sent_message_is_not_retried(app, client, login, token, decided):
    with app.app_context():
        db.session.get(OutboxMessage, decided).state = MessageState.SENT
        db.session.commit()
    login(client, "duchashi")
    client.post(f"/admin/outbox/{decided}/retry", data={"csrf_token": token(client, "/admin/outbox")})
    assert "该邮件已发送，无需重试" in client.get(f"/admin/outbox/{decided}").get_data(as_text=True)


def test_the_outbox_page_reads_in_a_fixed_number_of_queries(app, client, login, decided, count_queries):
    login(client, "duchashi")
    client.get("/admin/outbox")
    with count_queries() as few:
        client.get("/admin/outbox")
    with app.app_context():
        services.sweep(db.session, today=date(2024, 10, 16), now=at(date(2024, 10, 16)), cadence=Cadence(),
                       base_url=BASE_URL)
        db.session.commit()
    with count_queries() as many:
        client.get("/admin/outbox")
    assert len(many) == len(few)


@pytest.mark.parametrize("username, shown", [("duchashi", True), ("admin", True), ("fgw", False)])
def test_the_menu_offers_the_outbox_to_the_office_and_admins_only(client, login, decided, username, shown):
    login(client, username)
    menu = client.get("/settings").get_data(as_text=True).split("</nav>", 1)[0]
    assert ('href="/admin/outbox"' in menu) is shown
