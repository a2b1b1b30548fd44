"""What the ward, the SOS team and the people of an emergency are told when it needs them."""

TEXTS: dict[str, tuple[str, str]] = {}
