"""`tracker tokens …`: API tokens from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from tracker import clock
from tracker.accounts.models import User
from tracker.api import tokens as token_services
from tracker.core.errors import Invalid
from tracker.db import db

tokens = AppGroup("tokens", help="Create, list and revoke API tokens.")


@tokens.command("create")
@click.option("--username", required=True)
@click.option("--name", default="", help="A label to recognise the token by.")
def create(username, name):
    """Create a token for a user; the token is printed alone on the last line (shown only now)."""
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        token, secret = token_services.create_token(db.session, user=user, name=name, actor="cli", now=clock.now())
    except Invalid as invalid:
        raise click.ClickException(str(invalid)) from None
    db.session.commit()
    click.echo(f"created token {token.id} ({token.prefix}…) for {user.username}; store it now, it is not shown again:")
    click.echo(secret)


@tokens.command("revoke")
@click.argument("ref")
def revoke(ref):
    """Revoke a token by its id or its prefix (as `tracker tokens list` shows it)."""
    found = token_services.find_tokens(db.session, ref)
    if not found:
        raise click.ClickException(f"no token {ref!r}")
    if len(found) > 1:
        ids = ", ".join(str(t.id) for t in found)
        raise click.ClickException(f"{ref!r} matches several tokens ({ids}); give the id")
    token = found[0]
    changed = token_services.revoke_token(db.session, token, actor="cli", now=clock.now())
    db.session.commit()
    click.echo(f"revoked token {token.id} ({token.prefix}…) of {token.user.username}" if changed
               else f"token {token.id} ({token.prefix}…) was already revoked")


@tokens.command("list")
def list_tokens():
    """List every token: id, prefix, user, label, created, last used, state."""
    for token in token_services.list_tokens(db.session):
        state = "revoked" if token.is_revoked else ("user-inactive" if not token.user.active else "active")
        last = token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "-"
        click.echo("\t".join([str(token.id), f"{token.prefix}…", token.user.username, token.name or "-",
                              token.created_at.isoformat(timespec="seconds"), last, state]))


commands = [tokens]
