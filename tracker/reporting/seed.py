"""The reporting's part of a seeded plan (tracker/plans/cli.py runs it): its quarters as periods with due dates."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from tracker.core.workdays import CHINA
from tracker.plans.models import Plan
from tracker.reporting.schedule import ensure_periods, recompute_due_dates


def load(session: Session, plan: Plan, seed: dict[str, Any], changes, *, actor: Any, now: datetime) -> None:
    ensure_periods(session, plan, workdays_after=current_app.config["TRACKER_DUE_WORKDAYS"], calendar=CHINA)


def refresh(session: Session) -> list[str]:
    """After an upgrade (`tracker init`): computed due dates counted again with the installed calendar."""
    changed = recompute_due_dates(session, workdays_after=current_app.config["TRACKER_DUE_WORKDAYS"], calendar=CHINA)
    return [f"{len(changed)} computed due date(s) recomputed"] if changed else []
