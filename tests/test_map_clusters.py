"""The community map's server-side clustering: what a viewport at a zoom level is sent."""

from datetime import UTC, datetime, timedelta

from services.map_clusters import MAX_POINTS, POINTS_FROM_ZOOM, BBox, MapFilter, MapIndex, MapPoint

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
CITY = BBox(106.3, 10.3, 107.1, 11.2)


def point(code: str, lat: float, lon: float, **facts: object) -> MapPoint:
    values: dict[str, object] = {"category": "food_today", "urgency": "today", "opened_at": NOW, "claimed": False}
    values.update(facts)
    return MapPoint(code, lat, lon, **values)  # type: ignore[arg-type]


def grid(n: int) -> list[MapPoint]:
    """n×n points 0.002° apart (about 220 m) around Bến Thành."""
    return [point(f"E{i}-{j}", 10.77 + i * 0.002, 106.69 + j * 0.002) for i in range(n) for j in range(n)]


def test_a_city_view_sends_a_few_clusters_whose_counts_add_up_to_every_point() -> None:
    index = MapIndex(grid(40))
    answer = index.view(CITY, 11, MapFilter(), NOW)
    assert answer.matching == answer.total == 1600
    assert sum(c.count for c in answer.clusters) == 1600
    assert len(answer.clusters) <= 9  # 0.078° of points fall in at most 3 × 3 cells of 0.044° at zoom 11
    assert all(c.point is None for c in answer.clusters if c.count > 1)


def test_zooming_in_splits_clusters_and_from_street_level_each_point_is_its_own() -> None:
    index = MapIndex(grid(10))
    counts = [len(index.view(CITY, zoom, MapFilter(), NOW).clusters) for zoom in (11, 13, 14, POINTS_FROM_ZOOM)]
    assert counts == sorted(counts) and counts[0] < counts[-1] == 100
    street = index.view(CITY, POINTS_FROM_ZOOM, MapFilter(), NOW)
    assert {c.point.code for c in street.clusters if c.point} == {p.code for p in index.points}


def test_a_lone_point_carries_its_public_facts_and_a_cluster_sits_at_its_members_mean() -> None:
    alone = point("LONE", 10.9, 106.5, category="medicine", urgency="now", claimed=True)
    pair = [point("A", 10.8000, 106.7000), point("B", 10.8004, 106.7004)]
    answer = MapIndex([alone, *pair]).view(CITY, 12, MapFilter(), NOW)
    by_count = {c.count: c for c in answer.clusters}
    assert by_count[1].point == alone
    assert (by_count[2].latitude, by_count[2].longitude, by_count[2].point) == (10.8002, 106.7002, None)


def test_the_viewport_and_the_filters_choose_what_is_counted() -> None:
    points = [
        point("OLD", 10.80, 106.70, opened_at=NOW - timedelta(hours=5)),
        point("MED", 10.80, 106.70, category="medicine"),
        point("NOW", 10.80, 106.70, urgency="now"),
        point("TAKEN", 10.80, 106.70, claimed=True),
        point("FAR", 10.40, 106.40),
    ]
    index = MapIndex(points)
    center = BBox(106.6, 10.7, 106.8, 10.9)

    def codes(wanted: MapFilter, box: BBox = CITY) -> set[str]:
        answer = index.view(box, POINTS_FROM_ZOOM, wanted, NOW)
        return {c.point.code for c in answer.clusters if c.point}

    assert codes(MapFilter()) == {"OLD", "MED", "NOW", "TAKEN", "FAR"}
    assert codes(MapFilter(), center) == {"OLD", "MED", "NOW", "TAKEN"}
    assert codes(MapFilter(categories=frozenset({"medicine"}))) == {"MED"}
    assert codes(MapFilter(urgencies=frozenset({"now"}))) == {"NOW"}
    assert codes(MapFilter(max_age_minutes=60)) == {"MED", "NOW", "TAKEN", "FAR"}
    assert codes(MapFilter(unclaimed_only=True)) == {"OLD", "MED", "NOW", "FAR"}
    assert codes(MapFilter(categories=frozenset({"unknown"}))) == set()
    filtered = index.view(center, 11, MapFilter(unclaimed_only=True), NOW)
    assert (filtered.matching, filtered.total) == (3, 4)


def test_an_empty_map_answers_with_nothing() -> None:
    answer = MapIndex([]).view(CITY, 12, MapFilter(), NOW)
    assert (answer.clusters, answer.matching, answer.total) == ([], 0, 0)


def test_a_viewport_far_larger_than_a_screen_gets_cells_even_at_street_zoom() -> None:
    index = MapIndex(grid(40))  # 1,600 points over 0.08°: a street-level zoom would draw each of them
    answer = index.view(CITY, POINTS_FROM_ZOOM, MapFilter(), NOW)
    assert answer.matching > MAX_POINTS and sum(c.count for c in answer.clusters) == answer.matching
    assert len(answer.clusters) < answer.matching
