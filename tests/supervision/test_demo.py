"""The demo's supervision history: a closed, an answered and an open escalation, and a flag."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker.db import db
from tracker.supervision.lights import Colour
from tracker.supervision.models import Escalation, Flag

TODAY = date(2024, 11, 20)


def test_the_demo_lights_escalated_and_flagged_tasks_red_for_reasons_a_supervisor_knows(app, plan):
    from tracker import clock
    from tracker.demo.accounts import create_demo_accounts
    from tracker.plans.models import Plan, Task
    from tracker.supervision import demo
    from tracker.supervision.queries import list_lights

    with app.app_context():
        create_demo_accounts(db.session, now=clock.now())
        demo.fill(db.session, db.session.get(Plan, plan), today=TODAY)
        db.session.commit()
        escalations = {e.task.number: e for e in db.session.scalars(select(Escalation))}
        assert not escalations["23"].is_open and escalations["23"].responses
        assert escalations["10"].is_open and escalations["10"].responses[0].unit.name == "市农业农村工作委员会"
        assert escalations["9"].is_open and not escalations["9"].responses
        assert db.session.scalar(select(Flag).where(Flag.cleared_at.is_(None))).task.number == "31"
        numbers = {t.id: t.number for t in db.session.scalars(select(Task).where(Task.plan_id == plan))}
        lights = {numbers[tid]: lit for tid, lit in list_lights(db.session, plan, today=TODAY).items()}
    assert lights["9"].colour is Colour.RED
    assert lights["9"].texts(lambda s: s)[0] == "督办中，须于 2024-11-29 前反馈：版权示范单位创建进度缓慢，请于期限前报送推进方案。"
    assert lights["10"].texts(lambda s: s)[0].startswith("督办已反馈，待督查室办结")
    assert lights["31"].texts(lambda s: s)[0].startswith("督查室标记红灯：市委督查反馈")
    assert not any("质押融资" in text for text in lights["23"].texts(lambda s: s))
