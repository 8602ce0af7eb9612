"""The floor: hand-written SQL over the same tables that gives the same figures as a page.

What the application spends above this is ORM, Python rules, templates and HTTP handling;
the ratio application time / floor says how much of that there is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection

SUBMITTED = "('submitted', 'accepted')"


@dataclass(frozen=True)
class Frame:
    """The constants every floor query needs, read once."""

    plan_id: int
    today: date
    period_id: int             # the quarter measured (the latest due one)
    previous_id: int           # the one before it (two missing quarters running: red)
    expected: dict[str, int]   # period key → the plan's time share at its end, in percent
    behind_by: int             # yellow when percent trails that by more than this
    office_tables: bool        # supervision's flag/escalation tables exist


# Two formulations of the per-unit figures; the runner times both and keeps the faster one
# for each database (SQLite prefers the first, PostgreSQL the second on this data).
OPEN_TASK = "t.plan_id = :plan AND (t.closed_on IS NULL OR t.closed_on >= p.starts_on)"

# Obligations counted per unit, and the period's reports that answer an obligation counted
# per unit, then joined: two index-driven aggregates.
TWO_AGGREGATES = f"""
FROM (SELECT a.unit_id, count(*) AS owed
      FROM task t JOIN period p ON p.id = :period JOIN assignment a ON a.task_id = t.id
      WHERE {OPEN_TASK} GROUP BY a.unit_id) o
LEFT JOIN (SELECT r.unit_id,
                  sum(CASE WHEN r.state IN {SUBMITTED} THEN 1 ELSE 0 END) AS submitted,
                  sum(CASE WHEN r.state IN {SUBMITTED} AND r.is_late THEN 1 ELSE 0 END) AS late
           FROM report r JOIN period p ON p.id = r.period_id JOIN task t ON t.id = r.task_id
           JOIN assignment a ON a.task_id = r.task_id AND a.unit_id = r.unit_id
           WHERE r.period_id = :period AND {OPEN_TASK} GROUP BY r.unit_id) s ON s.unit_id = o.unit_id
JOIN unit u ON u.id = o.unit_id
"""

# Every obligation outer-joined to its report in one pass, grouped by unit.
ONE_PASS = f"""
FROM (SELECT a.unit_id, count(*) AS owed,
             sum(CASE WHEN r.state IN {SUBMITTED} THEN 1 ELSE 0 END) AS submitted,
             sum(CASE WHEN r.state IN {SUBMITTED} AND r.is_late THEN 1 ELSE 0 END) AS late
      FROM task t JOIN period p ON p.id = :period JOIN assignment a ON a.task_id = t.id
      LEFT JOIN report r ON r.task_id = a.task_id AND r.unit_id = a.unit_id AND r.period_id = p.id
      WHERE {OPEN_TASK} GROUP BY a.unit_id) o
JOIN unit u ON u.id = o.unit_id
"""


def _tally_sql(body: str) -> str:
    submitted = "coalesce(s.submitted, 0)" if body is TWO_AGGREGATES else "o.submitted"
    late = "coalesce(s.late, 0)" if body is TWO_AGGREGATES else "o.late"
    return f"SELECT u.id, u.name, o.owed, {submitted} AS submitted, {late} AS late {body} ORDER BY u.name"


def _unsubmitted_sql(body: str) -> str:
    submitted = "coalesce(s.submitted, 0)" if body is TWO_AGGREGATES else "o.submitted"
    return f"SELECT u.id, u.name, u.emails, o.owed - {submitted} AS tasks {body} WHERE o.owed > {submitted}"


# The lead unit's latest submitted report per task: a window over every report of every
# lead, or a correlated max() per lead assignment (cheaper where the index serves it).
LEAD_WINDOW = f"""
  SELECT task_id, status, percent, pkey FROM (
    SELECT r.task_id, r.status, r.percent, p.key AS pkey,
           row_number() OVER (PARTITION BY r.task_id, r.unit_id ORDER BY p.key DESC) AS rn
    FROM report r
    JOIN period p ON p.id = r.period_id
    JOIN assignment a ON a.task_id = r.task_id AND a.unit_id = r.unit_id
    WHERE a.duty = 'lead' AND r.state IN {SUBMITTED} AND p.plan_id = :plan
  ) ranked WHERE rn = 1
"""

LEAD_LATEST = f"""
  SELECT a.task_id, r.status, r.percent, p.key AS pkey
  FROM task t JOIN assignment a ON a.task_id = t.id
  JOIN report r ON r.task_id = a.task_id AND r.unit_id = a.unit_id
  JOIN period p ON p.id = r.period_id
  WHERE t.plan_id = :plan AND a.duty = 'lead' AND r.state IN {SUBMITTED}
    AND p.key = (SELECT max(p2.key) FROM report r2 JOIN period p2 ON p2.id = r2.period_id
                 WHERE r2.task_id = a.task_id AND r2.unit_id = a.unit_id AND r2.state IN {SUBMITTED})
