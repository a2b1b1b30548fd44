"""The fortnight bench (bench/fortnight.py) at a tiny size, so that it cannot rot between the runs that measure:
two days of three districts, two institutions and six items, both ways, with its table, JSON and chart."""

import json
from pathlib import Path

import pytest

from bench.fortnight import simulate
from bench.fortnight_report import print_table, write_chart, write_json


def test_two_days_of_a_small_city_run_both_ways_and_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = simulate(days=2, seed=7, institutions=2, districts=3, items=6)
    assert result["size"] | {"households_in_need": 0, "donated_kg": 0} == {
        "districts": 3,
        "wards": result["size"]["wards"],
        "institutions": 2,
        "items": 6,
        "city_warehouses": 2,
        "households_in_need": 0,
        "donated_kg": 0,
    }
    optimiser, baseline = result["optimiser"], result["baseline_2021"]
    assert len(optimiser["round_seconds"]) == 2 and optimiser["round_failures"] == []
    assert baseline["round_seconds"] == []
    for run in (optimiser, baseline):
        assert len(run["coverage_by_day"]) == 2 and run["coverage_by_day"][0] == 0  # day one's goods are on the road
        assert 0 < run["coverage_by_day"][1] <= 1
        assert set(run["district_coverage"]) == {"KHO-Q760", "KHO-Q761", "KHO-Q764"}
    result |= {"machine": {"cpus": 2}, "command": "python -m bench.fortnight --days 2"}
    print_table(result)
    assert "kg spoiled" in capsys.readouterr().out
    written = json.loads(write_json(result, tmp_path, "fortnight").read_text())
    assert written["optimiser"]["coverage_by_day"] == optimiser["coverage_by_day"]
    assert write_chart(result, tmp_path, "fortnight").stat().st_size > 10_000
