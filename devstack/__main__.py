"""`python -m devstack [--check] [--data-dir DIR] [--api-port N] ...`: the whole system on this machine."""

import asyncio
import sys

from devstack import options, stack


def main() -> int:
    return asyncio.run(stack.run(options.parse()))


if __name__ == "__main__":
    sys.exit(main())
