"""The resource directory, in Open Referral UK 3.0 tables and field names.

Table and column names follow the ORUK 3.0 schemas (a profile of HSDS 3.0), so a record can be
imported from, and published to, an ORUK feed field for field. Ids are strings: ORUK feeds use
UUIDs, our seed entries use readable slugs, and an imported record keeps its feed's id.

Our own fields, not in ORUK, are marked "ours" below: the editorial workflow
(publication_status, last_reviewed, reviewed_by_id, review_due, needs_editor) and coverage.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
)
from sqlalchemy.orm import Mapped, foreign, mapped_column, relationship

from mle.database import db

ID = String(80)
ORUK_STATUSES = ("active", "inactive", "defunct", "temporarily closed")


def _service_fk() -> ForeignKey:
    return ForeignKey("service.id", ondelete="CASCADE")


class Organization(db.Model):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(2000))
    logo: Mapped[str | None] = mapped_column(String(300))
    uri: Mapped[str | None] = mapped_column(String(300))
    # No foreign key: a feed may name a parent it does not describe, and the id must still
    # survive a round trip. Ours when the parent is known here, else the feed's.
    parent_organization_id: Mapped[str | None] = mapped_column(ID)

    organization_identifiers: Mapped[list[OrganizationIdentifier]] = relationship(
        cascade="all, delete-orphan", order_by="OrganizationIdentifier.id", lazy="selectin")


class OrganizationIdentifier(db.Model):
    """A third party's identifier for an organisation: a charity or company number."""

    __tablename__ = "organization_identifier"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE",
                   name="fk_organization_identifier_organization"), index=True)
    identifier_scheme: Mapped[str | None] = mapped_column(String(50))  # org-id.guide, GB-CHC
    identifier_type: Mapped[str] = mapped_column(String(100))
    identifier: Mapped[str] = mapped_column(String(100))


class Service(db.Model):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organization_id: Mapped[str] = mapped_column(
        ForeignKey("organization.id", ondelete="RESTRICT", name="fk_service_organization"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))  # long addresses are kept whole
    email: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")  # ORUK_STATUSES
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    assured_date: Mapped[date | None] = mapped_column(Date)
    assurer_email: Mapped[str | None] = mapped_column(String(200))
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # ours: the editorial workflow and where the service is offered
    publication_status: Mapped[str] = mapped_column(String(12), default="draft")
    coverage: Mapped[str] = mapped_column(String(10), default="national")  # COVERAGES
    needs_editor: Mapped[bool] = mapped_column(Boolean, default=False)
    reachable: Mapped[bool] = mapped_column(Boolean, default=False)  # mle/directory/reachability.py
    last_reviewed: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL", name="fk_service_reviewed_by"))
    review_due: Mapped[date | None] = mapped_column(Date)

    organization: Mapped[Organization] = relationship(lazy="joined")
    contacts: Mapped[list[Contact]] = relationship(
        cascade="all, delete-orphan", order_by="Contact.id")
    schedules: Mapped[list[Schedule]] = relationship(
        cascade="all, delete-orphan", order_by="Schedule.id")
    service_areas: Mapped[list[ServiceArea]] = relationship(
        cascade="all, delete-orphan", order_by="ServiceArea.name")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan")
    cost_options: Mapped[list[CostOption]] = relationship(cascade="all, delete-orphan")
    funding: Mapped[list[Funding]] = relationship(cascade="all, delete-orphan",
                                                  order_by="Funding.id")
    languages: Mapped[list[Language]] = relationship(cascade="all, delete-orphan")
    attributes: Mapped[list[Attribute]] = relationship(
        primaryjoin=lambda: and_(Service.id == foreign(Attribute.link_id),
                                 Attribute.link_entity == "service"),
        cascade="all, delete-orphan")

    __table_args__ = (
        # Matching: visible services of one coverage, walked in rank order (needs_editor,
        # name) so a query with LIMIT stops after a few rows (mle/directory/matching.py). The
        # columns after id do not change the order; they let the walk check staleness and age
        # limits without reading the table.
        Index("ix_service_match_order", "publication_status", "status", "coverage",
              "needs_editor", "name", "id", "review_due", "minimum_age", "maximum_age"),
        Index("ix_service_review_due", "review_due"),
        Index("ix_service_organization", "organization_id"),
    )

    @property
    def phones(self) -> list[Phone]:
        return [phone for contact in self.contacts for phone in contact.phones]

    @property
    def term_ids(self) -> list[str]:
        return [a.taxonomy_term_id for a in self.attributes]

    @property
    def localities(self) -> list[str]:
        return [area.locality for area in self.service_areas if area.locality]

    def is_stale(self, today: date) -> bool:
        return self.review_due is not None and self.review_due < today


