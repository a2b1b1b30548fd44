"""A citizen ends every session of their households at once: a lost phone, a shared one, a code seen by
someone else. Their next session needs a new one-time code."""

from datetime import UTC, datetime

from services import citizen_sessions
from usecases.context import Context
from usecases.principal import Principal


async def revoke_citizen_tokens(ctx: Context, principal: Principal) -> None:
    await citizen_sessions.revoke(ctx.session, principal.household_ids, datetime.now(UTC))
    await ctx.auditor(principal).record("citizen_tokens_revoked")  # commits the revocation with its entry
