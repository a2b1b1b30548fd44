"""The run's JSON result and its chart (throughput over time, latency distributions)."""

import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server or in CI
import matplotlib.pyplot as plt


def write_json(result: dict[str, Any], folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return path


def write_chart(
    folder: Path,
    name: str,
    *,
    completed_per_s: list[int],
    registered_per_s: list[int],
    bare_per_s: list[int],
    latencies_ms: dict[str, list[float]],
    title: str,
) -> Path:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8))
    top.plot(_smooth(registered_per_s), label="registrations/s", alpha=0.7)
    top.plot(_smooth(completed_per_s), label="full lifecycles/s (delivered)", linewidth=2)
    if bare_per_s:
        top.plot(_smooth(bare_per_s), label="bare Temporal ceiling, lifecycles/s", linestyle="--")
    top.set_xlabel("seconds since start (5 s moving average)")
    top.set_ylabel("per second")
    top.legend()
    top.grid(alpha=0.3)
    top.set_title(title)
    for label, values in latencies_ms.items():
        if values:
            ordered = sorted(values)
            share = [(i + 1) / len(ordered) for i in range(len(ordered))]
            bottom.plot(ordered, share, label=label)
    bottom.set_xscale("log")
    bottom.set_xlabel("latency, ms (log)")
    bottom.set_ylabel("share of calls at or below")
    bottom.axhline(0.99, color="grey", linewidth=0.5)
    bottom.legend()
    bottom.grid(alpha=0.3)
    fig.tight_layout()
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path


def _smooth(values: list[int], window: int = 5) -> list[float]:
    out = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        out.append(sum(chunk) / len(chunk))
    return out
