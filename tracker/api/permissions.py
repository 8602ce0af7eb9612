"""Who may see and revoke API tokens: the token's own user; administrators every token."""
from __future__ import annotations

from tracker.accounts.permissions import is_admin, is_authenticated


def can_see_all_tokens(user) -> bool:
    return is_admin(user)


def can_revoke_token(user, token) -> bool:
    return is_admin(user) or (is_authenticated(user) and token.user_id == user.id)
