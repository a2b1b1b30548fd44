"""The duplicate check: resolve the household, then claim it or refuse, in one transaction.

Two registrations of one household race safely: advisory locks on its identity keys serialise the
resolution (services.household_matching), a row lock on the household serialises the claim, and the
claim's primary key refuses a second open request whatever happens in Python.
"""

from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.keyed_hash import national_id_hash, phone_hash
from db.households import Household, HouseholdClaim, WardVerifiedHousehold
from db.notifications import Notification
from db.requests import ReliefRequest
from domain.messages import Admission, RequestInput
from domain.refusals import RuleViolation
from domain.stages import RequestKind, Stage
from services import cash_needs, entitlement
from services.household_matching import Person, lock_identity, resolve_household
from services.notices import notice
from texts import normalise_lang

REGISTRATION_ATTEMPT = "registration_attempt"  # the notification's event: not a stage change

_REQUESTS = cast(Table, ReliefRequest.__table__)
# Built once (each registration runs it): building a statement costs more than running it.
_INSERT_REQUEST = insert(_REQUESTS).on_conflict_do_nothing(index_elements=["id"]).returning(_REQUESTS.c.id)


async def register_request(session: AsyncSession, req: RequestInput, at: datetime) -> bool:
    """Writes the request row; False when it already exists (a retried activity)."""
    applicant = req.applicant
    row = {
        "id": req.request_id,
        "code": req.code,
        "kind": req.kind,
        "ward_code": req.ward_code,
        "district_code": req.district_code,
        "applicant_name": applicant.full_name,
        "applicant_national_id_hash": national_id_hash(applicant.national_id),
        "applicant_phone_hash": phone_hash(applicant.phone),
        "applicant_phone": applicant.phone,
        "address": applicant.address,
        "household_size": applicant.household_size,
        "lang": req.lang,
        "stage": Stage.REGISTERED.value,
        "registered_at": at,
        "updated_at": at,
    }
    return await session.scalar(_INSERT_REQUEST, row) is not None


async def stored_admission(session: AsyncSession, request_id: UUID) -> Admission | None:
    outcome = await session.scalar(select(ReliefRequest.outcome).where(ReliefRequest.id == request_id))
    if outcome and "admission" in outcome:
        return Admission.model_validate(outcome["admission"])
    return None


# One alert per open request (seq 0 is no stage change's): whoever keeps registering the household with its ID
# number, its phone on file hears of it once, with the hotline to call if it was not them.
_ALERT = (
    insert(Notification)
    .values(seq=0, audience="citizen", unit_code=None, event=REGISTRATION_ATTEMPT)
    .on_conflict_do_nothing(index_elements=["request_id", "seq", "audience"])
)


async def _alert_household(session: AsyncSession, open_code: str, at: datetime) -> None:
    """In the language the open request was registered in: that is who reads it."""
    open_request = (
        await session.execute(select(ReliefRequest.id, ReliefRequest.lang).where(ReliefRequest.code == open_code))
    ).one()
    message = notice(normalise_lang(open_request.lang), f"notice.citizen.{REGISTRATION_ATTEMPT}", {"code": open_code})
    await session.execute(_ALERT.values(request_id=open_request.id, message=message, created_at=at))


async def admit(session: AsyncSession, req: RequestInput, at: datetime) -> Admission:
    applicant = req.applicant
    person = Person(
        ward_code=req.ward_code,
        full_name=applicant.full_name,
        national_id=applicant.national_id,
        phone=applicant.phone,
        address=applicant.address,
        household_size=applicant.household_size,
    )
    await lock_identity(session, person)
    resolution = await resolve_household(session, person)
    household_id = resolution.household_id
    # Serialises every admission of this household from here to commit.
    await session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
    admission = await entitlement.refusal(session, household_id, req.kind, at)
    if admission is not None and admission.open_request_code is not None:
        await _alert_household(session, admission.open_request_code, at)
    if admission is None:
        claimed = await session.scalar(
            insert(HouseholdClaim)
            .values(household_id=household_id, kind=req.kind, request_id=req.request_id, claimed_at=at)
            .on_conflict_do_nothing()
            .returning(HouseholdClaim.request_id)
        )
        if claimed is None:  # unreachable under the row lock; the key still decides
            raise RuleViolation("household claim conflict under lock")
        verified = await session.scalar(
            select(func.count())
            .select_from(WardVerifiedHousehold)
            .where(WardVerifiedHousehold.household_id == household_id)
        )
        # A probable duplicate goes to the ward even from its verified list: someone must tell them apart. A cash
        # need always does: its amount and payout account are new with each request.
        skip = verified and resolution.probable_duplicate_of is None and req.kind != RequestKind.CASH_SUPPORT
        admission = Admission(
            stage=Stage.AWAITING_DISPATCH if skip else Stage.AWAITING_VERIFICATION,
            household_id=household_id,
            household_verified=bool(verified),
            probable_duplicate_of=resolution.probable_duplicate_of,
        )
        if req.kind == RequestKind.CASH_SUPPORT:
            await cash_needs.open_for_request(session, req, household_id)
    await session.execute(
        update(ReliefRequest)
        .where(ReliefRequest.id == req.request_id)
        .values(household_id=household_id, outcome={"admission": admission.model_dump(mode="json")})
    )
    return admission
