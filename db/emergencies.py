"""Emergencies and their append-only history.

The description, the exact address and coordinates, the poster's phone and the claimer's note are encrypted; the
public point (`approx_latitude`, `approx_longitude`: a ~200 m grid cell's centre, or the ward's centre) is plain
and indexed for a map's bounding-box query. Who holds the one claim is on the row itself, so there is never a
second; migration 0020's trigger lets the state move only along the workflow's edges and never hands a claim from
one claimer to another without passing through `open`.
"""

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAt
from db.encrypted import EncryptedString

STATES = "('open', 'claimed', 'fulfilled', 'confirmed', 'closed', 'hidden')"


class Emergency(CreatedAt, Base):
    __tablename__ = "emergencies"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES}", name="state"),
        CheckConstraint(
            "category IN ('food_today', 'medicine', 'elderly_alone', 'infant_milk', 'other')", name="category"
        ),
        CheckConstraint("urgency IN ('now', 'today', 'soon')", name="urgency"),
        CheckConstraint("poster_lang IN ('vi', 'en')", name="poster_lang"),
        # One claimer at most, and exactly one while claimed or fulfilled.
        CheckConstraint("num_nonnulls(claimed_by_helper, claimed_by_staff) <= 1", name="one_claimer"),
        CheckConstraint(
            "(state IN ('claimed', 'fulfilled')) = (num_nonnulls(claimed_by_helper, claimed_by_staff) = 1) "
            "OR state IN ('confirmed', 'closed', 'hidden')",
            name="claimed_has_claimer",
        ),
        CheckConstraint("(fulfilment_photo_path IS NULL) = (fulfilment_photo_sha256 IS NULL)", name="photo_whole"),
        # The public list and a map's viewport: open and claimed posts not hidden, by their public point.
        Index(
            "ix_emergencies_public_point",
            "approx_latitude",
            "approx_longitude",
            postgresql_where=text("state IN ('open', 'claimed')"),
        ),
        Index("ix_emergencies_ward_state", "ward_code", "state"),
        Index("ix_emergencies_poster", "poster_phone_hash", "created_at"),
        Index("ix_emergencies_helper", "claimed_by_helper", postgresql_where=text("claimed_by_helper IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str] = mapped_column(String(8))
    description: Mapped[str] = mapped_column(EncryptedString("emergencies.description"))
    ward_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    district_code: Mapped[str] = mapped_column(ForeignKey("admin_units.code"))
    address: Mapped[str] = mapped_column(EncryptedString("emergencies.address"))
    # The exact point if the poster gave one (a phone's location), as text: encrypted like the address.
    exact_point: Mapped[str | None] = mapped_column(EncryptedString("emergencies.exact_point"))
    approx_latitude: Mapped[float]
    approx_longitude: Mapped[float]
    state: Mapped[str] = mapped_column(String(16), server_default="open")
    poster_phone_hash: Mapped[str] = mapped_column(String(64))
    poster_phone: Mapped[str] = mapped_column(EncryptedString("emergencies.poster_phone"))
    # The language of the page the poster posted from: their notices are written in it.
    poster_lang: Mapped[str] = mapped_column(String(2), server_default="vi")
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("households.id"), index=True)
    # Posts by the same phone or household within the policy's window before this one (shown to the ward).
    earlier_posts: Mapped[int] = mapped_column(server_default="0")
    claimed_by_helper: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community_helpers.id"))
    claimed_by_staff: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    claimed_at: Mapped[datetime | None]
    first_claimed_at: Mapped[datetime | None]
    releases: Mapped[int] = mapped_column(server_default="0")
    escalated_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    fulfilment_note: Mapped[str | None] = mapped_column(EncryptedString("emergencies.fulfilment_note"))
    # What the claimer showed was brought (optional): the re-encoded photo's file, as a delivery's proof is kept.
    fulfilment_photo_path: Mapped[str | None] = mapped_column(String(300))
    fulfilment_photo_sha256: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    updated_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    # When the retention purge erased its personal data (services/retention.py); its counts stay.
    purged_at: Mapped[datetime | None]


class EmergencyEventRow(Base):
    """One step of an emergency, written once (keyed by the workflow's sequence); never deleted, and changed only by
    the retention purge clearing its note (migration 0024)."""

    __tablename__ = "emergency_events"
    __table_args__ = (Index("ix_emergency_events_helper", "helper_id", "event"),)

    emergency_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("emergencies.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(24))
    at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(16))  # the emergency's state after the event
    # Who acted (or, for a lapsed claim, whose claim lapsed).
    helper_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("community_helpers.id"))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("staff_users.id"))
    note: Mapped[str | None] = mapped_column(String(500))
