"""One settings object read from the environment; the same code runs embedded or at city scale."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.policy import Policy

_DEV_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", env_file=None, extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "postgresql+psycopg://postgres@localhost:5432/ansinh"
    temporal_address: str = "localhost:7233"
    temporal_namespace: str = "default"
    temporal_tls_cert: Path | None = None
    temporal_tls_key: Path | None = None
    task_queue: str = "relief-requests"
    temporal_ui_url: str = "http://localhost:8233"
    # Keyed hash of national IDs and phones (architecture §4) and the signing key of access tokens.
    identity_hmac_key: str = _DEV_SECRET
    token_secret: str = _DEV_SECRET
    token_minutes: int = 60
    photo_dir: Path = Path(".data/photos")
    max_photo_bytes: int = 8 * 1024 * 1024
    city_code: str = "79"
    # The relief policy for new requests, e.g. POLICY='{"entitlement_window": "P14D"}' (ISO 8601 durations).
    policy: Policy = Field(default_factory=Policy)

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self) -> "Settings":
        if self.environment == "production" and _DEV_SECRET in (self.identity_hmac_key, self.token_secret):
            raise ValueError("IDENTITY_HMAC_KEY and TOKEN_SECRET must be set in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
