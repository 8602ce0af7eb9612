"""Creating, finding and revoking API tokens. Writes flush and audit; none commits.

A token is `pt_` + 43 random URL-safe characters (256 bits). Only its SHA-256 is
stored: a plain hash is enough for a secret of that strength, and it can be looked
up by equality. The first characters are kept apart so lists can name a token.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import User
from tracker.api.models import ApiToken
from tracker.core import audit
from tracker.core.errors import Invalid
from tracker.core.i18n import N_
from tracker.core.inputs import whole_number

SCHEME = "pt_"
PREFIX_LENGTH = 10
MAX_NAME = 80
# Recording every use would turn each read into a write; once in a while is enough to see use.
TOUCH_EVERY = timedelta(minutes=5)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(session: Session, *, user: User, name: str, actor: Any, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its secret, which is never stored. Raises Invalid."""
    name = (name or "").strip()
    if len(name) > MAX_NAME:
        raise Invalid(N_("令牌名称有误。"), fields={"name": N_("不能超过 80 个字。")})
    if not user.active:
        raise Invalid(N_("该用户已停用，不能创建令牌。"))
    secret = SCHEME + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, prefix=secret[:PREFIX_LENGTH], secret_hash=hash_secret(secret),
                     created_at=now)
    session.add(token)
    audit.record(session, actor=actor, action="api_token.create", obj=token,
                 new={"user": user.username, "name": name, "prefix": token.prefix}, at=now)
    return token, secret


def revoke_token(session: Session, token: ApiToken, *, actor: Any, now: datetime) -> bool:
    """Revokes the token at once; False if it already was."""
    if token.is_revoked:
        return False
    token.revoked_at = now
    audit.record(session, actor=actor, action="api_token.revoke", obj=token,
                 old={"user": token.user.username, "prefix": token.prefix}, at=now)
    session.flush()
    return True


def find_usable_token(session: Session, secret: str) -> ApiToken | None:
    """The live token with this secret, whose user is still active; None otherwise."""
    if not secret.startswith(SCHEME) or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.secret_hash == hash_secret(secret)))
    if token is None or token.is_revoked or not token.user.active:
        return None
    return token


def touch_token(token: ApiToken, *, now: datetime) -> bool:
    """Notes the token's use, at most once per TOUCH_EVERY; True if it changed."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    return True


def list_tokens(session: Session, *, user_id: int | None = None) -> list[ApiToken]:
    """Tokens, newest first: one user's, or everyone's (for administrators)."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(session.scalars(query))


def find_tokens(session: Session, ref: str) -> list[ApiToken]:
    """Tokens named on the command line: by id, by their shown prefix (or its start), or by the secret."""
    ref = ref.strip().rstrip("…")
    if (wanted := whole_number(ref)) is not None:
        token = session.get(ApiToken, wanted)
        return [token] if token else []
    if len(ref) <= len(SCHEME):
        return []
    if len(ref) > PREFIX_LENGTH:
        match = ApiToken.secret_hash == hash_secret(ref)
    else:
        match = ApiToken.prefix.startswith(ref, autoescape=True)
    return list(session.scalars(select(ApiToken).where(match).order_by(ApiToken.id)))
