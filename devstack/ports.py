"""A free TCP port on this machine, for a server started next (bench runs, tests: several stacks side by side)."""

import socket


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
