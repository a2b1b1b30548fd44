"""The duplicate check: resolve the household, then claim it or refuse, in one transaction.

Two registrations of one household race safely: advisory locks on its identity keys serialise the
resolution, a row lock on the household serialises the claim, and the claim's primary key refuses a
second open request whatever happens in Python.
"""

from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.addresses import address_key
from common.city_time import CITY_TZ
from common.keyed_hash import national_id_hash, phone_hash
from db.deliveries import Delivery
from db.households import Household, HouseholdClaim, HouseholdMember, WardVerifiedHousehold
from db.requests import ReliefRequest
from domain.messages import Admission, RequestInput
from domain.stages import RefusalReason, Stage


async def register_request(session: AsyncSession, req: RequestInput, at: datetime) -> bool:
    """Writes the request row; False when it already exists (a retried activity)."""
    applicant = req.applicant
    inserted = await session.scalar(
        insert(ReliefRequest)
        .values(
            id=req.request_id,
            code=req.code,
            kind=req.kind.value,
            ward_code=req.ward_code,
            district_code=req.district_code,
            applicant_name=applicant.full_name,
            applicant_national_id_hash=national_id_hash(applicant.national_id),
            applicant_phone_hash=phone_hash(applicant.phone),
            applicant_phone=applicant.phone,
            address=applicant.address,
            household_size=applicant.household_size,
            stage=Stage.REGISTERED.value,
            registered_at=at,
            updated_at=at,
        )
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(ReliefRequest.id)
    )
    return inserted is not None


async def stored_admission(session: AsyncSession, request_id: UUID) -> Admission | None:
    outcome = await session.scalar(select(ReliefRequest.outcome).where(ReliefRequest.id == request_id))
    if outcome and "admission" in outcome:
        return Admission.model_validate(outcome["admission"])
    return None


async def admit(session: AsyncSession, req: RequestInput, at: datetime) -> Admission:
    household_id = await _resolve_household(session, req)
    # Serialises every admission of this household from here to commit.
    await session.execute(select(Household.id).where(Household.id == household_id).with_for_update())
    admission = await _check_entitlement(session, req, household_id, at)
    if admission is None:
        claimed = await session.scalar(
            insert(HouseholdClaim)
            .values(household_id=household_id, kind=req.kind.value, request_id=req.request_id, claimed_at=at)
            .on_conflict_do_nothing()
            .returning(HouseholdClaim.request_id)
        )
        if claimed is None:  # unreachable under the row lock; the key still decides
            raise RuntimeError("household claim conflict under lock")
        verified = await session.scalar(
            select(func.count())
            .select_from(WardVerifiedHousehold)
            .where(WardVerifiedHousehold.household_id == household_id)
        )
        stage = Stage.AWAITING_DISPATCH if verified else Stage.AWAITING_VERIFICATION
        admission = Admission(stage=stage, household_id=household_id, household_verified=bool(verified))
    await session.execute(
        update(ReliefRequest)
        .where(ReliefRequest.id == req.request_id)
        .values(household_id=household_id, outcome={"admission": admission.model_dump(mode="json")})
    )
    return admission


async def _check_entitlement(
    session: AsyncSession, req: RequestInput, household_id: UUID, at: datetime
) -> Admission | None:
    """The refusal, if the household already received within its window or has a request open."""
    last = (
        await session.execute(
            select(Delivery.delivered_at, Delivery.entitled_period)
            .where(
                Delivery.household_id == household_id,
                Delivery.kind == req.kind.value,
                Delivery.entitled_period.contains(at),
            )
            .order_by(Delivery.delivered_at.desc())
            .limit(1)
        )
    ).first()
    if last is not None:
        return Admission(
            stage=Stage.REFUSED,
            household_id=household_id,
            refusal=RefusalReason.ALREADY_RECEIVED,
            last_delivered_on=last.delivered_at.astimezone(CITY_TZ).date(),
            eligible_again_on=_first_day_after(last.entitled_period.upper),
        )
    open_code = await session.scalar(
        select(ReliefRequest.code)
        .join(HouseholdClaim, HouseholdClaim.request_id == ReliefRequest.id)
        .where(HouseholdClaim.household_id == household_id, HouseholdClaim.kind == req.kind.value)
    )
    if open_code is not None:
        return Admission(
            stage=Stage.REFUSED,
            household_id=household_id,
            refusal=RefusalReason.ALREADY_IN_PROGRESS,
            open_request_code=open_code,
        )
    return None


def _first_day_after(moment: datetime) -> date:
    """The first local calendar day on which the whole day lies outside the window."""
    local = moment.astimezone(CITY_TZ)
    day = local.date()
    return day if local.time() == datetime.min.time() else day + timedelta(days=1)


async def _resolve_household(session: AsyncSession, req: RequestInput) -> UUID:
    """National ID, then phone, then ward + normalised address; a new household if none match."""
    applicant = req.applicant
    id_hash = national_id_hash(applicant.national_id)
    tel_hash = phone_hash(applicant.phone)
    addr_key = address_key(applicant.address)
    for key in sorted({f"id:{id_hash}", f"tel:{tel_hash}", f"addr:{req.ward_code}:{addr_key}"}):
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 0))"), {"k": key})

    household_id = await session.scalar(
        select(HouseholdMember.household_id).where(HouseholdMember.national_id_hash == id_hash)
    )
    if household_id is not None:
        return household_id
    household_id = await session.scalar(
        select(Household.id).where(Household.phone_hash == tel_hash).order_by(Household.created_at).limit(1)
    )
    if household_id is None:
        household_id = await session.scalar(
            select(Household.id)
            .where(Household.ward_code == req.ward_code, Household.address_key == addr_key)
            .order_by(Household.created_at)
            .limit(1)
        )
    if household_id is None:
        household_id = uuid4()
        session.add(
            Household(
                id=household_id,
                ward_code=req.ward_code,
                address=applicant.address,
                address_key=addr_key,
                phone_hash=tel_hash,
                size=applicant.household_size,
            )
        )
        await session.flush()
    session.add(
        HouseholdMember(
            household_id=household_id,
            full_name=applicant.full_name,
            national_id_hash=id_hash,
            national_id_last4=applicant.national_id[-4:],
        )
    )
    await session.flush()
    return household_id
