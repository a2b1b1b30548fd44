"""The fortnight bench's table, JSON and chart: the optimiser and 2021's way side by side."""

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server or in CI
import matplotlib.pyplot as plt

from bench.report import write_json

__all__ = ["print_table", "rows", "write_chart", "write_json"]

RUNS = (("optimiser", "optimiser"), ("baseline_2021", "2021 push"))


def rows(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(measure, optimiser, 2021) for the table in the docs and on the terminal."""
    opt, base = result["optimiser"], result["baseline_2021"]

    def pair(key: str, fmt: str) -> tuple[str, str]:
        return _cell(opt[key], fmt), _cell(base[key], fmt)

    return [
        ("kg spoiled", *pair("spoiled_kg", ",.0f")),
        ("unmet household-days", *pair("unmet_household_days", ",d")),
        ("city coverage (household-days met)", *pair("city_coverage", ".1%")),
        ("worst district's coverage", *pair("worst_district_coverage", ".1%")),
        ("worst institution's coverage", *pair("worst_institution_coverage", ".1%")),
        ("median days, receipt → household", *pair("median_days_receipt_to_household", ".0f")),
        (
            "solver time per round (median / max)",
            f"{result['round_seconds_median']:.2f} s / {result['round_seconds_max']:.2f} s",
            "—",
        ),
    ]


def _cell(value: float | None, fmt: str) -> str:
    return "—" if value is None else format(value, fmt)


def print_table(result: dict[str, Any]) -> None:
    size = result["size"]
    print(
        f"{result['days']} days, seed {result['seed']}: {size['districts']} districts ({size['wards']} wards), "
        f"{size['institutions']} institutions, {size['items']} items, {size['households_in_need']:,} households in need"
    )
    table = rows(result)
    width = max(len(r[0]) for r in table)
    print(f"{'':{width}}  {'optimiser':>16}  {'2021 push':>16}")
    for measure, optimiser, baseline in table:
        print(f"{measure:{width}}  {optimiser:>16}  {baseline:>16}")
    spoiled = (result["optimiser"]["spoiled_kg"], result["baseline_2021"]["spoiled_kg"])
    if spoiled[1]:
        print(f"spoilage {1 - spoiled[0] / spoiled[1]:.1%} lower than 2021's way (target ≥ 90 %)")
    for failure in result["optimiser"]["round_failures"]:
        print(f"round failed: {failure}")


def write_chart(result: dict[str, Any], folder: Path, name: str) -> Path:
    fig, ((spoiled, coverage), (districts, seconds)) = plt.subplots(2, 2, figsize=(12, 8))
    days = range(result["days"])
    for key, label in RUNS:
        run = result[key]
        spoiled.plot(days, run["spoiled_kg_by_day"], marker="o", label=label)
        coverage.plot(days, run["coverage_by_day"], marker="o", label=label)
    spoiled.set_title("kg spoiled per day")
    coverage.set_title("city coverage per day (household-days met)")
    codes = sorted(result["optimiser"]["district_coverage"])
    width = 0.4
    for offset, (key, label) in enumerate(RUNS):
        values = [result[key]["district_coverage"][code] for code in codes]
        districts.bar([i + offset * width for i in range(len(codes))], values, width, label=label)
    districts.set_xticks([i + width / 2 for i in range(len(codes))], [c.removeprefix("KHO-Q") for c in codes])
    districts.tick_params(axis="x", labelrotation=90, labelsize=7)
    districts.set_title("coverage over the fortnight, by district")
    seconds.bar(days, result["optimiser"]["round_seconds"])
    seconds.axhline(5, color="grey", linestyle="--", linewidth=0.8, label="target 5 s")
    seconds.set_title("solver time per round, s")
    for ax in (spoiled, coverage, districts, seconds):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"{result['command']} — {result['machine']['cpus']} CPUs")
    fig.tight_layout()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return path
