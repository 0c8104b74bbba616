"""The audit trail's filters, sent by GET: no CSRF, nothing changes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional

from mle.web.editor.forms import Select


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    user = Select(_l("Who"), widget=GovSelect(), validators=[Optional()])
    action = Select(_l("Action"), widget=GovSelect(), validators=[Optional()])
    record_type = Select(_l("Record type"), widget=GovSelect(), validators=[Optional()])
    record_id = StringField(_l("Record ID"), widget=GovTextInput(), validators=[
        Optional(), Length(max=80, message=_l("Enter 80 characters or fewer"))])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())
