"""The client's address behind reverse proxies, for rate limits and the audit log.

X-Forwarded-For is written by whoever sends the request, so it is believed only from the proxies a city names
(TRUSTED_PROXIES), and then read from the right: the last address that is not one of ours is the client. Anything
left of it was the client's own claim.
"""

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address


def _trusted(address: str, proxies: Sequence[IPv4Network | IPv6Network]) -> bool:
    try:
        ip = ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def forwarded_client(
    peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[IPv4Network | IPv6Network]
) -> str | None:
    if peer is None or not proxies or not _trusted(peer, proxies):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop if _is_address(hop) else peer
    return peer


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True