"""


def _colours(frame: Frame, lead: str = LEAD_LATEST) -> str:
    """Each task's colour, by the rules of tracker/supervision/lights.py, in one statement."""
    expected = " ".join(f"WHEN '{key}' THEN {value}" for key, value in frame.expected.items())
    office = ("SELECT task_id FROM flag WHERE cleared_at IS NULL "
              "UNION SELECT task_id FROM escalation WHERE closed_at IS NULL") if frame.office_tables \
        else "SELECT id AS task_id FROM task WHERE 1 = 0"
    return f"""
WITH lead AS ({lead}),
gap AS (
  SELECT a.task_id, a.unit_id, max(CASE WHEN p.id = :period THEN 1 ELSE 0 END) AS latest, count(*) AS n
  FROM assignment a
  JOIN task t ON t.id = a.task_id
  JOIN period p ON p.id IN (:period, :previous)
  LEFT JOIN report r ON r.task_id = a.task_id AND r.unit_id = a.unit_id AND r.period_id = p.id
  WHERE t.plan_id = :plan AND (t.closed_on IS NULL OR t.closed_on >= p.starts_on)
    AND (r.id IS NULL OR r.state NOT IN {SUBMITTED})
  GROUP BY a.task_id, a.unit_id
),
gaps AS (
  SELECT task_id, sum(latest) AS overdue, sum(CASE WHEN latest = 1 AND n = 2 THEN 1 ELSE 0 END) AS runs
  FROM gap GROUP BY task_id
),
office AS ({office})
SELECT t.id AS task_id, CASE
    WHEN t.id IN (SELECT task_id FROM office) THEN 'red'
    WHEN (t.closed_on IS NOT NULL AND t.closed_on <= :today) OR l.status = 'done' THEN 'done'
    WHEN l.status = 'lagging' OR g.runs > 0 THEN 'red'
    WHEN g.overdue > 0 OR l.percent < (CASE l.pkey {expected} ELSE 0 END) - :behind THEN 'yellow'
    WHEN l.task_id IS NOT NULL THEN 'green'
    ELSE 'none' END AS colour
FROM task t
LEFT JOIN lead l ON l.task_id = t.id
LEFT JOIN gaps g ON g.task_id = t.id
WHERE t.plan_id = :plan
"""


def _params(frame: Frame) -> dict:
    return {"plan": frame.plan_id, "period": frame.period_id, "previous": frame.previous_id,
            "today": frame.today, "behind": frame.behind_by}


def colour_counts(connection: Connection, frame: Frame, lead: str = LEAD_LATEST) -> dict[str, int]:
    """Tasks per colour: the dashboard's lights."""
    query = f"SELECT colour, count(*) FROM ({_colours(frame, lead)}) lit GROUP BY colour"
    return {colour: int(n) for colour, n in connection.execute(text(query), _params(frame))}


def lagging(connection: Connection, frame: Frame, lead: str = LEAD_LATEST) -> list[tuple]:
    """Red and yellow tasks with section and lead unit, reddest first: the lagging list."""
    query = f"""
SELECT t.number, t.title, s.key, u.name, lit.colour
FROM ({_colours(frame, lead)}) lit
JOIN task t ON t.id = lit.task_id
JOIN section s ON s.id = t.section_id
LEFT JOIN task_unit tu ON tu.task_id = t.id AND tu.position = 0
LEFT JOIN unit u ON u.id = tu.unit_id
WHERE lit.colour IN ('red', 'yellow')
ORDER BY lit.colour, t.position
"""
    return list(connection.execute(text(query), _params(frame)))


def tally(connection: Connection, frame: Frame, body: str = TWO_AGGREGATES) -> list[tuple]:
    """应报/已报/迟报 per unit for the period: the compliance figures."""
    return list(connection.execute(text(_tally_sql(body)), {"plan": frame.plan_id, "period": frame.period_id}))


def dashboard(connection: Connection, frame: Frame, lead: str = LEAD_LATEST,
              body: str = TWO_AGGREGATES) -> tuple[dict[str, int], list[tuple]]:
    return colour_counts(connection, frame, lead), tally(connection, frame, body)


def unsubmitted(connection: Connection, frame: Frame, body: str = TWO_AGGREGATES) -> list[tuple]:
    """Units that still owe reports for the period, with how many and where to write."""
    return list(connection.execute(text(_unsubmitted_sql(body)), {"plan": frame.plan_id, "period": frame.period_id}))


def variants(query):
    """The formulations of one floor, for the runner to time and keep the fastest of."""
    if query in (colour_counts, lagging):
        return [lambda c, f: query(c, f, LEAD_LATEST), lambda c, f: query(c, f, LEAD_WINDOW)]
    if query is dashboard:
        return [lambda c, f, lead=lead, body=body: dashboard(c, f, lead, body)
                for lead in (LEAD_LATEST, LEAD_WINDOW) for body in (TWO_AGGREGATES, ONE_PASS)]
    return [lambda c, f: query(c, f, TWO_AGGREGATES), lambda c, f: query(c, f, ONE_PASS)]
