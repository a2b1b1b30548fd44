"""What anyone may read about published cash needs: no name, phone, address, account or request code."""

from pydantic import BaseModel, Field

from domain.cash import SituationCategory


class PublishedNeedCard(BaseModel):
    public_ref: str = Field(description="the need's public reference (never the household's request code)")
    ward_name: str
    district_name: str
    household_size: int
    situation: SituationCategory = Field(description="why the household needs money now (the pages say it in words)")
    amount_asked_vnd: int
    amount_still_needed_vnd: int = Field(description="asked minus what helpers have pledged or paid")
    days_waiting: int = Field(description="whole days since the need was published")
    pledge_url: str = Field(description="where a helper pledges to this need")


class PublishedNeedsPage(BaseModel):
    items: list[PublishedNeedCard]
    district_code: str | None
    order: str = "oldest"
    limit: int
    offset: int
    has_more: bool
