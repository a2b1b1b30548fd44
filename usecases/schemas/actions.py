"""Bodies of the officials' and couriers' actions (the delivery proof is a multipart form)."""

from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from usecases.schemas.text import Printable

_Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), Printable]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VerificationBody(_Body):
    approve: bool
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Printable] | None = Field(
        None, description="required when rejecting"
    )
    same_household: bool | None = Field(
        None,
        description="required when approving a request with a probable duplicate: true merges the two households "
        "(the merged history may then refuse the request), false records that they are different",
    )


class AssignmentBody(_Body):
    courier_id: UUID


class FailedAttemptBody(_Body):
    reason: _Reason


class CancellationBody(_Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500), Printable] | None = None
