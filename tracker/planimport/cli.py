"""`tracker import-plan PLAN [-o OUT.json]`: a plan file (.txt, .docx, .xlsx) → seed JSON; problems to stderr.

It runs `import_document`, the same path as the web import's preview, without a database.

Needs no Flask app: it only reads a file and writes JSON, so it is a plain click command.
"""
from __future__ import annotations

import json
from pathlib import Path

import click

from . import ImportResult, RosterError, load_roster, read_plan


def seed_json(result: ImportResult) -> str:
    """The seed as the repository keeps it: stable, readable Chinese, one trailing newline."""
    return json.dumps(result.to_seed(), ensure_ascii=False, indent=2) + "\n"


@click.command("import-plan")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="写入的JSON文件；不给则输出到标准输出。")
@click.option("--force", is_flag=True, help="有错误时仍写入 -o 指定的文件。")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="单位名册JSON文件（默认：郑州市名册）。")
def import_plan_command(plan_file: Path, output: Path | None, force: bool, roster: Path | None) -> None:
    """导入规划或分工方案（文本、Word .docx、Excel .xlsx），生成任务种子JSON。问题逐行输出到标准错误；有错误时退出码为1。"""
    try:
        unit_roster = load_roster(roster)
    except RosterError as exc:
        raise click.ClickException(str(exc)) from exc
    result = read_plan(plan_file, unit_roster)
    for problem in result.problems:
        click.echo(problem.describe(), err=True)
    if output is None:
        click.echo(seed_json(result), nl=False)
    elif result.errors and not force:
        click.echo(result.summary(), err=True)
        click.echo(f"有{len(result.errors)}个错误，未写入 {output}；改正后重新导入，或加 --force 仍然写入。", err=True)
    else:
        output.write_text(seed_json(result), encoding="utf-8")
        click.echo(f"已写入 {output}：{result.summary()}；{len(result.indicators)}项指标。")
    if result.errors:
        click.get_current_context().exit(1)


if __name__ == "__main__":
    import_plan_command()
