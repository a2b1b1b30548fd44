"""Imports every table so that the metadata (Alembic, tests) sees the whole schema."""

from db.base import Base
from db.deliveries import Delivery, DeliveryAttempt
from db.geography import AdminUnit
from db.households import (
    Household,
    HouseholdClaim,
    HouseholdMember,
    HouseholdPairVerdict,
    WardVerifiedHousehold,
)
from db.notifications import Notification
from db.registries import RegistryEntry, RegistryImport
from db.requests import ReliefRequest, RequestEvent
from db.staff import StaffUser

__all__ = [
    "AdminUnit",
    "Base",
    "Delivery",
    "DeliveryAttempt",
    "Household",
    "HouseholdClaim",
    "HouseholdMember",
    "HouseholdPairVerdict",
    "Notification",
    "RegistryEntry",
    "RegistryImport",
    "ReliefRequest",
    "RequestEvent",
    "StaffUser",
    "WardVerifiedHousehold",
]
