"""The `tracker` command: Flask's CLI (run, shell, db …) plus each domain's commands.

A cron job pays only for the command it runs: `COMMANDS` names every command with its help's
first line, a command's module is imported when that command is invoked, and `tracker --help`
lists them from the table without building an app (tests/test_cli.py keeps the table equal to
each domain's `commands`). Our commands serve no page: their app is `create_app(lean=True)`, and
the cron jobs' (remind, digest, deliver) `create_app(lean=True, job=True)`; run, shell, routes, db
and Flask's plugins get the whole application.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import click
from flask.cli import FlaskGroup, ScriptInfo


@dataclass(frozen=True)
class Listed:
    """A command by name: where it lives ("module:attribute"), its help's first paragraph, and
    whether it runs in the lean app (no views, no Alembic until it migrates) or, a cron job, in the
    job app (nor sessions, Babel, error pages), and then whether it sends signals (the listeners)."""

    name: str
    where: str
    help: str
    lean: bool = True
    job: bool = False
    signals: bool = True

    def load(self) -> click.Command:
        module, _, attribute = self.where.partition(":")
        return getattr(importlib.import_module(module), attribute)


COMMANDS = {listed.name: listed for listed in (
    Listed("init", "tracker.plans.cli:init_command", "Create or upgrade the database schema; each domain's seed part may then refresh what it derived."),
    Listed("seed", "tracker.plans.cli:seed_command",
           "Load a plan from seed JSON (default: seed_tasks.json); safe to run again."),
    Listed("plans", "tracker.plans.cli:plans_command",
           "The plans: several may be active at once; an ended one is archived."),
    Listed("periods", "tracker.reporting.cli:periods", "Reporting periods and their due dates."),
    Listed("evidence", "tracker.reporting.cli:evidence", "Evidence files (佐证材料) on disk."),
    Listed("users", "tracker.accounts.cli:users", "Create and list user accounts."),
    Listed("remind", "tracker.reminders.cli:remind_command", "Decide today's reminders once, then send the outbox.",
           job=True),
    Listed("digest", "tracker.reminders.cli:digest_command",
           "Queue this week's digest for the supervision office (once a week), then send the outbox.", job=True),
    Listed("deliver", "tracker.reminders.cli:deliver_command", "Send the e-mails waiting in the outbox.", job=True,
           signals=False),
    Listed("scheduler", "tracker.reminders.cli:scheduler_command",
           "Run the scheduled jobs in this process (production: one beside the web server)."),
    Listed("tokens", "tracker.api.cli:tokens", "Create, list and revoke API tokens."),
    Listed("audit", "tracker.audit.cli:audit", "Read, export, verify and prune the audit log."),
    Listed("bench-data", "tracker.bench.cli:bench_data_command",
           "Build the scaled benchmark database (wipes it first), the same for the same options."),
    Listed("import-plan", "tracker.planimport.cli:import_plan_command",
           "导入规划或分工方案（文本、Word .docx、Excel .xlsx），生成任务种子JSON。问题逐行输出到标准错误；有错误时退出码为1。"),
    Listed("demo", "tracker.demo.cli:demo_command", "Build a fresh demo database (instance/demo.db) and serve it."),
    Listed("db", "flask_migrate.cli:db", "Perform database migrations.", lean=False),   # Flask-Migrate's
)}


def _create_app(*args, **kwargs):
    from tracker.app import create_app

    return create_app()


def _create_lean_app():
    from tracker.app import create_app

    return create_app(lean=True)


def _create_job_app():
    from tracker.app import create_app

    return create_app(lean=True, job=True)


def _create_silent_job_app():
    from tracker.app import create_app

    return create_app(lean=True, job=True, signals=False)


class TrackerGroup(FlaskGroup):
    """FlaskGroup that imports one of our commands only when it is invoked, and lists without an app."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        listed = COMMANDS.get(name)
        if listed is None:
            return super().get_command(ctx, name)
        info = ctx.ensure_object(ScriptInfo)
        if listed.lean and info.create_app is _create_app:      # not a test's own app
            info.create_app = (_create_lean_app if not listed.job else _create_job_app if listed.signals
                               else _create_silent_job_app)
        return listed.load()

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Ours, Flask's (run, shell, routes) and plugins' (limiter); the app's `cli` adds only `db`."""
        self._load_plugin_commands()
        return sorted({*self.commands, *COMMANDS})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """click's listing, with our commands' help taken from COMMANDS instead of importing them."""
        rows = []
        for name in self.list_commands(ctx):
            listed = COMMANDS.get(name)
            command = click.Command(name, help=listed.help) if listed else self.commands[name]
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


@click.group(cls=TrackerGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Plan Tracker (规划任务督办平台)."""


@main.group("translations")
def translations() -> None:
    """Keep the English catalogue complete (for developers; pybabel underneath)."""


@translations.command("update")
def translations_update() -> None:
    """pybabel extract + update: new UI strings enter tracker/translations with empty translations."""
    from tracker.core import catalogues

    catalogues.update()
    missing = catalogues.untranslated()
    click.echo(f"{len(missing)} string(s) to translate in {catalogues.po_path()}; "
               "then run: tracker translations compile")


@translations.command("compile")
def translations_compile() -> None:
    """pybabel compile: the .mo file Flask-Babel reads."""
    from tracker.core import catalogues

    catalogues.compile_all()
    click.echo(str(catalogues.po_path().with_suffix(".mo")))


@translations.command("check")
def translations_check() -> None:
    """List UI strings without an English translation, and fuzzy entries; exit 1 if any."""
    from tracker.core import catalogues

    missing = catalogues.untranslated()
    for found in missing:
        click.echo(f"{found.path}:{found.line}: {found.msgid}")
    guesses = catalogues.fuzzy()
    for msgid in guesses:
        click.echo(f"fuzzy: {msgid}")
    raise SystemExit(1 if missing or guesses else 0)
