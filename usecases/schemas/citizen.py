"""A citizen's sign-in by one-time code, and the list of their households' requests."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from domain.identity import MobilePhone, plain_text


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OtpRequestBody(_Body):
    phone: MobilePhone = Field(description="the phone number given at registration")


class OtpVerificationBody(_Body):
    phone: MobilePhone
    code: Annotated[str, BeforeValidator(plain_text), StringConstraints(pattern=r"^[0-9]{6}$")] = Field(
        description="the six digits received by SMS"
    )


class OtpSent(BaseModel):
    message: str = Field(description="the same answer whether or not the phone is known")
    expires_in_seconds: int
    tries: int = Field(description="wrong codes allowed before a new one is needed")
    resend_after_seconds: int = Field(description="the wait before a new code can be asked for")
