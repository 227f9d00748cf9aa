"""The baseline's planner questions and uncertainty
(force_plan/authoring/baseline_whatifs.py) fit it."""
from __future__ import annotations

from force_plan.authoring.baseline_whatifs import SCENARIOS, with_what_ifs
from force_plan.authoring.examples import example
from force_plan.inputs.uncertainty import parse_uncertainty
from force_plan.whatif.check import check_what_ifs
from force_plan.inputs.read import read_workbook
from force_plan.authoring.template import write_workbook


def test_every_baseline_scenario_and_uncertainty_line_is_valid(tmp_path):
    ex = example("baseline")
    path = tmp_path / "baseline.xlsx"
    write_workbook(path, with_what_ifs(ex.content), title=ex.title, notes=ex.notes,
                   illustrative=True)
    lines, warnings, bad = check_what_ifs(path)
    names = list(dict.fromkeys(s[0] for s in SCENARIOS))
    assert len(names) >= 6 and bad == 0 and warnings == []
    assert [f"  scenario '{n}': valid" for n in names] == [
        line.split(" (")[0] for line in lines if line.startswith("  scenario")]
    uncertain = parse_uncertainty(read_workbook(path))
    assert {(u.sheet, u.column) for u in uncertain} == {
        ("Categories", "attrition_rate"), ("Courses", "yield"), ("Periods", "recruits_available"),
        ("Equipment", "loss_rate"), ("Equipment", "availability"),
        ("EquipmentSources", "lead_time_months")}
    assert all(len(u.keys) > 1 for u in uncertain)   # * lines hit every row
