"""What the benchmark plan looks like: units, tasks, who answers for what, who reported when.

Pure: no Flask, no session, no system clock. Everything comes from one seeded random
generator walked in a fixed order, so the same Scale always gives the same rows.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.plans.models import Duty, UnitKind
from tracker.reporting.models import State, Status
from tracker.reporting.periods import Quarter

TODAY = date(2025, 11, 20)  # the benchmark's TRACKER_TODAY: 2025Q3 is overdue, 2025Q4 is running
PLAN_KEY = "基准测试规划（bench）"
PASSWORD = "bench-password"
SUPERVISOR = "bench-duchashi"
ADMIN = "bench-admin"
GROUP_NAME = "各区县（市）人民政府（基准）"

PROGRESS = (
    "已制定年度工作方案，明确责任分工和时间节点，各项工作按计划推进。",
    "召开专题推进会 2 次，完成阶段性目标，相关政策文件已进入征求意见阶段。",
    "组织开展专项行动，累计检查企业 {0} 家，受理相关事项 {1} 件。",
    "联合相关单位开展培训和宣传活动 {0} 场，覆盖企业和群众 {1} 人次。",
    "推进平台建设，完成需求调研和方案设计，正在进行系统开发。",
)
PROBLEMS = ("部分配套资金尚未到位。", "跨部门数据共享机制有待完善。", "专业人才不足。")
NEXT_STEPS = ("继续按计划推进，加强督促检查。", "完善工作机制，做好年度总结。", "加快项目实施进度，确保按期完成。")


@dataclass(frozen=True)
class Scale:
    tasks: int = 2000
    sections: int = 40
    units: int = 300
    periods: int = 20
    seed: int = 1

    @property
    def group_size(self) -> int:
        """Members of the collective group (各区县): 16 at the default scale."""
        return min(16, max(2, self.units // 5))

    @property
    def focus_tasks(self) -> int:
        """Tasks of the focus unit (unit 0), the one whose workspace is measured: 200 by default."""
        return self.tasks // 10


@dataclass(frozen=True)
class UnitSpec:
    name: str
    kind: UnitKind
    email: str


@dataclass(frozen=True)
class TaskSpec:
    number: str
    section: int
    title: str
    text: str
    units: tuple[int, ...]  # written units: first the lead; GROUP (-1) stands for the collective group
    closed_on: date | None


GROUP = -1


@dataclass(frozen=True)
class Event:
    action: str  # save | submit | return | accept
    state: State
    on: date


@dataclass(frozen=True)
class ReportSpec:
    task: int
    unit: int
    duty: Duty
    state: State
    status: Status
    percent: int | None
    progress: str
    problems: str
    next_steps: str
    submitted_on: date | None
    is_late: bool
    events: tuple[Event, ...] = field(default=())


def quarters(scale: Scale) -> list[Quarter]:
    """The last `periods` quarters, ending with the one TODAY falls in."""
    out = [Quarter.containing(TODAY)]
    while len(out) < scale.periods:
        out.append(out[-1].previous())
    return out[::-1]


def units(scale: Scale) -> list[UnitSpec]:
    """Unit 0 is the focus unit; units 1..group_size are the group's members (districts)."""
    out = []
    for index in range(scale.units):
        if 1 <= index <= scale.group_size:
            name, kind = f"基准区{index:02d}人民政府", UnitKind.DISTRICT
        else:
            name, kind = f"基准单位{index:03d}", UnitKind.DEPARTMENT
        out.append(UnitSpec(name, kind, f"unit{index:03d}@bench.test"))
    return out


