"""One settings object read from the environment; the same code runs embedded or at city scale."""

from datetime import timedelta
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.limits import RateLimits
from domain.cash import CashPolicy
from domain.donations import DonationPolicy
from domain.emergency import EmergencyPolicy
from domain.help_groups import HelpGroupPolicy
from domain.policy import Policy
from domain.private_messages import MessagePolicy
from domain.shipment_flow import ShipmentPolicy

_DEV_SECRET = "development-only-secret-change-me"
# base64 of 32 bytes, public in this repository: development and tests only.
_DEV_PAYLOAD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktY2hhbmdlLW1lLTA="
_DEV_ACTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hY3Rpb24ta2V5LWNoYW5nZQ=="


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql+psycopg://postgres@localhost:5432/ansinh"
    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    # The CA that signed the frontend's certificate when it is a private one (docker-compose's), and the name
    # to expect in that certificate when it is not the host of TEMPORAL_ADDRESS. Unset: the system's CAs.
    temporal_tls_ca: Path | None = None
    temporal_tls_server_name: str | None = None
    task_queue: str = "relief-requests"
    temporal_ui_url: str = "http://localhost:8233"
    # Facts the texts quote (texts/facts.py): the hotline people call, and the city's name in each language.
    city_hotline: str = "1900 633 996"
    city_name_vi: str = "TP.HCM"
    city_name_en: str = "Ho Chi Minh City"
    # host:port where this process serves Temporal's SDK metrics (Prometheus text at /metrics): task slots,
    # sticky cache hits and evictions, schedule-to-start latency, the figures worker tuning reads. Unset: none.
    temporal_metrics_address: str | None = None
    # Keyed hash of national IDs and phones (architecture §4) and the signing key of access tokens.
    identity_hmac_key: str = _DEV_SECRET
    token_secret: str = _DEV_SECRET
    token_minutes: int = 60
    photo_dir: Path = Path(".data/photos")
    # Admission control (usecases/relief/registration_gate.py): an API process keeps no more registrations waiting
    # than it answers in this long (at least 10); past that, 503 with Retry-After. 0: no bound.
    registration_max_wait: timedelta = Field(timedelta(seconds=2), ge=timedelta(0))
    max_photo_bytes: int = 8 * 1024 * 1024
    # Width x height: a small file can declare a huge image (a pixel bomb); refused before decoding.
    max_photo_pixels: int = 40_000_000
    # AES-GCM keys by id for Temporal payloads and encrypted columns (PAYLOAD_KEYS='{"k2": "<base64>"}'),
    # and the id new data is encrypted with; older ids still decrypt (common/crypto.py).
    payload_keys: dict[str, str] = Field(default_factory=lambda: {"dev": _DEV_PAYLOAD_KEY})
    payload_key_id: str = "dev"
    # HMAC keys by id (base64) with which the API signs people's actions and the workers check them
    # (domain/action_signing.py), e.g. ACTION_KEYS='{"a1": "<base64 of 32 bytes>"}', and the id new ones use.
    action_keys: dict[str, str] = Field(default_factory=lambda: {"dev": _DEV_ACTION_KEY})
    action_key_id: str = "dev"
    # The origin of the Temporal UI allowed to call the codec server (CORS).
    codec_cors_origins: list[str] = Field(default_factory=lambda: ["http://localhost:8233", "http://127.0.0.1:8233"])
    otp_minutes: int = Field(5, ge=1, le=30)
    otp_max_attempts: int = Field(5, ge=1, le=10)
    otp_resend_seconds: int = Field(60, ge=0, le=900)  # the wait before a phone can be sent a new code
    # How long after the proof of delivery a household may say "Tôi chưa nhận được túi".
    not_received_within_hours: int = Field(72, ge=1, le=24 * 30)
    # The community map's background: an OpenStreetMap-style tile URL ("https://tiles.example.vn/{z}/{x}/{y}.png")
    # and its attribution. Empty: no tiles (an offline city, these test machines), the map draws places' names.
    map_tile_url: str = Field("", pattern=r"^(https://[^/\s\"']+/[^\s\"']*\{z\}[^\s\"']*)?$")
    map_tile_attribution: str = Field("", max_length=300)
    rate_limits: RateLimits = Field(default_factory=RateLimits)
    # Closed requests keep their personal data this long, then the daily retention schedule purges it.
    retention_period: timedelta = timedelta(days=365)
    city_code: str = "79"
    # Addresses (or networks) of the reverse proxies in front of the API, e.g. TRUSTED_PROXIES='["10.0.0.0/8"]':
    # only from these is X-Forwarded-For believed. Empty: the peer's own address is the client's.
    trusted_proxies: list[IPv4Network | IPv6Network] = Field(default_factory=list)
    # The relief policy for new requests, e.g. POLICY='{"entitlement_window": "P14D"}' (ISO 8601 durations).
    policy: Policy = Field(default_factory=Policy)
    # The same for new donations, e.g. DONATION_POLICY='{"expiry_after": "P5D"}'.
    donation_policy: DonationPolicy = Field(default_factory=DonationPolicy)
    # The same for new cash needs, e.g. CASH_POLICY='{"max_amount_vnd": 2000000}'.
    cash_policy: CashPolicy = Field(default_factory=CashPolicy)
    # The same for new shipments, e.g. SHIPMENT_POLICY='{"transit_escalate_after": "PT8H"}'.
    shipment_policy: ShipmentPolicy = Field(default_factory=ShipmentPolicy)
    # The same for new emergencies, e.g. EMERGENCY_POLICY='{"escalate_after": "PT15M"}'.
    emergency_policy: EmergencyPolicy = Field(default_factory=EmergencyPolicy)
    # Help groups' registrations, e.g. HELP_GROUP_POLICY='{"max_coverage_units": 40}'.
    help_group_policy: HelpGroupPolicy = Field(default_factory=HelpGroupPolicy)
    # Private messages' length, rate limits and notification throttle (domain/private_messages.py).
    message_policy: MessagePolicy = Field(default_factory=MessagePolicy)

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> "Settings":
        if self.environment == "production" and _DEV_SECRET in (self.identity_hmac_key, self.token_secret):
            raise ValueError("IDENTITY_HMAC_KEY and TOKEN_SECRET must be set in production")
        if self.environment == "production" and _DEV_PAYLOAD_KEY in self.payload_keys.values():
            raise ValueError("PAYLOAD_KEYS must be set in production (the development key is public)")
        if self.environment == "production" and _DEV_ACTION_KEY in self.action_keys.values():
            raise ValueError("ACTION_KEYS must be set in production (the development key is public)")
        if self.action_key_id not in self.action_keys:
            raise ValueError(f"ACTION_KEY_ID {self.action_key_id!r} is not a key id of ACTION_KEYS")
        if self.payload_key_id not in self.payload_keys:
            raise ValueError(f"PAYLOAD_KEY_ID {self.payload_key_id!r} is not a key id of PAYLOAD_KEYS")
        if self.retention_period < self.policy.entitlement_window * 2:
            raise ValueError("RETENTION_PERIOD must be at least twice the entitlement window")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
