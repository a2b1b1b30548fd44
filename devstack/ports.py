"""A free TCP port on this machine, for a server started next (bench runs, tests: several stacks side by side).

Chosen below the kernel's ephemeral range: a port the kernel hands out (bind to 0) can be taken by any outgoing
connection (a worker's to Temporal, a pool's to PostgreSQL) between our check and the server's bind, which once
stopped a stack's codec server with "address already in use". Outgoing connections never use ports outside that
range, and this process never hands the same port out twice."""

import random
import socket

_LOW, _HIGH = 20_000, 32_000  # below Linux's default ip_local_port_range (32768-60999)
_handed_out: set[int] = set()


def free_port(host: str = "127.0.0.1") -> int:
    for _ in range(200):
        port = random.randint(_LOW, _HIGH)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port between {_LOW} and {_HIGH} on {host}")
