"""Rate-limit settings: how many tries a phone, an IP or a username gets in a fixed window."""

from datetime import timedelta

from pydantic import BaseModel, ConfigDict, Field


class Limit(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    count: int = Field(ge=1)
    window: timedelta


class RateLimits(BaseModel):
    """Per key and window; set e.g. RATE_LIMITS='{"login_failures_per_ip": {"count": 300, "window": "PT15M"}}'.

    The per-IP limits are generous because a ward office or a mobile carrier puts many people behind one
    address; the per-phone and per-username limits are what stop guessing. Sign-in counts failures only, per
    username at one address: guessing from elsewhere never locks the owner out (SECURITY.md).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    registration_per_ip: Limit = Limit(count=30, window=timedelta(hours=1))
    registration_per_phone: Limit = Limit(count=5, window=timedelta(days=1))
    # A donation's announcement needs no account and starts a workflow: bounded like a registration.
    donation_per_ip: Limit = Limit(count=20, window=timedelta(hours=1))
    donation_per_phone: Limit = Limit(count=10, window=timedelta(days=1))
    # A helper is one phone: pledges per helper per day, and per IP (many phones from one place).
    pledge_per_phone: Limit = Limit(count=10, window=timedelta(days=1))
    pledge_per_ip: Limit = Limit(count=60, window=timedelta(hours=1))
    # A help group's registration puts work in a district official's queue: a few per phone a day.
    help_group_registration_per_phone: Limit = Limit(count=3, window=timedelta(days=1))
    otp_send_per_phone: Limit = Limit(count=3, window=timedelta(minutes=15))
    otp_send_per_ip: Limit = Limit(count=20, window=timedelta(hours=1))
    otp_verify_per_phone: Limit = Limit(count=10, window=timedelta(minutes=15))
    otp_verify_per_ip: Limit = Limit(count=60, window=timedelta(hours=1))
    login_failures_per_username_ip: Limit = Limit(count=10, window=timedelta(minutes=15))
    login_failures_per_ip: Limit = Limit(count=300, window=timedelta(minutes=15))
