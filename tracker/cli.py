"""The `tracker` command: Flask's CLI (run, shell, db …) plus each domain's commands."""
from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app(*args, **kwargs):
    from tracker.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Plan Tracker (规划任务督办平台)."""


def _register() -> None:
    """Each domain's cli.py lists its `commands`; the importer and the demo stand apart."""
    from tracker.demo.cli import demo_command
    from tracker.domains import DOMAINS, optional_module
    from tracker.planimport.cli import import_plan_command

    for command in (import_plan_command, demo_command):
        main.add_command(command)
    for name in DOMAINS:
        module = optional_module(name, "cli")
        for command in getattr(module, "commands", ()):
            main.add_command(command)


_register()


@main.group("translations")
def translations() -> None:
    """Keep the English catalogues complete (for developers)."""


@translations.command("update")
def translations_update() -> None:
    """Add new UI strings to their domain's catalogue, with empty translations."""
    from tracker.core import catalogues

    click.echo(f"{catalogues.update()} new string(s); fill their msgstr, then run: tracker translations compile")


@translations.command("compile")
def translations_compile() -> None:
    """Write the .mo files Flask-Babel reads."""
    from tracker.core import catalogues

    for path in catalogues.compile_all():
        click.echo(str(path))


@translations.command("check")
def translations_check() -> None:
    """List UI strings without an English translation; exit 1 if any."""
    from tracker.core import catalogues

    missing = catalogues.untranslated()
    for found in missing:
        click.echo(f"{found.path}:{found.line}: {found.msgid}")
    raise SystemExit(1 if missing else 0)
