"""`tracker`: every command listed with its own help, and a cron job's command imports only what it needs."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup

from tracker.cli import COMMANDS, main
from tracker.domains import DOMAINS, optional_module

TRACKER = [sys.executable, "-c", "from tracker.cli import main; main()"]


def _every_command() -> dict[str, click.Command]:
    """What the domains offer (each cli.py's `commands`), the importer, the demo and Flask-Migrate's `db`."""
    from flask_migrate.cli import db

    from tracker.demo.cli import demo_command
    from tracker.planimport.cli import import_plan_command

    found = {command.name: command for command in (import_plan_command, demo_command, db)}
    for name in DOMAINS:
        module = optional_module(name, "cli")
        found.update((command.name, command) for command in getattr(module, "commands", ()))
    return found


def test_every_domain_command_is_listed_where_it_lives():
    every = _every_command()
    assert sorted(COMMANDS) == sorted(every)
    for name, command in every.items():
        assert COMMANDS[name].load() is command, name


@pytest.mark.database_free
def test_tracker_help_lists_every_command_with_its_own_help():
    """The listing from COMMANDS reads exactly as click's listing of the imported commands."""
    eager = FlaskGroup(name="tracker", help=main.help, add_version_option=False, create_app=lambda: Flask("probe"))
    # By the name each is listed under: a plugin's command may be registered under another name
    # than its own (Flask-Limiter's `cli` is `limiter`), and an earlier test may have loaded the plugins.
    for name, command in [*_every_command().items(), *main.commands.items()]:
        eager.add_command(command, name)
    listed = CliRunner().invoke(main, ["--help"], prog_name="tracker")
    imported = CliRunner().invoke(eager, ["--help"], prog_name="tracker")
    assert listed.exit_code == 0 and "deliver       Send the e-mails waiting in the outbox." in listed.output
    assert listed.output == imported.output


@pytest.mark.parametrize("command", ["deliver", "remind"])
def test_a_cron_command_imports_neither_views_nor_alembic_nor_the_export_libraries(app, database_url, command):
    code = ("import json, sys; from tracker.cli import main\n"
            f"try: main([{command!r}])\n"
            "except SystemExit: pass\n"
            "print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    environment = {**os.environ, "TRACKER_DATABASE_URL": database_url, "TRACKER_SECRET_KEY": "test-secret",
                   "TRACKER_TODAY": "2024-11-20", "TRACKER_LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "0 sent, 0 failed" in result.stdout or "SMTP not configured" in result.stdout
    modules = set(json.loads(result.stderr.strip().splitlines()[-1]))
    heavy = {"alembic", "openpyxl", "docx", "authlib", "flask_limiter", "marshmallow", "apispec", "segno"}
    assert heavy & modules == set()
    assert sorted(m for m in modules if ".views" in m) == []
    # the job app: nobody logs in, no page is rendered, nothing is scheduled
    page_parts = {"flask_babel", "babel", "flask_wtf", "wtforms", "apscheduler", "tracker.extensions",
                  "tracker.errors", "tracker.web", "tracker.models"}
    assert page_parts & modules == set()
    if command == "deliver":      # sends no signal and validates no address: no listeners, no email_validator
        assert {m for m in modules if m.endswith(".listeners")} | ({"email_validator"} & modules) == set()


@pytest.mark.database_free
def test_tracker_init_binds_the_migrations_in_the_lean_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    environment = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "test-secret"}
    result = subprocess.run([*TRACKER, "init"], env=environment, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert f"schema up to date: {url}" in result.stdout
    current = subprocess.run([*TRACKER, "db", "current"], env=environment, capture_output=True, text=True,
                             timeout=120)
    assert current.returncode == 0 and "(head)" in current.stdout, current.stderr
