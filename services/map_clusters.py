"""Points on the community map grouped into clusters on the server, for a viewport at a zoom level.

A phone is sent what it can draw: at most one marker per grid cell of about `CELL_PX` screen pixels, with how many
points it holds; single points come with their public facts. So 15,000 open emergencies cost a phone a few hundred
markers whatever the zoom, and the query is a vectorised pass over arrays held in memory, not a database scan per
request. Coordinates here are already the public, approximate ones: nothing in this module may see an address.
"""

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

# A 256-pixel tile spans 360 / 2**zoom degrees of longitude: a cell is a quarter of a tile across.
CELL_PX = 64
# From this zoom on, every point is its own marker (a street's width): clusters there would hide neighbours. Unless
# a viewport far larger than a screen holds more than MAX_POINTS: then cells are still what it gets.
POINTS_FROM_ZOOM = 16
MAX_POINTS = 1000
# Nor is a viewport far larger than its zoom's screen sent more than this many cells across.
MAX_CELLS_ACROSS = 32
MIN_ZOOM, MAX_ZOOM = 8, 19


@dataclass(frozen=True)
class BBox:
    west: float
    south: float
    east: float
    north: float


@dataclass(frozen=True)
class MapFilter:
    categories: frozenset[str] = frozenset()  # empty: all
    urgencies: frozenset[str] = frozenset()
    max_age_minutes: int | None = None
    unclaimed_only: bool = False


@dataclass(frozen=True)
class MapPoint:
    code: str
    latitude: float
    longitude: float
    category: str
    urgency: str
    opened_at: datetime
    claimed: bool


@dataclass(frozen=True)
class Cluster:
    latitude: float
    longitude: float
    count: int
    point: MapPoint | None  # the one point, when the cell holds one (or the zoom shows each)


@dataclass(frozen=True)
class ViewAnswer:
    clusters: list[Cluster]
    matching: int  # points in the viewport that pass the filter
    total: int  # open points in the whole city that pass the filter


class MapIndex:
    """The open points as columns. Built once per snapshot; queried by any number of requests."""

    def __init__(self, points: list[MapPoint]) -> None:
        self.points = points
        self.lat: npt.NDArray[np.float64] = np.array([p.latitude for p in points], dtype=np.float64)
        self.lon: npt.NDArray[np.float64] = np.array([p.longitude for p in points], dtype=np.float64)
        self.opened: npt.NDArray[np.float64] = np.array([p.opened_at.timestamp() for p in points], dtype=np.float64)
        self.claimed: npt.NDArray[np.bool_] = np.array([p.claimed for p in points], dtype=np.bool_)
        self._category = _Codes([p.category for p in points])
        self._urgency = _Codes([p.urgency for p in points])

    def view(self, box: BBox, zoom: int, wanted: MapFilter, now: datetime) -> ViewAnswer:
        zoom = min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        keep = self._filtered(wanted, now)
        total = int(keep.sum())
        keep &= (self.lat >= box.south) & (self.lat <= box.north) & (self.lon >= box.west) & (self.lon <= box.east)
        chosen = np.flatnonzero(keep)
        if len(chosen) == 0 or (zoom >= POINTS_FROM_ZOOM and len(chosen) <= MAX_POINTS):
            return ViewAnswer([self._single(int(i)) for i in chosen], len(chosen), total)
        span = max(box.east - box.west, box.north - box.south) / MAX_CELLS_ACROSS
        cell = max(360.0 / (2**zoom) * CELL_PX / 256, span)
        rows = np.floor(self.lat[chosen] / cell).astype(np.int64)
        cols = np.floor(self.lon[chosen] / cell).astype(np.int64)
        keys = rows * 4_000_000 + cols  # a cell is under a degree wide at MIN_ZOOM: no two cells share a key
        order = np.argsort(keys, kind="stable")
        keys, members = keys[order], chosen[order]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        counts = np.diff(np.r_[starts, len(keys)])
        lat_sums = np.add.reduceat(self.lat[members], starts)
        lon_sums = np.add.reduceat(self.lon[members], starts)
        clusters = [
            self._single(int(members[start]))
            if count == 1
            else Cluster(round(float(lat / count), 5), round(float(lon / count), 5), int(count), None)
            for start, count, lat, lon in zip(starts, counts, lat_sums, lon_sums, strict=True)
        ]
        return ViewAnswer(clusters, len(chosen), total)

    def _filtered(self, wanted: MapFilter, now: datetime) -> npt.NDArray[np.bool_]:
        keep = np.ones(len(self.points), dtype=np.bool_)
        if wanted.categories:
            keep &= self._category.among(wanted.categories)
        if wanted.urgencies:
            keep &= self._urgency.among(wanted.urgencies)
        if wanted.max_age_minutes is not None:
            keep &= self.opened >= now.timestamp() - wanted.max_age_minutes * 60
        if wanted.unclaimed_only:
            keep &= ~self.claimed
        return keep

    def _single(self, i: int) -> Cluster:
        p = self.points[i]
        return Cluster(p.latitude, p.longitude, 1, p)


class _Codes:
    """A text column as small integers, so that a filter is one comparison per point."""

    def __init__(self, values: list[str]) -> None:
        self.names = sorted(set(values))
        index = {name: n for n, name in enumerate(self.names)}
        self.values: npt.NDArray[np.int16] = np.array([index[v] for v in values], dtype=np.int16)

    def among(self, wanted: frozenset[str]) -> npt.NDArray[np.bool_]:
        codes = [n for n, name in enumerate(self.names) if name in wanted]
        return np.isin(self.values, codes)
