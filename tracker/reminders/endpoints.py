"""Configuring robot channels: a unit's (or the office's) 企业微信 / 钉钉 group robot or JSON webhook.

Writes check, mutate, flush and audit (secrets masked); none commits.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from tracker.core import audit
from tracker.core.errors import Conflict, Invalid
from tracker.core.i18n import N_
from tracker.reminders.models import ChannelEndpoint, mask
from tracker.reminders.rules import Channel

ROBOTS = (Channel.WECOM, Channel.DINGTALK, Channel.WEBHOOK)


def add_endpoint(session: Session, *, unit_id: int | None, channel: Channel | None, url: str, secret: str = "",
                 actor: Any, now: datetime) -> ChannelEndpoint:
    """Adds a channel. Raises Invalid (not a robot channel, not an http(s) address, a signing secret on a
    robot that does not sign)."""
    url, secret = (url or "").strip(), (secret or "").strip()
    if channel not in ROBOTS:
        raise Invalid(N_("请选择渠道类型。"), fields={"channel": N_("请选择渠道类型。")})
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 1000 or any(c.isspace() for c in url):
        raise Invalid(N_("Webhook 地址须以 http:// 或 https:// 开头。"),
                      fields={"url": N_("Webhook 地址须以 http:// 或 https:// 开头。")})
    if secret and channel is not Channel.DINGTALK:
        raise Invalid(N_("只有钉钉机器人使用加签密钥。"), fields={"secret": N_("只有钉钉机器人使用加签密钥。")})
    if len(secret) > 200:
        raise Invalid(N_("密钥过长。"), fields={"secret": N_("密钥过长。")})
    endpoint = ChannelEndpoint(unit_id=unit_id, channel=channel, url=url, secret=secret, active=True, created_at=now)
    session.add(endpoint)
    session.flush()
    audit.record(session, actor=actor, action="channel.add", obj=endpoint, at=now,
                 new={"unit_id": unit_id, "channel": channel.value, "url": endpoint.masked_url,
                      "secret": mask(secret)})
    return endpoint


def remove_endpoint(session: Session, endpoint: ChannelEndpoint, *, actor: Any, now: datetime) -> None:
    """Stops sending to the channel (its delivery log stays). Raises Conflict if already removed."""
    if not endpoint.active:
        raise Conflict(N_("该渠道已停用。"))
    endpoint.active = False
    session.flush()
    audit.record(session, actor=actor, action="channel.remove", obj=endpoint, at=now,
                 old={"active": True}, new={"active": False})
