"""Path parameters shared by the API's routes and the pages: codes are letters and digits only."""

from typing import Annotated

from fastapi import Path

from usecases.schemas.text import CODE_PATTERN

RequestCode = Annotated[str, Path(min_length=1, max_length=16, pattern=CODE_PATTERN)]
UnitCode = Annotated[str, Path(min_length=1, max_length=16, pattern=CODE_PATTERN)]
WardCode = Annotated[str, Path(max_length=16, pattern=CODE_PATTERN)]
# A published cash need's public reference (opaque: nothing of the household in it).
NeedRef = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9-]+$")]
