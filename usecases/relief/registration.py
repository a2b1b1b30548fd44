"""A household registers a request; the duplicate check answers in the same call.

Nothing is written here: the workflow's first activity records the request. The answer tells the caller only
what they may know without proving who they are: a refusal carries no token and names no other request.
Rate-limited per IP and per phone (RateLimited); while the workers are behind, RegistrationsPaused before anything
is done (registration_gate.py).
With the same idempotency key (a retry after a lost answer) it answers for the same request.
"""

from domain.cash import CashNeedRequest, CashPolicy
from domain.messages import Admission, Applicant
from domain.stages import RequestKind, Stage
from services import rate_limits
from services.geography import ward_with_district
from services.notices import admission_refusal, notice
from texts import Lang, Text, text
from usecases.context import Context
from usecases.errors import FieldProblem, InvalidInput
from usecases.relief import workflow_gateway as gateway
from usecases.schemas.registration import RegistrationAnswer, RegistrationForm
from usecases.trust.tokens import issue_citizen_token


def cash_need(form: RegistrationForm, policy: CashPolicy) -> CashNeedRequest | None:
    """A cash_support registration's need, within the policy's cap (the form checked each field's shape)."""
    if form.kind != RequestKind.CASH_SUPPORT:
        return None
    assert form.amount_vnd is not None and form.situation is not None and form.payout_method is not None
    assert form.bank_bin is not None and form.account_number is not None and form.holder_name is not None
    if form.amount_vnd > policy.max_amount_vnd:
        cap = f"{policy.max_amount_vnd:,}".replace(",", ".")
        raise InvalidInput.field("amount_vnd", "above_cap", input=form.amount_vnd, cap=cap)
    return CashNeedRequest(
        amount_vnd=form.amount_vnd,
        situation=form.situation,
        payout_method=form.payout_method,
        bank_bin=form.bank_bin,
        account_number=form.account_number,
        holder_name=form.holder_name,
        consent_to_publish=bool(form.consent_to_publish),
        policy=policy,
    )


def registration_message(lang: Lang, code: str, admission: Admission, kind: RequestKind) -> str:
    """The sentence the citizen reads right after registering: what their first message says."""
    match admission.stage:
        case Stage.REFUSED:
            return admission_refusal(admission, kind).render(lang)
        case Stage.AWAITING_DISPATCH:
            return notice(lang, "notice.citizen.verification_skipped", {"code": code})
        case _:
            told = notice(lang, "notice.citizen.verification_requested", {"code": code})
            return f"{told} {text(lang, 'reg.answer.keep_code', code=code)}"


async def register(
    ctx: Context, form: RegistrationForm, idempotency_key: str | None = None, caller_lang: Lang = "vi"
) -> RegistrationAnswer:
    """`caller_lang`: the page's language, or the API's Accept-Language; the form's `language` wins over it. The
    household's messages are written in the language chosen, from this answer on."""
    lang = form.language or caller_lang
    settings = ctx.settings
    cash = cash_need(form, settings.cash_policy)
    async with ctx.registrations.admitted():
        limits = settings.rate_limits
        await rate_limits.hit(
            ("registration_ip", ctx.client_ip or "-", limits.registration_per_ip),
            ("registration_phone", form.phone, limits.registration_per_phone),
        )
        units = await ward_with_district(ctx.session, form.ward_code)
        if units is None:
            raise InvalidInput.field("ward_code", "unknown_ward", input=form.ward_code, ward=form.ward_code)
        ward_code, district_code = units
        await ctx.session.close()  # the database is not needed while the workflow admits the request
        try:
            inp, admission = await gateway.register(
                ctx.temporal,
                task_queue=settings.task_queue,
                kind=form.kind,
                ward_code=ward_code,
                district_code=district_code,
                applicant=Applicant(
                    full_name=form.full_name,
                    national_id=form.national_id,
                    phone=form.phone,
                    address=form.address,
                    household_size=form.household_size,
                ),
                policy=settings.policy,
                idempotency_key=idempotency_key,
                cash=cash,
                lang=lang,
            )
        except gateway.KeyReused:
            raise InvalidInput(
                FieldProblem(
                    "Idempotency-Key",
                    "idempotency_key_reused",
                    Text("err.idempotency_key_reused"),
                    location="header",
                )
            ) from None
    # A national ID is no secret (couriers type them at every door): a refusal opens nothing and names no other
    # request; the household hears of the attempt on the phone it has on file. An admitted registration's token
    # opens that one request only, not the household's others.
    household = admission.household_id if admission.stage != Stage.REFUSED else None
    token = issue_citizen_token(settings, [household], inp.code) if household is not None else None
    return RegistrationAnswer(
        code=inp.code,
        stage=admission.stage,
        refusal=admission.refusal,
        last_delivered_on=admission.last_delivered_on,
        eligible_again_on=admission.eligible_again_on,
        message=registration_message(lang, inp.code, admission, form.kind),
        citizen_token=token,
    )
