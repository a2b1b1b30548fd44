"""Private messages: the bodies the API takes and the thread each side, or the ward's moderator, reads. The pages
fill the same models from their forms. A body's length is the policy's (MessagePolicy.max_length), checked by the
use case; the bound here only keeps a request's size sane."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from domain.identity import plain_text
from domain.private_messages import Moderation, Side, SubjectKind

_Text = Annotated[str, BeforeValidator(plain_text)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MessageBody(_Body):
    body: _Text = Field("", max_length=20_000, description="the message; never shown in a notification")


class ConsentBody(_Body):
    share: bool = Field(description="show my phone number to the other side (only once both agree)")


class ReportBody(_Body):
    reason: _Text = Field("", max_length=20_000, description="what is wrong, for the ward's moderators")


class ModerationBody(_Body):
    outcome: Moderation


class MessageView(BaseModel):
    author: Side
    mine: bool
    body: str | None  # None once purged
    sent_at: datetime
    read_at: datetime | None


class ThreadView(BaseModel):
    """One side's thread. `open` false means no more messages: the reader is not told who closed it, unless it was
    the reader (`i_blocked`)."""

    subject_kind: SubjectKind
    subject_key: str
    my_side: Side
    open: bool
    i_blocked: bool
    i_reported: bool
    i_share_phone: bool
    other_shares_phone: bool
    other_phone: str | None = Field(description="the other side's number, only while both agree to show them")
    other_name: str | None = Field(description="the helper's display name, for the household")
    max_length: int
    messages: list[MessageView]


class ReportView(BaseModel):
    side: Side
    reason: str | None
    reported_at: datetime


class ReportedThread(BaseModel):
    """A line of the ward's moderation list: nothing of the messages."""

    subject_kind: SubjectKind
    subject_key: str
    reported_at: datetime
    reports: int
    state: str


class ModeratedThread(BaseModel):
    subject_kind: SubjectKind
    subject_key: str
    state: str
    moderation: Moderation | None
    reports: list[ReportView]
    messages: list[MessageView]
