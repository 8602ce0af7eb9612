"""Loading the indicators: the plan's figures and 附件1 表1's peer cities, owners proposed, idempotent."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker import clock
from tracker.accounts.models import User
from tracker.core.audit import AuditEntry
from tracker.db import db
from tracker.indicators import services
from tracker.indicators.models import Indicator, PeerFigure
from tracker.plans.cli import seed_plan
from tracker.plans.models import Unit

PLAN_TEXT = Path(__file__).resolve().parents[1] / "data" / "zhengzhou-ip-plan-2021-2025.txt"


def _cells(lines: list[str]) -> list[str]:
    """The plan's tables: a cell starts with a tab; lines without one continue the cell above."""
    cells: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line.strip())
        elif line.strip() and cells:
            cells[-1] += line.strip()
    return cells


def peer_row_from_plan_text(number: int) -> dict[str, str]:
    """City → "2020/2025" as 附件1 表1 of the plan text writes it for one indicator."""
    lines = PLAN_TEXT.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("表1."))
    end = next(i for i, line in enumerate(lines) if line.startswith("表2."))
    cells = _cells(lines[start + 1:end])
    first_city = cells.index("全国")
    cities = cells[first_city:first_city + 11]
    # a row: number, name (measure), basis, 2020, 2025, then one cell per city
    at = next(i for i in range(first_city + 11, len(cells) - 1)
              if cells[i] == str(number) and cells[i + 1].endswith("）"))
    return dict(zip(cities, cells[at + 5:at + 16]))


def _peers(session, plan_id: int, number: int) -> dict[str, PeerFigure]:
    indicator = session.scalar(select(Indicator).where(Indicator.plan_id == plan_id, Indicator.number == number))
    return {p.city: p for p in indicator.peers}


@pytest.mark.parametrize("number", [1, 2, 10, 12])
def test_peer_figures_read_back_as_the_plan_text_gives_them(ctx, plan, number):
    written = peer_row_from_plan_text(number)
    assert len(written) == 11
    stored = _peers(ctx, plan, number)
    assert list(stored) == list(written)  # 全国, 北京 … 宁波, in the plan's order
    for city, cell in written.items():
        peer = stored[city]
        baseline, _, target = cell.partition("/")
        assert peer.baseline == baseline, city
        assert peer.target == (target or "-"), city
        assert peer.baseline_value == (None if baseline == "-" else float(baseline)), city
        assert peer.target_low == (None if target in ("", "-") else float(target)), city


def test_indicator_1_beijing_is_78_then_82(ctx, plan):
    beijing = _peers(ctx, plan, 1)["北京"]
    assert (beijing.baseline_value, beijing.target_low) == (78, 82)
    assert peer_row_from_plan_text(1)["北京"] == "78/82"


def test_a_city_the_plan_gives_nothing_for_is_not_shown(ctx, plan):
    peers = _peers(ctx, plan, 2)
    assert not peers["北京"].given and peers["上海"].given
    assert (peers["全国"].baseline_value, peers["全国"].target_low) == (40000, 90000)


def test_the_eighteen_indicators_keep_ranges_missing_baselines_and_kinds(ctx, plan):
    indicators = {i.number: i for i in ctx.scalars(select(Indicator).where(Indicator.plan_id == plan))}
    assert sorted(indicators) == list(range(1, 19))
    first = indicators[1]
    assert (first.category, first.name, first.measure, first.baseline, first.target) == (
        "创造质量", "每万人口高价值发明专利拥有量", "件", "4.62", "13")
    assert not first.annual and indicators[2].annual            # "*" marks a year's own value
    assert (indicators[13].baseline, indicators[13].baseline_value) == ("-", None)
    assert (indicators[13].target, indicators[13].target_low, indicators[13].target_high) == ("3-4", 3, 4)
    assert (indicators[14].target, indicators[14].target_low, indicators[14].target_high) == ("5-8", 5, 8)
    assert indicators[7].spec.percent and indicators[9].measure == "分"
    assert {i.attribute for i in indicators.values()} == {"预期性"}


@pytest.mark.parametrize("number, unit", [
    (1, "市市场监督管理局（知识产权局）"), (6, "市委宣传部（新闻出版局）"), (8, "市中级人民法院"),
    (10, "市市场监督管理局（知识产权局）"), (11, "市统计局"), (12, "市委宣传部（新闻出版局）"),
])
def test_owner_units_are_proposed_until_an_administrator_confirms(ctx, plan, number, unit):
    indicator = ctx.scalar(select(Indicator).where(Indicator.plan_id == plan, Indicator.number == number))
    assert indicator.owner.name == unit and indicator.owner_proposed


def test_every_indicator_has_a_proposed_owner(ctx, plan):
    assert ctx.scalar(select(func.count(Indicator.id)).where(Indicator.owner_unit_id.is_(None))) == 0


def test_seeding_twice_changes_nothing(app, plan, seed_data):
    with app.app_context():
        counts = (db.session.scalar(select(func.count(Indicator.id))), db.session.scalar(select(func.count(PeerFigure.id))),
                  db.session.scalar(select(func.count(AuditEntry.id))))
        _, changes = seed_plan(copy.deepcopy(seed_data), actor="test")
        db.session.commit()
        assert not [line for line in changes.created + changes.updated if line.startswith("indicator")]
        assert (db.session.scalar(select(func.count(Indicator.id))), db.session.scalar(select(func.count(PeerFigure.id))),
                db.session.scalar(select(func.count(AuditEntry.id)))) == counts == (18, 18 * 11, counts[2])


def test_the_seed_command_loads_the_indicators_and_a_second_run_leaves_them(app, seed_data, tmp_path):
    import json

    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed_data, ensure_ascii=False), encoding="utf-8")
    from tracker.plans.cli import seed_command

    runner = app.test_cli_runner()
    first = runner.invoke(seed_command, [str(path)])
    assert first.exit_code == 0, first.output
    second = runner.invoke(seed_command, [str(path)])
    assert second.exit_code == 0 and "indicator" not in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Indicator.id))) == 18


def test_an_updated_seed_updates_in_place_but_keeps_a_confirmed_owner(app, plan, seed_data, make_user):
    make_user("root", role="admin")
    with app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.number == 10))
        admin = db.session.scalar(select(User).where(User.username == "root"))
        finance = db.session.scalar(select(Unit).where(Unit.name == "市金融工作局"))
        services.assign_owner(db.session, indicator, finance, actor=admin, now=clock.now())
        db.session.commit()
        changed = copy.deepcopy(seed_data)
        record = next(i for i in changed["indicators"] if i["number"] == 10)
        record.update(target="15", target_low=15.0, target_high=15.0)
        _, changes = seed_plan(changed, actor="test")
        db.session.commit()
        indicator = db.session.scalar(select(Indicator).where(Indicator.number == 10))
        assert (indicator.target, indicator.target_low) == ("15", 15)
        assert indicator.owner.name == "市金融工作局" and not indicator.owner_proposed
        assert "indicator 10: target, target_high, target_low" in changes.updated
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "seed.update", AuditEntry.object_type == "Indicator")) == 1