def tasks(scale: Scale, rng: random.Random) -> list[TaskSpec]:
    """Tasks spread over sections; a third name the group; every tenth names the focus unit."""
    others = list(range(scale.group_size + 1, scale.units))
    per_section = -(-scale.tasks // scale.sections)
    first_day = quarters(scale)[0].starts_on
    out = []
    for index in range(scale.tasks):
        lead = rng.choice(others)
        co = [u for u in rng.sample(others, k=min(len(others), 3))[: rng.randint(0, 2)] if u != lead]
        if index % 10 == 0 and index // 10 < scale.focus_tasks:
            if (index // 10) % 2 == 0:
                lead = 0
            else:
                co.insert(0, 0)
        written = [lead, *co]
        if index % 3 == 1:
            written.append(GROUP)
        closed_on = None
        if rng.random() < 0.02:
            closed_on = first_day + timedelta(days=rng.randint(200, (TODAY - first_day).days))
        out.append(TaskSpec(
            number=str(index + 1),
            section=min(index // per_section, scale.sections - 1),
            title=f"基准任务{index + 1}：推进知识产权重点工作",
            text=f"第{index + 1}项任务：加强知识产权创造、运用、保护、管理和服务，形成可考核的年度目标。",
            units=tuple(written),
            closed_on=closed_on,
        ))
    return out


def assignments(task: TaskSpec, members: list[int]) -> list[tuple[int, Duty, bool, int]]:
    """(unit, duty, through the group?, position) as expand_assignments would write them."""
    out: dict[int, tuple[int, Duty, bool, int]] = {}
    for position, unit in enumerate(task.units):
        duty = Duty.LEAD if position == 0 else Duty.CO
        for member in (members if unit == GROUP else [unit]):
            out.setdefault(member, (member, duty, unit == GROUP, position))
    return list(out.values())


@dataclass(frozen=True)
class Habits:
    """Some units are habitually silent or late, some tasks lag: what a supervision office knows."""

    silent: frozenset[int]
    late: frozenset[int]
    lagging: frozenset[int]

    @classmethod
    def draw(cls, scale: Scale, rng: random.Random) -> Habits:
        # The focus unit (0) is diligent, so its workspace shows a typical history.
        return cls(
            silent=frozenset(u for u in range(1, scale.units) if rng.random() < 0.06),
            late=frozenset(u for u in range(1, scale.units) if rng.random() < 0.12),
            lagging=frozenset(t for t in range(scale.tasks) if rng.random() < 0.08),
        )


def report(rng: random.Random, habits: Habits, *, task: int, unit: int, duty: Duty, quarter: Quarter,
           due_on: date, elapsed: int) -> ReportSpec | None:
    """The report a unit left for one obligation, or None when it did not report."""
    running = due_on >= TODAY and quarter.starts_on <= TODAY and quarter.ends_on >= TODAY
    if running:
        chance = 0.10
    elif due_on >= TODAY:
        return None
    else:
        chance = 0.35 if unit in habits.silent else 0.76
        if due_on >= TODAY - timedelta(days=45):
            chance -= 0.15  # the latest quarter: reports still coming in
    if rng.random() >= chance:
        return None
    percent = min(100, max(5, elapsed * 5 + rng.randint(-10, 10)))
    lagging = task in habits.lagging
    status = Status.LAGGING if lagging else (Status.DONE if percent >= 100 else Status.ON_TRACK)
    progress = rng.choice(PROGRESS).format(rng.randint(10, 200), rng.randint(100, 3000))
    common = dict(task=task, unit=unit, duty=duty, status=status,
                  percent=percent if duty is Duty.LEAD else None, progress=progress,
                  problems=rng.choice(PROBLEMS) if lagging else "", next_steps=rng.choice(NEXT_STEPS))
    if running:
        saved = quarter.starts_on + timedelta(days=rng.randint(0, (TODAY - quarter.starts_on).days))
        return ReportSpec(state=State.DRAFT, submitted_on=None, is_late=False,
                          events=(Event("save", State.DRAFT, saved),), **common)
    if unit in habits.late:
        submitted = min(TODAY, due_on + timedelta(days=rng.randint(2, 25)))
    else:
        submitted = due_on - timedelta(days=rng.randint(0, 4))
    events = [Event("save", State.DRAFT, submitted - timedelta(days=1)), Event("submit", State.SUBMITTED, submitted)]
    state = State.SUBMITTED
    settled = due_on < TODAY - timedelta(days=20)
    if settled and rng.random() < 0.03:
        events.append(Event("return", State.RETURNED, submitted + timedelta(days=2)))
        state = State.RETURNED
        if rng.random() < 0.6:
            events.append(Event("submit", State.SUBMITTED, submitted + timedelta(days=5)))
            state = State.SUBMITTED
    if settled and state is State.SUBMITTED and rng.random() < 0.85:
        events.append(Event("accept", State.ACCEPTED, events[-1].on + timedelta(days=3)))
        state = State.ACCEPTED
    return ReportSpec(state=state, submitted_on=submitted, is_late=submitted > due_on, events=tuple(events), **common)
