"""`tracker users …`: accounts from the command line."""
from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from tracker import clock
from tracker.accounts import services
from tracker.accounts.models import Role, User
from tracker.accounts.passwords import PasswordPolicy
from tracker.core.errors import Invalid
from tracker.db import db

users = AppGroup("users", help="Create and list user accounts.")


@users.command("create")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "unit_name", default=None, help="The unit's name (required for role unit).")
@click.option("--email", default="")
@click.option("--name", "display_name", default="")
@click.option("--password", default=None, help="Omit to be prompted; '-' reads it from stdin.")
def create(username, role, unit_name, email, display_name, password):
    """Create a user account."""
    if password == "-":
        password = sys.stdin.readline().rstrip("\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    policy = PasswordPolicy.from_config(current_app.config)
    try:
        user = services.create_user(db.session, username=username, role=Role(role), password=password,
                                    email=email, unit_name=unit_name, display_name=display_name,
                                    actor="cli", now=clock.now(), policy=policy,
                                    must_change=policy.change_at_first_login)
    except Invalid as invalid:
        for name, message in invalid.fields.items():
            click.echo(f"{name}: {message % invalid.params}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"created {user.username} ({user.role.value}{', ' + user.unit.name if user.unit else ''})")


@users.command("list")
def list_users():
    """List user accounts."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        click.echo(f"{user.username}\t{user.role.value}\t{user.unit.name if user.unit else '-'}\t{user.email}")
commands = [users]
