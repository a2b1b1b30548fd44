"""Durations and limits of the relief process, as data (architecture §5).

A workflow receives the policy in its input and keeps it for its whole life, so a city can change the
defaults for new requests without touching requests already running. A field added later has a default, so a
policy recorded in an older request's history still parses.
"""

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Policy(BaseModel):
    model_config = ConfigDict(frozen=True)

    entitlement_window: timedelta = Field(timedelta(days=14), description="one bag per household per window")
    registration_expiry_after: timedelta = Field(
        timedelta(days=1), description="a registration whose admission step failed waits this long for a retry"
    )
    verification_reminder_after: timedelta = timedelta(hours=24)
    verification_escalation_after: timedelta = timedelta(hours=48)
    verification_expiry_after: timedelta = timedelta(days=7)
    dispatch_escalation_after: timedelta = timedelta(hours=12)
    dispatch_expiry_after: timedelta = Field(
        timedelta(days=3), description="last deadline to assign a courier: then the request expires"
    )
    delivery_reminder_after: timedelta = timedelta(hours=24)
    delivery_escalation_after: timedelta = timedelta(hours=48)
    delivery_expiry_after: timedelta = Field(
        timedelta(days=5), description="last deadline for the courier's report: then the request returns to the ward"
    )
    # A food bag comes from the ward point's stock; with none free the request waits for it, checking again
    # every `stock_recheck_every` besides being told when bags are assembled there.
    stock_reminder_after: timedelta = timedelta(hours=12)
    stock_escalation_after: timedelta = timedelta(hours=24)
    stock_expiry_after: timedelta = Field(
        timedelta(days=3), description="last deadline for a bag to reach the ward point: then the request expires"
    )
    stock_recheck_every: timedelta = timedelta(hours=2)
    max_delivery_attempts: int = Field(3, ge=1, le=10)
    auto_assign_courier: bool = True
    # A database step that fails for a passing reason (connection lost, serialisation failure) is retried this
    # many times within this time, then the request waits for a supervisor. Backing off from 0.2 s to 10 s, 12
    # attempts ride out about a minute of database restart or failover.
    step_max_attempts: int = Field(12, ge=1, le=100)
    step_retry_within: timedelta = timedelta(minutes=2)

    @model_validator(mode="after")
    def _timers_in_order(self) -> "Policy":
        self._deadlines_after_escalations()
        if not (self.verification_reminder_after < self.verification_escalation_after < self.verification_expiry_after):
            raise ValueError("verification reminder < escalation < expiry must hold")
        if not self.dispatch_escalation_after < self.dispatch_expiry_after:
            raise ValueError("dispatch escalation < expiry must hold")
        if not self.stock_reminder_after < self.stock_escalation_after < self.stock_expiry_after:
            raise ValueError("stock reminder < escalation < expiry must hold")
        if self.stock_recheck_every <= timedelta(0):
            raise ValueError("the stock re-check interval must be positive")
        if not self.delivery_reminder_after < self.delivery_escalation_after < self.delivery_expiry_after:
            raise ValueError("delivery reminder < escalation < expiry must hold")
        if self.entitlement_window <= timedelta(0):
            raise ValueError("entitlement window must be positive")
        if self.step_retry_within <= timedelta(0) or self.registration_expiry_after <= timedelta(0):
            raise ValueError("step retry time and registration expiry must be positive")
        return self

    def _deadlines_after_escalations(self) -> None:
        """A policy set before the last deadlines existed may escalate later than their defaults: an unset last
        deadline then comes twice the escalation time after the stage starts."""
        for deadline, escalation in (
            ("dispatch_expiry_after", self.dispatch_escalation_after),
            ("delivery_expiry_after", self.delivery_escalation_after),
        ):
            if deadline not in self.model_fields_set and getattr(self, deadline) <= escalation:
                object.__setattr__(self, deadline, 2 * escalation)  # frozen: set once, while validating
