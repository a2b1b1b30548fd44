"""The client's address behind a proxy: X-Forwarded-For is believed only from the proxies a city names, read
from the right, so a client cannot choose the address its rate limits and audit entries are counted under."""

import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path

from api.forwarded import forwarded_client

PROXIES = [ip_network("10.0.0.0/8")]
ROOT = Path(__file__).resolve().parent.parent


def test_no_trusted_proxy_means_the_peer_is_the_client() -> None:
    assert forwarded_client("127.0.0.1", ["203.0.113.9"], []) == "127.0.0.1"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client_whatever_it_claims() -> None:
    assert forwarded_client("198.51.100.4", ["203.0.113.9"], PROXIES) == "198.51.100.4"


def test_behind_trusted_proxies_the_last_untrusted_hop_is_the_client() -> None:
    # The client wrote the first entry itself; the proxies appended what they saw.
    assert forwarded_client("10.0.0.2", ["6.6.6.6, 203.0.113.9", "10.0.0.7"], PROXIES) == "203.0.113.9"
    assert forwarded_client("10.0.0.2", [], PROXIES) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", ["not-an-address"], PROXIES) == "10.0.0.2"


def test_the_server_logs_our_own_info_lines() -> None:
    """The development SMS provider logs each one-time code at INFO (SECURITY.md); uvicorn configures only its
    own loggers, so ours were dropped until the server configured them."""
    probe = "import logging, server; server.serve(); logging.getLogger('ansinh.sms').info('probe-line')"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "probe-line" in result.stderr
