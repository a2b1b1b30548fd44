"""The stages a relief request moves through, and the vocabulary of its events."""

from enum import StrEnum


class RequestKind(StrEnum):
    FOOD_BAG = "food_bag"
    CASH_SUPPORT = "cash_support"
    EMERGENCY = "emergency"


class Stage(StrEnum):
    REGISTERED = "registered"
    AWAITING_VERIFICATION = "awaiting_verification"
    # Approved, but the ward's distribution point has no free bag: it waits for stock, then for a courier.
    AWAITING_STOCK = "awaiting_stock"
    AWAITING_DISPATCH = "awaiting_dispatch"
    OUT_FOR_DELIVERY = "out_for_delivery"
    # A verified cash need, published to the community: pledges come and are confirmed by the household.
    AWAITING_SUPPORT = "awaiting_support"
    # Final stages: the household's claim is released when a request reaches one of these.
    REFUSED = "refused"
    REJECTED = "rejected"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    DELIVERED = "delivered"
    SUPPORTED = "supported"  # the cash need closed with money confirmed

    @property
    def is_final(self) -> bool:
        return self in FINAL_STAGES


FINAL_STAGES = frozenset(
    {Stage.REFUSED, Stage.REJECTED, Stage.EXPIRED, Stage.CANCELLED, Stage.DELIVERED, Stage.SUPPORTED}
)
OPEN_STAGES = frozenset(Stage) - FINAL_STAGES


class RefusalReason(StrEnum):
    ALREADY_RECEIVED = "already_received"
    ALREADY_IN_PROGRESS = "already_in_progress"


class EscalationLevel(StrEnum):
    """Who is expected to act on the request's current task."""

    WARD = "ward"
    DISTRICT = "district"


class EventType(StrEnum):
    REGISTERED = "registered"
    REFUSED = "refused"
    VERIFICATION_SKIPPED = "verification_skipped"
    VERIFICATION_REQUESTED = "verification_requested"
    VERIFICATION_REMINDER = "verification_reminder"
    ESCALATED = "escalated"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"
    COURIER_ASSIGNED = "courier_assigned"
    DISPATCH_REMINDER = "dispatch_reminder"
    DELIVERY_REMINDER = "delivery_reminder"
    DELIVERY_FAILED = "delivery_failed"
    RETURNED_TO_WARD = "returned_to_ward"
    # Last deadlines of the other stages (the verification stage's is EXPIRED).
    REGISTRATION_EXPIRED = "registration_expired"
    DISPATCH_EXPIRED = "dispatch_expired"
    DELIVERY_OVERDUE = "delivery_overdue"
    # Waiting for a bag at the ward's point: entered, reminded, a bag held at last, or given up.
    STOCK_AWAITED = "stock_awaited"
    STOCK_REMINDER = "stock_reminder"
    STOCK_ESCALATED = "stock_escalated"
    BAG_RESERVED = "bag_reserved"
    STOCK_EXPIRED = "stock_expired"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    # A cash need: published to helpers, withdrawn (its deadline passed, or cancelled: no new pledges while live
    # ones end), then closed with money confirmed (supported) or without (support_expired, or cancelled).
    NEED_PUBLISHED = "need_published"
    NEED_WITHDRAWN = "need_withdrawn"
    SUPPORTED = "supported"
    SUPPORT_EXPIRED = "support_expired"
