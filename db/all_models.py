"""Imports every table so that the metadata (Alembic, tests) sees the whole schema."""

from db.allocation_rounds import AllocationRound, AllocationRoundLine
from db.audit import AuditEntry
from db.base import Base
from db.cash import CashNeed, CommunityHelper, Pledge
from db.deliveries import Delivery, DeliveryAttempt
from db.donations import Donation, DonationLine, Donor
from db.emergencies import Emergency, EmergencyEventRow
from db.geography import AdminUnit
from db.help_groups import HelpGroup, HelpGroupAccount, HelpGroupCoverage, HelpGroupHours
from db.households import (
    Household,
    HouseholdClaim,
    HouseholdMember,
    HouseholdPairVerdict,
    WardVerifiedHousehold,
)
from db.notifications import Notification
from db.otp import OtpChallenge, SmsOutbox
from db.place_reports import (
    PlaceReport,
    PlaceReportAdjustment,
    PlaceReportCount,
    PlaceReportNotice,
    PlaceReportProposal,
)
from db.private_messages import MessageReport, MessageThread, PrivateMessage
from db.rate_limits import RateLimitCounter
from db.registries import RegistryEntry, RegistryImport
from db.requests import ReliefRequest, RequestEvent
from db.retention import RetentionPurge
from db.shipments import Shipment, ShipmentLine, ShipmentPick
from db.staff import StaffUser
from db.stock_watch import StockExpiryFlag
from db.supply import BagReservation, KitLine, Lot, LotComponent, StockBalance, StockMovement, SupplyItem, SupplyPlace

__all__ = [
    "AdminUnit",
    "AllocationRound",
    "AllocationRoundLine",
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
    "Emergency",
    "EmergencyEventRow",
    "HelpGroup",
    "HelpGroupAccount",
    "HelpGroupCoverage",
    "HelpGroupHours",
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
    "PlaceReport",
    "PlaceReportAdjustment",
    "PlaceReportCount",
    "PlaceReportNotice",
    "PlaceReportProposal",
    "Pledge",
    "PrivateMessage",
    "RateLimitCounter",
    "RegistryEntry",
    "RegistryImport",
    "ReliefRequest",
    "RequestEvent",
    "RetentionPurge",
    "Shipment",
    "ShipmentLine",
    "ShipmentPick",
    "SmsOutbox",
    "StaffUser",
    "StockBalance",
    "StockExpiryFlag",
    "StockMovement",
    "SupplyItem",
    "SupplyPlace",
    "WardVerifiedHousehold",
]
