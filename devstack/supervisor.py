"""Waits that end early: when a signal asks the stack to stop, or when one of its children dies."""

import asyncio
import signal

from devstack.processes import Child


class StopRequested(Exception):
    def __init__(self, signal_name: str) -> None:
        super().__init__(f"{signal_name} received")


class Supervisor:
    def __init__(self) -> None:
        self.children: list[Child] = []
        self._stop = asyncio.Event()
        self._signal_name = ""

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self._request_stop, sig.name)

    def _request_stop(self, signal_name: str) -> None:
        self._signal_name = self._signal_name or signal_name
        self._stop.set()

    def watch(self, child: Child) -> Child:
        self.children.append(child)
        return child

    def raise_if_done(self) -> None:
        # A requested stop comes first: a child that exits during it is not a failure.
        if self._stop.is_set():
            raise StopRequested(self._signal_name)
        for child in self.children:
            child.check_alive()

    async def pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            pass
        self.raise_if_done()
