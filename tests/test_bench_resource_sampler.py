"""The bench's CPU figures per part: a bag's cost and a bare lifecycle's are each part's CPU in the measured
window divided by what was done in it (bench/README.md), so the window must hold that part's CPU and only it."""

import asyncio
import sys

from bench.metrics import ResourceSampler

# Burns 0.3 s of CPU before the window (it must not count), waits for a line on stdin, burns 0.4 s in the window,
# says so, and stays alive to be sampled.
_BURNER = """
import sys, time
def burn(seconds):
    began = time.process_time()
    while time.process_time() - began < seconds:
        pass
burn(0.3)
print("ready", flush=True)
sys.stdin.readline()
burn(0.4)
print("done", flush=True)
time.sleep(60)
"""


async def test_a_window_counts_each_part_cpu_from_its_start_and_divides_it_per_thing_done() -> None:
    pipe = asyncio.subprocess.PIPE
    busy = await asyncio.create_subprocess_exec(sys.executable, "-c", _BURNER, stdin=pipe, stdout=pipe)
    idle = await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(60)")
    try:
        assert busy.stdin is not None and busy.stdout is not None
        assert await busy.stdout.readline() == b"ready\n"
        sampler = ResourceSampler(lambda: {"busy": [busy.pid], "idle": [idle.pid]}, interval=0.1)
        sampler.start()
        busy.stdin.write(b"go\n")
        await busy.stdin.drain()
        assert await busy.stdout.readline() == b"done\n"
        await sampler.stop()

        each = sampler.cpu_ms_each(4)
        assert 95 <= each["busy"] <= 125  # 400 ms of CPU in the window, over 4 things done
        assert each["idle"] <= 5
        assert sampler.cpu_ms_each(0)["busy"] >= 380  # nothing done: the window's whole CPU, not a division by zero
    finally:
        for proc in (busy, idle):
            proc.kill()
            await proc.wait()
