"""Durations and limits of the relief process, as data (architecture §5).

A workflow receives the policy in its input and keeps it for its whole life, so a city can change the
defaults for new requests without touching requests already running.
"""

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True)

    entitlement_window: timedelta = Field(timedelta(days=14), description="one bag per household per window")
    verification_reminder_after: timedelta = timedelta(hours=24)
    verification_escalation_after: timedelta = timedelta(hours=48)
    verification_expiry_after: timedelta = timedelta(days=7)
    dispatch_escalation_after: timedelta = timedelta(hours=12)
    delivery_reminder_after: timedelta = timedelta(hours=24)
    delivery_escalation_after: timedelta = timedelta(hours=48)
    max_delivery_attempts: int = Field(3, ge=1, le=10)
    auto_assign_courier: bool = True

    @model_validator(mode="after")
    def _timers_in_order(self) -> "Policy":
        if not (self.verification_reminder_after < self.verification_escalation_after < self.verification_expiry_after):
            raise ValueError("verification reminder < escalation < expiry must hold")
        if not self.delivery_reminder_after < self.delivery_escalation_after:
            raise ValueError("delivery reminder < escalation must hold")
        if self.entitlement_window <= timedelta(0):
            raise ValueError("entitlement window must be positive")
        return self
