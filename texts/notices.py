"""What people are told at each event of a request, a donation, a pledge or a place's report (notifications),
keyed by audience and event, and the labels of events on a request's history."""

TEXTS: dict[str, tuple[str, str]] = {}
