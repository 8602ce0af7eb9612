"""The shape of token input on the settings page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from tracker.api.tokens import MAX_NAME


class TokenForm(FlaskForm):
    name = StringField(_l("用途（便于识别）"), validators=[Length(max=MAX_NAME, message=_l("不能超过 80 个字。"))])


class RevokeForm(FlaskForm):
    """Only the CSRF token: the token to revoke is in the URL."""
