"""The dashboard's emergency panel, in the caller's scope: a district official's district, or the city's."""

from domain.roles import Role
from services import emergency_figures
from services.emergency_figures import EmergencyFigures
from usecases.context import Context
from usecases.principal import Principal


async def dashboard(ctx: Context, principal: Principal) -> EmergencyFigures:
    district = principal.district_code if principal.role == Role.DISTRICT_OFFICIAL else None
    return await emergency_figures.figures(ctx.session, district)
