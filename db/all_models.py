"""Imports every table so that the metadata (Alembic, tests) sees the whole schema."""

from db.audit import AuditEntry
from db.base import Base
from db.cash import CashNeed, CommunityHelper, Pledge
from db.deliveries import Delivery, DeliveryAttempt
from db.donations import Donation, DonationLine, Donor
from db.geography import AdminUnit
from db.households import (
    Household,
    HouseholdClaim,
    HouseholdMember,
    HouseholdPairVerdict,
    WardVerifiedHousehold,
)
from db.notifications import Notification
from db.otp import OtpChallenge, SmsOutbox
from db.private_messages import MessageReport, MessageThread, PrivateMessage
from db.rate_limits import RateLimitCounter
from db.registries import RegistryEntry, RegistryImport
from db.requests import ReliefRequest, RequestEvent
from db.retention import RetentionPurge
from db.staff import StaffUser
from db.stock_watch import StockExpiryFlag
from db.supply import BagReservation, KitLine, Lot, LotComponent, StockBalance, StockMovement, SupplyItem, SupplyPlace

__all__ = [
    "AdminUnit",
    "AuditEntry",
    "BagReservation",
    "Base",
    "CashNeed",
    "CommunityHelper",
    "Delivery",
    "DeliveryAttempt",
    "Donation",
    "DonationLine",
    "Donor",
    "Household",
    "HouseholdClaim",
    "HouseholdMember",
    "HouseholdPairVerdict",
    "KitLine",
    "Lot",
    "LotComponent",
    "MessageReport",
    "MessageThread",
    "Notification",
    "OtpChallenge",
    "Pledge",
    "PrivateMessage",
    "RateLimitCounter",
    "RegistryEntry",
    "RegistryImport",
    "ReliefRequest",
    "RequestEvent",
    "RetentionPurge",
    "SmsOutbox",
    "StaffUser",
    "StockBalance",
    "StockExpiryFlag",
    "StockMovement",
    "SupplyItem",
    "SupplyPlace",
    "WardVerifiedHousehold",
]
