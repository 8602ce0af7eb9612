"""The office's light rules: read them, and replace them (in force for every light at once)."""
from __future__ import annotations

from tracker import clock
from tracker.accounts.permissions import require
from tracker.api import schemas
from tracker.api.auth import api_user
from tracker.api.views import operations
from tracker.db import db
from tracker.supervision.light_rules import parse_rules
from tracker.supervision.permissions import can_supervise
from tracker.supervision.settings import current_rules, save_rules


@operations.route("/light-rules", summary="The light rules in force", responses={200: schemas.LightRules},
                  errors=(403,))
def light_rules():
    """The thresholds every light is evaluated with (the supervision office and administrators)."""
    require(can_supervise(api_user()))
    return current_rules(db.session).as_dict()


@operations.route("/light-rules", "PUT", summary="Replace the light rules", body=schemas.LightRulesInput,
                  responses={200: schemas.LightRules}, errors=(403,))
def put_light_rules(body):
    """Replaces the rules (audited); every light follows from the next request. 422 names each bad field,
    e.g. a red band below the yellow one."""
    user = api_user()
    require(can_supervise(user))
    rules = save_rules(db.session, parse_rules(body()), actor=user, now=clock.now())
    return rules.as_dict()
