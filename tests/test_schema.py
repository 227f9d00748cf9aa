"""force_plan/contract/schema.py agrees with the workbook contract text (WORKBOOK.md).

The contract is parsed from its own markdown: each ``### Sheet (required|optional…)``
section gives a sheet, its columns come from the section's table (first column) or from
its inline list of backticked names, and each table's default column is compared with the
schema's default or blank meaning. The project keeps a copy in docs/WORKBOOK.md; where the
shared design folder is beside the repository, the copy must equal it.
"""
import re
from pathlib import Path

import pytest

from force_plan.contract import schema

ROOT = Path(__file__).resolve().parent.parent
COPY = ROOT / "docs" / "WORKBOOK.md"
SHARED = ROOT.parent / "shared" / "design" / "WORKBOOK.md"


def contract_text() -> str:
    return COPY.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["WORKBOOK.md", "MODEL.md"])
def test_copy_matches_the_shared_design(name):
    shared = SHARED.parent / name
    if not shared.exists():
        pytest.skip("the shared design folder is not beside this checkout")
    assert (COPY.parent / name).read_text(encoding="utf-8") == \
        shared.read_text(encoding="utf-8")


def sections(text: str) -> dict:
    """{sheet name: (heading, body)} of every ``### Name (…)`` section."""
    out = {}
    parts = re.split(r"^### ", text, flags=re.M)[1:]
    for part in parts:
        heading, _, body = part.partition("\n")
        body = body.split("\n## ")[0]
        name = heading.split()[0]
        out[name] = (heading, body)
    return out


def table_rows(body: str) -> list:
    rows = []
    for line in body.splitlines():
        if line.startswith("|") and not re.match(r"^\|\s*-", line):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells)
    return rows[1:]  # drop the header row


def inline_columns(body: str) -> list:
    """Backticked names of the first sentence (before any bullet list), outside
    parentheses."""
    para = body.strip().split("\n\n")[0].split("\n- ")[0].replace("\n", " ")
    flat = re.sub(r"\([^()]*\)", "", para)
    first = re.split(r"\.\s+(?=[A-Z])", flat)[0]
    return re.findall(r"`([a-z_]+)`", first)


def unquote(s: str) -> str:
    return s.replace("`", "").strip()


def expected_sheets():
    return sections(contract_text())


def test_every_contract_sheet_is_in_the_schema_and_no_other():
    secs = expected_sheets()
    assert list(secs) == [s.name for s in schema.SHEETS]
    for name, (heading, _) in secs.items():
        sheet = schema.sheet(name)
        assert sheet.required == ("(required" in heading), name
        assert (sheet.layout == "wide") == (", wide)" in heading), name


@pytest.mark.parametrize("name", [s.name for s in schema.SHEETS if s.name != "Settings"])
def test_columns_match(name):
    heading, body = expected_sheets()[name]
    sheet = schema.sheet(name)
    if sheet.layout == "wide":
        key = re.search(r"— `([a-z_]+)` then one column per period label", heading).group(1)
        assert sheet.column_names == (key,)
        return
    rows = table_rows(body)
    columns = [unquote(r[0]) for r in rows] if rows else inline_columns(body)
    assert list(sheet.column_names) == columns


def _default_matches(spec, text: str) -> bool:
    text = unquote(text)
    blank = spec.blank
    if text == "required":
        return blank == "required"
    if text.startswith("required with "):
        return getattr(spec, "requires", None) == text.split()[-1] and blank == "none"
    if text in ("no limit", "no cap"):
        return blank == "no limit"
    if text == "none":
        return blank in ("none", "no limit") and spec.default is None
    if text == "":
        return spec.default is None
    try:
        return float(text) == float(spec.default)
    except (TypeError, ValueError):
        return str(spec.default) == text


@pytest.mark.parametrize("name", ["Categories", "Courses", "Equipment"])
def test_table_defaults_match(name):
    _, body = expected_sheets()[name]
    sheet = schema.sheet(name)
    for col, _meaning, default in table_rows(body):
        spec = sheet.column(unquote(col))
        assert _default_matches(spec, default), (name, col, default, spec.default, spec.blank)


def test_inline_defaults_match():
    """EquipmentSources states `unit_cost` (0), `lead_time_months` (0) and blank = no limit
    for the two limits."""
    s = schema.sheet("EquipmentSources")
    assert s.column("unit_cost").default == 0 and s.column("lead_time_months").default == 0
    assert s.column("max_per_period").blank == s.column("total_available").blank == "no limit"
    o = schema.sheet("Objectives")
    assert o.column("weight").default == 1
    assert schema.sheet("Periods").column("budget").blank == "no limit"


def test_settings_match():
    _, body = expected_sheets()["Settings"]
    rows = table_rows(body)
    assert [unquote(r[0]) for r in rows] == [s.key for s in schema.SETTINGS]
    for key, _meaning, default in rows:
        spec = schema.SETTINGS_BY_KEY[unquote(key)]
        assert _default_matches(spec, default), (key, default, spec.default, spec.blank)
    assert schema.sheet("Settings").column_names == ("setting", "value")


def test_choices_match():
    text = contract_text()
    terms = re.search(r"Terms: (.*?)\.\n", text, re.S).group(1)
    assert tuple(re.findall(r"`([a-z_]+)`", terms)) == schema.OBJECTIVE_TERMS
    assert "1, 3, 6 or 12" in text and schema.PERIOD_MONTHS_CHOICES == (1, 3, 6, 12)
    assert "`highs` or `cbc`" in text
    assert schema.SETTINGS_BY_KEY["solver"].choices == ("highs", "cbc")
    assert "`RECRUIT` is a reserved word" in text and schema.RECRUIT == "RECRUIT"


def test_output_contract_matches():
    text = contract_text()
    out = text.split("## The output workbook")[1]
    sheets = re.search(r"Sheets: (.*?)\.\n", out, re.S).group(1)
    assert tuple(re.findall(r"`([A-Za-z]+)`", sheets)) == schema.OUTPUT_SHEETS
    keys = re.search(r"Keys at\s+least: (.*?)\.\n", out, re.S).group(1)
    listed = [k for k in re.findall(r"`([a-z_<>0-9]+)`", keys) if "<" not in k]
    assert tuple(listed) == schema.SUMMARY_KEYS
    data = re.search(r"`Data` is one tidy table: (.*?), where", out, re.S).group(1)
    assert tuple(re.findall(r"`([a-z_]+)`", data)) == schema.DATA_COLUMNS
    quantities = re.search(r"quantity is one of (.*?); `item`", out, re.S).group(1)
    assert tuple(re.findall(r"`([a-z_]+)`", quantities)) == schema.DATA_QUANTITIES
