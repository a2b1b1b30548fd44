"""Child processes that are stopped as a whole: SIGTERM to their process group, SIGKILL after a grace period."""

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from devstack.console import say


def _die_with_parent() -> Callable[[], object] | None:
    """Linux: the child gets SIGTERM if this process is killed outright (SIGKILL), so nothing is orphaned.

    Bound before forking so the child only makes one C call between fork and exec.
    """
    if not sys.platform.startswith("linux"):
        return None
    pr_set_pdeathsig = 1
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return partial(libc.prctl, pr_set_pdeathsig, int(signal.SIGTERM))


_PREEXEC = _die_with_parent()


class ChildDied(RuntimeError):
    def __init__(self, name: str, code: int) -> None:
        super().__init__(f"{name} exited unexpectedly with code {code}")
        self.name = name
        self.code = code


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path | None = None

    @classmethod
    def start(cls, name: str, argv: list[str], *, env: dict[str, str], cwd: Path, log: Path | None = None) -> "Child":
        # Its own process group: a Ctrl-C in the terminal reaches only the stack, which then stops the
        # children in order instead of all of them at once.
        output: IO[bytes] | None = open(log, "ab") if log else None
        try:
            process = subprocess.Popen(
                argv,
                env=env,
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
                process_group=0,
                preexec_fn=_PREEXEC,
            )
        finally:
            if output:
                output.close()
        return cls(name, process, log)

    def check_alive(self) -> None:
        code = self.process.poll()
        if code is not None:
            raise ChildDied(self.name, code)

    def stop(self, grace_seconds: float) -> None:
        if self.process.poll() is None:
            say(f"stopping {self.name}")
            self._signal_group(signal.SIGTERM)
            try:
                self.process.wait(grace_seconds)
            except subprocess.TimeoutExpired:
                say(f"{self.name} did not stop within {grace_seconds:.0f}s, killing it")
        # Whatever is left in the group (the leader or its helpers) is killed, so nothing outlives the stack.
        self._signal_group(signal.SIGKILL)
        self.process.wait()

    def _signal_group(self, sig: signal.Signals) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def log_tail(self, lines: int = 20) -> str:
        if not self.log or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
