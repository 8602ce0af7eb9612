"""`tracker import-plan`: JSON out, problems to stderr, exit status by severity."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tracker.planimport.cli import import_plan_command

from .conftest import REPOSITORY, ZHENGZHOU_PLAN
from .test_bad_input import PLAN

SEED = REPOSITORY / "seed_tasks.json"
REGENERATE = ".venv/bin/python -m tracker.planimport.cli tests/data/zhengzhou-ip-plan-2021-2025.txt -o seed_tasks.json"


def run(*args: str):
    return CliRunner().invoke(import_plan_command, [str(a) for a in args])


@pytest.fixture
def plan_file(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "plan.txt"
        path.write_text(text, encoding="utf-8")
        return path
    return write


def test_import_plan_reproduces_the_committed_seed():
    result = run(ZHENGZHOU_PLAN)
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == SEED.read_text(encoding="utf-8"), (
        f"seed_tasks.json is out of date; regenerate it from the repository root with: {REGENERATE}"
    )


def test_the_seed_keeps_the_field_names_other_parts_rely_on():
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    assert {"title", "start_year", "end_year"} <= seed["plan"].keys()
    assert {"key", "part", "title", "position"} <= seed["sections"][0].keys()
    assert {"number", "title", "text", "section", "section_key", "lead", "co", "units_text", "line"} <= seed["tasks"][0].keys()
    assert {"name", "kind", "aliases", "members", "office"} <= seed["units"][0].keys()
    assert {
        "number", "category", "name", "measure", "baseline", "baseline_value", "target", "target_low",
        "target_high", "annual", "attribute", "basis", "peers",
    } <= seed["indicators"][0].keys()
    assert {"city", "baseline", "target"} <= seed["indicators"][0]["peers"][0].keys()


def test_import_plan_writes_the_output_file_and_says_what_it_wrote(tmp_path):
    out = tmp_path / "seed.json"
    result = run(ZHENGZHOU_PLAN, "-o", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")
    assert "53项任务" in result.stdout and "18项指标" in result.stdout


def test_warnings_go_to_stderr_one_per_line_and_exit_0(plan_file):
    result = run(plan_file(PLAN.replace("市司法局", "市月球开发局")))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "第7行：[警告] 单位名册中没有“市月球开发局”（任务1），已作为新的部门单位导入，请核对名称或补充名册",
    ]
    assert json.loads(result.stdout)["tasks"][0]["co"] == ["市月球开发局"]


@pytest.mark.parametrize("force, written", [(False, False), (True, True)])
def test_errors_exit_1_and_write_the_file_only_when_forced(plan_file, tmp_path, force, written):
    out = tmp_path / "seed.json"
    args = [plan_file(PLAN.replace("[责任单位：市中级人民法院]", "")), "-o", out] + (["--force"] if force else [])
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "第8行：[错误] 任务2没有责任单位"
    assert out.exists() is written


def test_a_gbk_file_imports_like_its_utf8_copy(tmp_path):
    gbk, utf8 = tmp_path / "gbk.txt", tmp_path / "utf8.txt"
    gbk.write_bytes(PLAN.encode("gbk"))
    utf8.write_bytes(PLAN.encode("utf-8"))
    assert run(gbk).exit_code == 0 and run(gbk).stdout == run(utf8).stdout


def test_a_pdf_is_named_for_what_it_is(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n...")
    result = run(path)
    assert result.exit_code == 1 and "这是PDF文件，请另存为Word或文本" in result.stderr


def test_another_roster_can_be_given(plan_file, tmp_path):
    roster = tmp_path / "roster.json"
    roster.write_text(json.dumps({"units": [{"name": "市公安局"}]}, ensure_ascii=False), encoding="utf-8")
    result = run(plan_file(PLAN), "--roster", roster)
    assert result.exit_code == 0
    assert "市司法局" in result.stderr and "市中级人民法院" in result.stderr


def test_a_broken_roster_stops_the_import_with_a_reason(plan_file, tmp_path):
    roster = tmp_path / "roster.json"
    roster.write_text("{", encoding="utf-8")
    result = run(plan_file(PLAN), "--roster", roster)
    assert result.exit_code == 1 and "无法读取单位名册" in result.stderr


def test_the_command_is_plain_click_named_import_plan():
    assert type(import_plan_command) is click.Command and import_plan_command.name == "import-plan"


def test_the_importer_imports_no_web_or_database_code():
    package = REPOSITORY / "tracker" / "planimport"
    for module in package.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not imported & {"flask", "sqlalchemy", "flask_sqlalchemy"}, module.name
        assert "click" not in imported or module.name == "cli.py", module.name

