"""The community map's question (a viewport, a zoom, filters) and its answer (clusters and single points).

Codes only, no text: the page that draws them holds the words in the reader's language.
"""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from domain.emergency import EmergencyCategory, EmergencyUrgency
from services.map_clusters import MAX_ZOOM, MIN_ZOOM


class MapQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    south: float = Field(ge=-90, le=90)
    west: float = Field(ge=-180, le=180)
    north: float = Field(ge=-90, le=90)
    east: float = Field(ge=-180, le=180)
    zoom: int = Field(ge=MIN_ZOOM, le=MAX_ZOOM)
    categories: frozenset[EmergencyCategory] = frozenset()
    urgencies: frozenset[EmergencyUrgency] = frozenset()
    max_age_hours: int | None = Field(default=None, ge=1, le=24 * 30)
    unclaimed_only: bool = False


class MapPointOut(BaseModel):
    code: str
    category: EmergencyCategory
    urgency: EmergencyUrgency
    opened_at: datetime
    claimed: bool


class MapCluster(BaseModel):
    latitude: float
    longitude: float
    count: int
    point: MapPointOut | None = None  # a single emergency's public facts


class MapAnswer(BaseModel):
    clusters: list[MapCluster]
    matching: int  # in the viewport, passing the filters
    total: int  # in the whole city, passing the filters
    as_of: datetime  # when the snapshot the answer comes from was read
