"""Whatever a planner types into any cell, validation answers in words, never a traceback."""
from __future__ import annotations

import datetime
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from force_plan.contract import schema
from force_plan.inputs.typed import Inputs
from force_plan.errors import InputError
from force_plan.inputs.load import load_inputs
from wbhelpers import VALID, put, valid_sheets, write_workbook

WHERE = re.compile(r"^[A-Za-z]+(![A-Z]+\d+)?$")
values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", " ", "ten", "1,000", "RECRUIT", "recruit", "pilot", "2027", "#REF!",
                     "yes", "=1/0", "Home", "shortfall", "12"]),
    st.dates(datetime.date(1990, 1, 1), datetime.date(2100, 1, 1)),
)
cells = st.tuples(st.sampled_from(sorted(VALID)), st.integers(1, 6), st.integers(1, 11))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(cells, values), min_size=1, max_size=3))
def test_any_cell_edit_gives_a_plan_or_located_problems(tmp_path, edits):
    sheets = valid_sheets()
    for (sheet, row, col), value in edits:
        put(sheets, f"{sheet}!{chr(64 + col)}{row}", value)
    path = write_workbook(tmp_path / "fuzz.xlsx", sheets)
    try:
        inputs = load_inputs(path)
    except InputError as err:
        assert err.problems
        for p in err.problems:
            assert WHERE.match(p.where), p
            assert p.where.split("!")[0] in schema.SHEETS_BY_NAME, p
            assert p.what and p.fix, p
    else:
        assert isinstance(inputs, Inputs) and inputs.T >= 1
