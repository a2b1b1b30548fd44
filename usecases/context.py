"""What every use case works with, built once per call by whichever door the person came through.

One object instead of a list of FastAPI dependencies: a use case that needs one more thing gets it here, and no
route or page that calls it has to change.
"""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.client import Client

from common.settings import Settings
from services.photo_processing import PhotoProcessor
from usecases.audit import Auditor
from usecases.principal import Principal
from usecases.relief.registration_gate import RegistrationGate


@dataclass(frozen=True)
class Context:
    session: AsyncSession
    settings: Settings
    temporal: Client
    photos: PhotoProcessor
    registrations: RegistrationGate
    client_ip: str | None  # rate limits and the audit log; never shown to anyone

    def auditor(self, principal: Principal | None) -> Auditor:
        return Auditor(session=self.session, principal=principal, ip=self.client_ip)