class Location(db.Model):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    location_type: Mapped[str] = mapped_column(String(10), default="physical")
    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    external_identifier: Mapped[str | None] = mapped_column(String(100))
    external_identifier_type: Mapped[str | None] = mapped_column(String(50))

    addresses: Mapped[list[Address]] = relationship(cascade="all, delete-orphan")
    accessibility: Mapped[list[Accessibility]] = relationship(cascade="all, delete-orphan")

    # A bounding box on latitude then longitude finds the locations near a point (with the id,
    # so matching reads the index alone).
    __table_args__ = (Index("ix_location_lat_long", "latitude", "longitude", "id"),)


class Address(db.Model):
    __tablename__ = "address"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE", name="fk_address_location"), index=True)
    attention: Mapped[str | None] = mapped_column(String(200))
    address_1: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    state_province: Mapped[str] = mapped_column(String(100))
    postal_code: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(2), default="GB")
    address_type: Mapped[str] = mapped_column(String(10), default="physical")


class Accessibility(db.Model):
    __tablename__ = "accessibility"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE", name="fk_accessibility_location"),
        index=True)
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))  # long addresses are kept whole
    accessibility: Mapped[str | None] = mapped_column(Text)


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = mapped_column(_service_fk())
    location_id: Mapped[str] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE", name="fk_service_at_location_location"))
    location: Mapped[Location] = relationship(lazy="joined")
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_service_at_location_service", "service_id", "location_id"),
        Index("ix_service_at_location_location", "location_id", "service_id"),
    )


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = mapped_column(_service_fk(), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan", order_by="Phone.id")


class Phone(db.Model):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE", name="fk_phone_contact"), index=True)
    number: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)


class Schedule(db.Model):
    """Opening hours, as iCalendar-style recurrence (freq, byday) or a description."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = mapped_column(_service_fk(), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE",
                   name="fk_schedule_service_at_location"), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    dtstart: Mapped[date | None] = mapped_column(Date)
    freq: Mapped[str | None] = mapped_column(String(10))  # WEEKLY or MONTHLY
    interval: Mapped[int | None] = mapped_column(Integer)
    byday: Mapped[str | None] = mapped_column(String(30))  # 'MO,TU,WE'
    bymonthday: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[str | None] = mapped_column(String(8))  # '09:00:00'
    closes_at: Mapped[str | None] = mapped_column(String(8))
    schedule_link: Mapped[str | None] = mapped_column(String(300))
    attending_type: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class ServiceArea(db.Model):
    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = mapped_column(_service_fk())
    name: Mapped[str | None] = mapped_column(String(200))
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None] = mapped_column(String(20))
    uri: Mapped[str | None] = mapped_column(String(300))
    service_area: Mapped[str | None] = mapped_column(Text)
    locality: Mapped[str | None] = mapped_column(String(40))  # ours: a locality in area.yaml

    __table_args__ = (
        Index("ix_service_area_locality", "locality", "service_id"),
        Index("ix_service_area_service", "service_id"),
    )


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = mapped_column(_service_fk(), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    option: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Float)
    amount_description: Mapped[str | None] = mapped_column(Text)


class Funding(db.Model):
    """Where a service's money comes from, in the funder's or the feed's words."""

    __tablename__ = "funding"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = mapped_column(_service_fk(), index=True)
    source: Mapped[str | None] = mapped_column(Text)


class Language(db.Model):
    """A language a service is delivered in. name, code (ISO 639) and note are HSDS 3.0 fields
    that the UK profile leaves out; they are kept so a language has a name to show."""

    __tablename__ = "language"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str | None] = mapped_column(_service_fk(), index=True)
    phone_id: Mapped[str | None] = mapped_column(
        ForeignKey("phone.id", ondelete="CASCADE", name="fk_language_phone"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    code: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(300))
    version: Mapped[str | None] = mapped_column(String(20))


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_term"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="SET NULL", name="fk_taxonomy_term_parent"))
    taxonomy: Mapped[str | None] = mapped_column(String(200))
    taxonomy_id: Mapped[str | None] = mapped_column(
        ForeignKey("taxonomy.id", ondelete="CASCADE", name="fk_taxonomy_term_taxonomy"))
    term_uri: Mapped[str | None] = mapped_column(String(300))
    term: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_taxonomy_term_taxonomy", "taxonomy_id", "term"),)


class Attribute(db.Model):
    """Links a taxonomy term to a service, location or other record: needs, eligibility.

    link_id has no foreign key because it may name a row of several tables; link_entity
    (an HSDS 3.0 field) says which.
    """

    __tablename__ = "attribute"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    link_id: Mapped[str] = mapped_column(ID)
    link_entity: Mapped[str] = mapped_column(String(30), default="service")
    taxonomy_term_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE", name="fk_attribute_taxonomy_term"))
    link_type: Mapped[str | None] = mapped_column(String(50))
    taxonomy_term: Mapped[TaxonomyTerm] = relationship(lazy="joined")

    __table_args__ = (
        # term -> services (matching by need) and service -> terms (eligibility, pages)
        Index("ix_attribute_term_link", "taxonomy_term_id", "link_entity", "link_id"),
        Index("ix_attribute_link", "link_entity", "link_id"),
    )
