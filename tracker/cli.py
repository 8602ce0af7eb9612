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
