"""Finding the ward in a typed address, for the citizen to confirm before registering."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, status
from pydantic import BaseModel, ConfigDict, StringConstraints

from api.deps import AppSettings, DbSession
from api.schemas.text import Printable
from db.geography import AdminUnit
from services.address_parsing import parse_ward

router = APIRouter(prefix="/addresses", tags=["geography"])


class AddressText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300), Printable]


class ParsedWard(BaseModel):
    ward_code: str
    ward_name: str
    district_code: str
    district_name: str
    street: str | None
    message: str


@router.post("/parse", response_model=ParsedWard)
async def parse(body: AddressText, session: DbSession, settings: AppSettings) -> ParsedWard:
    city = await session.get(AdminUnit, settings.city_code)
    parsed = parse_ward(body.text, settings.city_code, city.name if city else "Thành phố Hồ Chí Minh")
    if parsed is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[{
                "type": "ward_not_found", "loc": ["body", "text"], "input": body.text,
                "msg": "không tìm thấy phường/xã trong địa chỉ; hãy chọn từ danh sách (no ward found in the address)",
            }],
        )  # fmt: skip
    return ParsedWard(
        **parsed.__dict__,
        message=f"Có phải {parsed.ward_name}, {parsed.district_name}? Vui lòng xác nhận trước khi đăng ký.",
    )
