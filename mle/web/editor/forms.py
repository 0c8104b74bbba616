"""Forms for directory editors: one form for a whole entry, and the list's filters."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    EmailField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from mle.directory.fields import ACCESSIBILITY_TEXT, DAYS, PHONES, EntryValues
from mle.directory.postcodes import InvalidPostcode, normalise_postcode
from mle.directory.richtext import description_text, sanitise_html
from mle.vocabulary.labels import choices

DAY_LABELS = {"MO": _l("Monday"), "TU": _l("Tuesday"), "WE": _l("Wednesday"),
              "TH": _l("Thursday"), "FR": _l("Friday"), "SA": _l("Saturday"),
              "SU": _l("Sunday")}
ACCESSIBILITY = {key: _l(text) for key, text in ACCESSIBILITY_TEXT.items()}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")


class _KnownChoices:
    """A choice field whose refusal of an unknown value says what to do, GOV.UK style."""

    def __init__(self, *args, invalid: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid or _l("Select an option from the list")

    def pre_validate(self, form) -> None:
        values = {c[0] if isinstance(c, tuple) else c.value for c in self.choices or []}
        given = self.data if isinstance(self.data, list) else [self.data]
        if any(v not in values for v in given if v not in (None, "")):
            raise ValidationError(self.invalid)


class Checkboxes(_KnownChoices, SelectMultipleField):
    pass


class Radios(_KnownChoices, RadioField):
    pass


class Select(_KnownChoices, SelectField):
    pass


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def normal_time(value: str) -> str | None:
    """'9:00' or '09.00' -> '09:00'; None when it is not a time of day."""
    found = _TIME.match(value.strip())
    return f"{int(found.group(1)):02d}:{found.group(2)}" if found else None


def _whole_number(field, low: int, high: int, message) -> int | None:
    text = (field.data or "").strip()
    if not text:
        return None
    if not text.isdigit() or not low <= int(text) <= high:
        field.errors.append(message)
        return None
    return int(text)


class EntryForm(FlaskForm):
    organization = StringField(
        _l("Organisation"), widget=GovTextInput(),
        description=_l("The organisation that runs the service. An organisation with exactly "
                       "this name is reused; otherwise a new one is made."),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the name of the organisation")),
                    Length(max=200, message=_l("Organisation must be 200 characters or "
                                               "fewer"))])
    name = StringField(
        _l("Service name"), widget=GovTextInput(),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter the name of the service")),
                    Length(max=200, message=_l("Service name must be 200 characters or "
                                               "fewer"))])
    description = TextAreaField(
        _l("What the service does"), widget=GovTextArea(),
        description=_l("Plain words for residents. You may use paragraphs, lists, bold and "
                       "links in HTML; anything else is removed."),
        filters=[_strip],
        validators=[DataRequired(message=_l("Enter what the service does")),
                    Length(max=5000, message=_l("What the service does must be 5,000 "
                                                "characters or fewer"))])
    topics = Checkboxes(
        _l("Topics"), widget=GovCheckboxesInput(),
        invalid=_l("Select topics from the list"),
        description=_l("The needs this service helps with. Residents find it under these."),
        validators=[InputRequired(message=_l("Select at least one topic"))])
    coverage = Radios(
        _l("Who can use it, by where they live"), widget=GovRadioInput(),
        invalid=_l("Select where the service is available"),
        choices=[SelectChoice(k, v) for k, v in choices("coverage")],
        validators=[InputRequired(message=_l("Select where the service is available"))])
    localities = Checkboxes(
        _l("Local areas served"), widget=GovCheckboxesInput(),
        invalid=_l("Select local areas from the list"),
        description=_l("Only when the service covers some local areas only."),
        validators=[Optional()])
    minimum_age = StringField(_l("Youngest age (optional)"), widget=GovTextInput(),
                              validators=[Optional()])
    maximum_age = StringField(_l("Oldest age (optional)"), widget=GovTextInput(),
                              validators=[Optional()])
    eligibility = Checkboxes(
        _l("Other conditions (optional)"), widget=GovCheckboxesInput(),
        invalid=_l("Select conditions from the list"),
        description=_l("Only people who meet every condition ticked are sent to it."),
        validators=[Optional()])
    email = EmailField(
        _l("Email address (optional)"), widget=GovTextInput(),
        validators=[Optional(), Email(message=_l("Enter an email address in the correct "
                                                 "format, like name@example.org")),
                    Length(max=200, message=_l("Email address must be 200 characters or "
                                               "fewer"))])
    url = StringField(
        _l("Website (optional)"), widget=GovTextInput(),
        description=_l("The full address, starting https://"),
        validators=[Optional(), Length(max=300, message=_l("Website must be 300 characters "
                                                           "or fewer"))])
    hours_note = TextAreaField(
        _l("Anything else about opening hours (optional)"), widget=GovTextArea(),
        description=_l("For example: closed on public holidays, or appointments only."),
        validators=[Optional(), Length(max=500, message=_l(
            "Anything else about opening hours must be 500 characters or fewer"))])
    fees = TextAreaField(
        _l("What it costs (optional)"), widget=GovTextArea(),
        description=_l("Leave empty if it is free."),
        validators=[Optional(), Length(max=500, message=_l(
            "What it costs must be 500 characters or fewer"))])
    cost_amount = StringField(
        _l("Charge in pounds (optional)"), widget=GovTextInput(),
        description=_l("A single charge, like 12.50, when there is one."),
        validators=[Optional()])
    languages = StringField(
        _l("Languages (optional)"), widget=GovTextInput(),
        description=_l("Separate languages with commas, like English, Polish, British Sign "
                       "Language."),
        validators=[Optional(), Length(max=300, message=_l(
            "Languages must be 300 characters or fewer"))])
    location_name = StringField(
        _l("Building or place name (optional)"), widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l(
            "Building or place name must be 200 characters or fewer"))])
    address_1 = StringField(
        _l("Street address"), widget=GovTextInput(),
        validators=[Optional(), Length(max=200, message=_l(
            "Street address must be 200 characters or fewer"))])
    town = StringField(
        _l("Town"), widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message=_l("Town must be 100 characters or "
                                                           "fewer"))])
    postcode = StringField(_l("Postcode"), widget=GovTextInput(), validators=[Optional()])
    accessibility = Checkboxes(
        _l("Accessibility of the place (optional)"), widget=GovCheckboxesInput(),
        invalid=_l("Select accessibility features from the list"),
        choices=[SelectChoice(k, v) for k, v in ACCESSIBILITY.items()],
        validators=[Optional()])
    needs_editor = BooleanField(
        _l("Some details are still missing: tell residents we are checking this entry"),
        widget=GovCheckboxInput())
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())

    def values(self) -> EntryValues:
        """What the editor entered, once validated, as plain values for the directory."""
        def text(field) -> str:
            return (field.data or "").strip()

        return EntryValues(
            organization=text(self.organization), name=text(self.name),
            description=self.description.data or "",
            topics=tuple(self.topics.data or ()), eligibility=tuple(self.eligibility.data or ()),
            coverage=self.coverage.data, localities=tuple(self.localities.data or ()),
            minimum_age=self.ages[0], maximum_age=self.ages[1],
            phones=tuple((text(self[f"phone_{n}"]), text(self[f"phone_{n}_label"]))
                         for n in range(1, PHONES + 1)),
            email=text(self.email), url=text(self.url),
            hours=dict(self.hours), hours_note=text(self.hours_note),
            fees=text(self.fees), amount=self.amount, languages=tuple(self.language_names),
            location_name=text(self.location_name), address_1=text(self.address_1),
            town=text(self.town), postcode=self.postcode.data or "",
            accessibility=tuple(self.accessibility.data or ()),
            needs_editor=bool(self.needs_editor.data))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        before = sum(len(f.errors) for f in self)
        self._check_description()
        self._check_area()
        self._check_ages()
        self._check_url()
        self._check_phones()
        self._check_hours()
        self._check_cost()
        self._check_languages()
        self._check_location()
        return ok and sum(len(f.errors) for f in self) == before

    def _check_description(self) -> None:
        text = self.description.data or ""
        if text and not self.description.errors and \
                not str(description_text(sanitise_html(text))).strip():
            self.description.errors.append(_l("Enter what the service does in words: scripts, "
                                              "styles and other code are removed"))

    def _check_area(self) -> None:
        if self.coverage.data == "locality" and not self.localities.data:
            self.localities.errors.append(_l("Select the local areas the service covers"))

    def _check_ages(self) -> None:
        low = _whole_number(self.minimum_age, 0, 120, _l(
            "Youngest age must be a whole number from 0 to 120"))
        high = _whole_number(self.maximum_age, 0, 120, _l(
            "Oldest age must be a whole number from 0 to 120"))
        if low is not None and high is not None and low > high:
            self.maximum_age.errors.append(_l("Oldest age must be the same as or more than "
                                              "the youngest age"))
        self.ages = (low, high)

    def _check_url(self) -> None:
        text = (self.url.data or "").strip()
        if text and not self.url.errors:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or "." not in parts.netloc \
                    or " " in text:
                self.url.errors.append(_l("Enter a website address in the correct format, "
                                          "like https://www.example.org"))

    def _check_phones(self) -> None:
        for n in range(1, PHONES + 1):
            number, label = self[f"phone_{n}"], self[f"phone_{n}_label"]
            text = (number.data or "").strip()
            if not text:
                if (label.data or "").strip():
                    number.errors.append(_l("Enter the phone number this description is for"))
                continue
            digits = re.sub(r"\D", "", text)
            if not _PHONE.match(text) or not 3 <= len(digits) <= 15:
                number.errors.append(_l("Enter a phone number, like 01698 123 456, "
                                        "0800 123 4567 or 116 123"))

    def _check_hours(self) -> None:
        self.hours = {}
        for day in DAYS:
            opens, closes = self[f"{day}_opens"], self[f"{day}_closes"]
            open_text, close_text = (opens.data or "").strip(), (closes.data or "").strip()
            if not open_text and not close_text:
                continue
            name = DAY_LABELS[day]
            if not open_text or not close_text:
                target = opens if not open_text else closes
                target.errors.append(_l("Enter both the opening and closing time for "
                                        "%(day)s, or neither", day=name))
                continue
            start, end = normal_time(open_text), normal_time(close_text)
            if start is None:
                opens.errors.append(_l("Enter the opening time for %(day)s as a 24-hour "
                                       "time, like 09:00", day=name))
            if end is None:
                closes.errors.append(_l("Enter the closing time for %(day)s as a 24-hour "
                                        "time, like 17:30", day=name))
            if start and end:
                if end <= start:
                    closes.errors.append(_l("The closing time for %(day)s must be after the "
                                            "opening time", day=name))
                else:
                    self.hours[day] = (start, end)

    def _check_cost(self) -> None:
        self.amount = None
        text = (self.cost_amount.data or "").strip().removeprefix("£")
        if not text:
            return
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount > 100000 \
                or amount.as_tuple().exponent < -2:
            self.cost_amount.errors.append(_l("Enter the charge in pounds, like 12.50"))
        else:
            self.amount = float(amount)

    def _check_languages(self) -> None:
        names = [n.strip() for n in (self.languages.data or "").split(",") if n.strip()]
        if any(len(n) > 100 for n in names) or len(names) > 20:
            self.languages.errors.append(_l("Enter at most 20 languages, each 100 characters "
                                            "or fewer"))
        self.language_names = list(dict.fromkeys(names))

    def _check_location(self) -> None:
        fields = (self.location_name, self.address_1, self.town, self.postcode)
        given = any((f.data or "").strip() for f in fields)
        if not given:
            if self.accessibility.data:
                self.address_1.errors.append(_l("Enter the address of the place whose "
                                                "accessibility you described"))
            return
        if not (self.address_1.data or "").strip():
            self.address_1.errors.append(_l("Enter the street address"))
        if not (self.town.data or "").strip():
            self.town.errors.append(_l("Enter the town"))
        text = (self.postcode.data or "").strip()
        if not text:
            self.postcode.errors.append(_l("Enter the postcode"))
        else:
            try:
                self.postcode.data = normalise_postcode(text[:20])
            except InvalidPostcode:
                self.postcode.errors.append(_l("Enter a real postcode, like ML1 1AB"))


for _n in range(1, PHONES + 1):
    setattr(EntryForm, f"phone_{_n}", StringField(
        _l("Phone number %(n)d (optional)", n=_n), widget=GovTextInput(),
        validators=[Optional(), Length(max=40, message=_l(
            "Phone number must be 40 characters or fewer"))]))
    setattr(EntryForm, f"phone_{_n}_label", StringField(
        _l("What phone number %(n)d is for (optional)", n=_n), widget=GovTextInput(),
        description=_l("For example: helpline, or text only"),
        validators=[Optional(), Length(max=100, message=_l(
            "Phone description must be 100 characters or fewer"))]))
for _day in DAYS:
    setattr(EntryForm, f"{_day}_opens", StringField(
        _l("%(day)s opens", day=DAY_LABELS[_day]), widget=GovTextInput(),
        validators=[Optional()]))
    setattr(EntryForm, f"{_day}_closes", StringField(
        _l("%(day)s closes", day=DAY_LABELS[_day]), widget=GovTextInput(),
        validators=[Optional()]))


def entry_form_data(values: EntryValues) -> dict:
    """An entry's values as the form's data, to fill it in for editing."""
    data = {
        "organization": values.organization, "name": values.name,
        "description": values.description,
        "topics": list(values.topics), "eligibility": list(values.eligibility),
        "coverage": values.coverage, "localities": list(values.localities),
        "minimum_age": "" if values.minimum_age is None else str(values.minimum_age),
        "maximum_age": "" if values.maximum_age is None else str(values.maximum_age),
        "email": values.email, "url": values.url,
        "hours_note": values.hours_note, "fees": values.fees,
        "cost_amount": "" if values.amount is None else f"{values.amount:.2f}",
        "languages": ", ".join(values.languages),
        "location_name": values.location_name, "address_1": values.address_1,
        "town": values.town, "postcode": values.postcode,
        "accessibility": list(values.accessibility),
        "needs_editor": values.needs_editor,
    }
    for n, (number, description) in enumerate(values.phones[:PHONES], start=1):
        data[f"phone_{n}"], data[f"phone_{n}_label"] = number, description
    for day, (opens, closes) in values.hours.items():
        data[f"{day}_opens"], data[f"{day}_closes"] = opens, closes
    return data


class FilterForm(FlaskForm):
    """The list's filters, sent by GET: no CSRF, nothing changes."""

    class Meta:
        csrf = False

    q = StringField(_l("Words in the name, organisation or description"),
                    widget=GovTextInput(), validators=[Optional(), Length(max=100, message=_l(
                        "Enter 100 characters or fewer"))])
    status = Select(_l("Status"), widget=GovSelect(), validators=[Optional()], choices=[
        SelectChoice("", _l("Any status")),
        *[SelectChoice(k, v) for k, v in choices("publication_status")]])
    review = Select(_l("Review"), widget=GovSelect(), validators=[Optional()], choices=[
        SelectChoice("", _l("Any")), SelectChoice("due", _l("Review due (stale)")),
        SelectChoice("problems", _l("Has open problem reports")),
        SelectChoice("hidden", _l("Hidden from residents: no way to reach it"))])
    locality = Select(_l("Local area"), widget=GovSelect(), validators=[Optional()])
    topic = Select(_l("Topic"), widget=GovSelect(), validators=[Optional()])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())
