"""Forms for import runs: take in a source's file, and act on a run's entries in bulk."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
)
from wtforms import BooleanField, RadioField, SelectChoice, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired

from mle.vocabulary.labels import choices

# An uploaded feed may be far larger than any other form the service takes.
LARGEST_UPLOAD = 20 * 1024 * 1024


class ImportForm(FlaskForm):
    source = RadioField(
        _l("Where is the file from?"), widget=GovRadioInput(),
        choices=[SelectChoice(k, v) for k, v in choices("import_source")],
        validators=[InputRequired(message=_l("Select where the file is from"))])
    file = FileField(_l("The file"), widget=GovFileInput(), description=_l(
        "The Care Inspectorate datastore CSV, an ALISS JSON response or CSV export, or an Open "
        "Referral UK JSON feed. Up to 20 MB."),
        validators=[FileRequired(message=_l("Choose the file to take in"))])
    dry_run = BooleanField(_l("Only show what would change (a dry run)"),
                           widget=GovCheckboxInput())
    submit = SubmitField(_l("Take in the file"), widget=GovSubmitInput())


class BulkForm(FlaskForm):
    """Choices of a run's suggestions or drafts, rendered as checkboxes by the page; the
    choices are the run's own, so nothing else can be chosen."""

    chosen = SelectMultipleField(validate_choice=True)
    action = RadioField(choices=[SelectChoice(x, x) for x in ("confirm", "dismiss", "publish")],
                        validators=[InputRequired()])
