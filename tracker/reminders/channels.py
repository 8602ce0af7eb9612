"""Sending one outbox message to one robot channel: 企业微信 and 钉钉 group robots, or a generic JSON webhook.

Each robot gets markdown text with a link to the tracker. 钉钉's signature (加签): HMAC-SHA256 keyed with
the secret over "timestamp\\nsecret", base64, URL-encoded, sent as the `timestamp` (ms) and `sign`
query parameters. A robot answers 200 with {"errcode": 0} on success; anything else is a failure the
outbox retries like a refused e-mail.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime
from urllib.parse import quote_plus

from tracker.reminders.models import ChannelEndpoint, OutboxMessage
from tracker.reminders.rules import Channel

TIMEOUT_SECONDS = 10
WECOM_LIMIT = 4000          # 企业微信 markdown content: at most 4096 bytes


class ChannelError(Exception):
    """The robot did not take the message (HTTP error, refused, or an errcode ≠ 0)."""


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The 钉钉 加签 value for this timestamp, already URL-encoded."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def markdown(message: OutboxMessage) -> str:
    """The message as robot markdown: the subject in bold, the plain text, the link."""
    body = message.text_body.strip()
    text = f"**{message.subject}**\n\n{body}"
    if message.link and message.link not in body:
        text += f"\n\n[打开规划任务督办平台]({message.link})"
    return text


def payload(message: OutboxMessage, channel: Channel) -> dict:
    text = markdown(message)
    if channel is Channel.WECOM:
        encoded = text.encode("utf-8")
        if len(encoded) > WECOM_LIMIT:
            text = encoded[:WECOM_LIMIT].decode("utf-8", "ignore") + "…"
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if channel is Channel.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": message.subject, "text": text}}
    return {"subject": message.subject, "text": message.text_body, "markdown": text, "link": message.link,
            "recipient": message.recipient_name, "message_id": message.message_id}


def address(endpoint: ChannelEndpoint, now: datetime) -> str:
    if endpoint.channel is not Channel.DINGTALK or not endpoint.secret:
        return endpoint.url
    timestamp = int(now.timestamp() * 1000)
    joiner = "&" if "?" in endpoint.url else "?"
    return f"{endpoint.url}{joiner}timestamp={timestamp}&sign={dingtalk_sign(endpoint.secret, timestamp)}"


def send(message: OutboxMessage, endpoint: ChannelEndpoint, *, now: datetime) -> None:
    """POSTs the message to the endpoint once. Raises ChannelError (or OSError) when it was not taken."""
    data = json.dumps(payload(message, endpoint.channel), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(address(endpoint, now), data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "X-Tracker-Message-Id": message.message_id})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(65536)
    except urllib.error.HTTPError as error:
        raise ChannelError(f"HTTP {error.code}") from None
    if endpoint.channel in (Channel.WECOM, Channel.DINGTALK):
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            raise ChannelError("the robot's answer is not JSON") from None
        if answer.get("errcode", 0) != 0:
            raise ChannelError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:500])
