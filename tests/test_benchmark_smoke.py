"""A quick run of benchmarks/run.py at the small size: every measurement is taken and the
figures agree with each other (no figure depends on how fast the machine is)."""
import importlib.util
import json
from pathlib import Path

import pytest

from force_plan.model.build import build
from force_plan.inputs.load import load_inputs

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_small_benchmark_measures_everything(bench, tmp_path, capsys):
    out = tmp_path / "bench.json"
    assert bench.main(["--sizes", "small", "--cbc-sizes", "small", "--work", str(tmp_path),
                       "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    (row,) = json.loads(out.read_text())
    model = build(load_inputs(tmp_path / "small.xlsx"))
    assert (row["variables"], row["constraints"]) == (len(model.columns), model.row_count)
    model.materialize_changes()  # every row a PuLP row, as the floor's MPS export has them

    # the end-to-end run reports every stage, and they add up to no more than its wall time
    e2e = row["e2e"]
    stages = e2e["stages"]
    assert list(stages) == ["read", "validate", "build", "solver setup", "solve level 1",
                            "solve level 2", "solve level 3", "extract", "steady state",
                            "write", "total"]
    assert sum(v for k, v in stages.items() if k != "total") == pytest.approx(
        stages["total"], abs=0.01)
    assert stages["total"] <= e2e["wall"]
    assert 0 < e2e["peak_mb_reported"] <= e2e["peak_mb"] + 1
    assert e2e["summary"]["status"] == "optimal"

    # the floor is the same LP: same size, and its optimum is the plan's level 1
    floor = row["floor"]
    assert floor["status"] == "Optimal"
    assert (floor["columns"], floor["rows"]) == (len(model.columns), len(model.rows))
    assert floor["nonzeros"] == sum(len(con) for con, _ in model.rows)
    assert floor["objective"] == pytest.approx(e2e["summary"]["objectives"]["1"]["value"],
                                               rel=1e-5)
    # the peer: HiGHS's own multi-objective solve of the same levels, same optimum
    assert row["peer"]["status"] == "Optimal"
    for level, o in e2e["summary"]["objectives"].items():
        assert row["peer"]["objectives"][level] == pytest.approx(o["value"], rel=1e-6)
    assert row["cbc"]["status"] == "optimal"
    for level, o in e2e["summary"]["objectives"].items():
        assert row["cbc"]["objectives"][level]["value"] == pytest.approx(o["value"], rel=1e-5)

    # the printed table
    lines = printed.splitlines()
    assert lines[0].startswith("Machine: ") and "CPUs" in lines[0] and "HiGHS" in lines[0]
    assert "| | small |" in lines
    assert f"| variables | {len(model.columns):,} |" in lines
    assert f"| non-zeros | {floor['nonzeros']:,} |" in lines
    assert "| status | optimal |" in lines
    d = bench.derived(row)
    assert f"| all levels ÷ first level | {d['level_ratio']:.2f} |" in lines
    assert any(line.startswith("| CBC end to end (s) | ") for line in lines)
    assert f"| peer ÷ force_plan's levels | {d['peer_ratio']:.2f} |" in lines
    assert "| same objectives as the peer | yes |" in lines
    assert not any(line.startswith("- [") for line in lines)  # targets are for large sizes
    rows = [dict(row, size=size) for size in ("large", "xlarge")]
    assert [t.split(": ")[0] for t in bench.targets(rows)] == [
        f"- [{'x' if d['overhead_share'] <= 0.1 else ' '}] large",
        f"- [{'x' if d['overhead_share'] <= 0.1 else ' '}] xlarge",
        f"- [{'x' if d['level_ratio'] <= 2.5 else ' '}] large",
        f"- [{'x' if d['peer_ratio'] >= 5 else ' '}] large",
        f"- [{'x' if d['level_ratio'] <= 2.5 else ' '}] xlarge",
        f"- [{'x' if d['peer_ratio'] >= 5 else ' '}] xlarge",
        "- [x] doubling large → xlarge", "- [x] doubling large → xlarge",
        f"- [{'x' if e2e['peak_mb'] < 3072 else ' '}] xlarge"]
