"""The Sustainment sheet: the steady state (what holding the last period's requirements
takes, every year, for ever) side by side with the plan's last year.

Columns "sustainable" hold the steady state (flows per year, levels as they stand);
columns "<last year>" hold the plan's last year in the same units (steady_report.py says
how: flows summed over the last 12/m periods, levels at the end of the last period).

Its last block, "Stationary checks", re-derives the steady state's balances from the
sheet's own cells with live formulas (strength balance, targets, instructor pool, seats,
inventory balance, availability, recruits, cost lines, budget, force cap): a reviewer can
click any of them; ``ok`` is TRUE when the relation holds within 10⁻⁶ × the size of its
terms. Formulas hold cell references and numbers only, never text from the input.

Written through the plan writer's ``layout.Sheet``; every formula carries its value.
"""
from __future__ import annotations

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .layout import MONEY, WHOLE, Sheet, print_setup, put, put_formula, widths

from ..model.steady import presence
from ..numbers import whole
from ..results.steady import fmt
from ..results.steady_report import last_year, sustainable_sentence

NUMBER = "#,##0.00"
PERCENT = "0.0%"
#: persons and systems (stocks and flows a year): whole; money: MONEY; an input rate or
#: weight as typed; a share: PERCENT
COUNT = WHOLE
RATE = "0.00##"
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
NOTE = Font(italic=True, color="555555")
HEAD = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="305496")
SECTION = Font(bold=True, size=12, color="305496")
TOLERANCE = 1e-6


def _num(x: float) -> str:
    """A number as a formula literal (exact)."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x).upper()


class _Sheet:
    """Row-by-row writing with every figure's cell remembered by key (on the plan
    writer's write-only ``layout.Sheet``)."""

    def __init__(self, ws: Sheet):
        self.ws, self.row, self.at = ws, 1, {}

    def text(self, col: int, value, font=None, key=None) -> None:
        if key is not None:
            self.at[key] = f"{get_column_letter(col)}{self.row}"
        if value is None or value == "":
            return
        # text from the input is never a formula (put stores text as a string cell)
        put(self.ws, self.row, col, str(value), font=font)

    def number(self, col: int, value, key=None, fmt: str = NUMBER) -> None:
        if value is not None and not isinstance(value, bool):
            put(self.ws, self.row, col, float(value), fmt)
        if key is not None:
            self.at[key] = f"{get_column_letter(col)}{self.row}"

    def formula(self, col: int, text: str, fmt: str | None = NUMBER) -> str:
        put_formula(self.ws, self.row, col, "=" + text, fmt)
        return f"{get_column_letter(col)}{self.row}"

    def header(self, labels) -> None:
        for j, label in enumerate(labels, start=1):
            put(self.ws, self.row, j, label, font=HEAD, fill=HEAD_FILL)
        self.row += 1

    def section(self, title: str) -> None:
        self.row += 1
        self.text(1, title, SECTION)
        self.row += 1

    def column(self, key_kind: str, names, quantity: str) -> str:
        """The range of one quantity over a table's rows (for SUM and SUMPRODUCT)."""
        cells = [self.at[(key_kind, n, quantity)] for n in names]
        return f"{cells[0]}:{cells[-1]}" if cells else ""


def write_sustainment(ws: Sheet, results) -> None:
    steady, inputs = results.steady, results.inputs
    sh = _Sheet(ws)
    end = inputs.period_labels[-1]
    sh.text(1, f"Sustainment — what holding {end}'s requirements takes, every year, for ever",
            TITLE)
    sh.row = 2
    if steady is None or not steady.found:
        head = "The steady state was not solved for this plan." if steady is None else (
            "No steady state: the last period's hard limits cannot all hold for ever. These "
            "input rows conflict (relax one of them):" if steady.conflicts else
            sustainable_sentence(steady))
        sh.text(1, head, BOLD)
        for i, line in enumerate(steady.conflicts if steady is not None else ()):
            sh.row = 3 + i
            sh.text(1, f"- {line}")
        widths(ws, {1: 120})
        print_setup(ws)
        return
    f = steady.figures
    ly = last_year(inputs, results.data)
    label = f"{ly['periods'][0]}–{ly['periods'][-1]}" if len(ly["periods"]) > 1 \
        else ly["periods"][0]
    last = f"last plan year ({label})"
    sh.text(1, sustainable_sentence(steady), BOLD)
    sh.row = 3
    sh.text(1, f"Last plan year ({label}): {whole(ly['recruits_per_year'])} recruits, "
            f"{fmt(ly['cost_per_year'])} {f['cost_unit']}; sustainable: "
            f"{whole(f['recruits_per_year'])} recruits, {fmt(f['cost_per_year'])} "
            f"{f['cost_unit']} a year.", BOLD)
    sh.row = 4
    status = "" if f["status"] == "optimal" else f"{f['status']}; "
    scaled = " (scaled to a year)" if len(ly["periods"]) * inputs.period_months < 12 else ""
    sh.text(1, f"Steady state ({status}{f['solver']}): one representative period of "
            f"{f['period_months']} months in which every stock stays constant, with {end}'s "
            "targets and limits. Flows are per year, levels as they stand. The plan's last "
            f"year ({label}): flows summed over its periods{scaled}, levels at the end of "
            f"{end}.", NOTE)
    headline(sh, f, ly, last)
    categories(sh, inputs, f, ly)
    courses(sh, inputs, results, f, ly)
    materiel(sh, inputs, f, ly)
    sh.section("Binding limits of the steady state (the input cell in brackets)")
    for b in f["binding"] or [{"sentence": "No input limit binds."}]:
        sh.text(1, b["sentence"] + (f" [{b['cell']}]" if b.get("cell") else ""))
        sh.row += 1
    checks(sh, inputs, results, f)
    widths(ws, {1: 44, 2: 16, 3: 16, 4: 16, **{col: 14 for col in range(5, 26)}})
    ws.freeze(5, 2)
    print_setup(ws, title_cols="A:A")


def headline(sh: _Sheet, f: dict, ly: dict, last: str) -> None:
    sh.section("At a glance")
    sh.header(["figure", "sustainable", last, "limit"])
    rows = [("recruits a year", "recruits", f["recruits_per_year"], ly["recruits_per_year"],
             f["recruits_available_per_year"]),
            (f"cost a year ({f['cost_unit']})", "cost", f["cost_per_year"],
             ly["cost_per_year"], f["budget_per_year"])]
    rows += [(f"  {line}", line, v, ly["cost_lines"][line], None)
             for line, v in f["cost_lines"].items()]
    rows += [("trained strength", "strength", f["force"]["strength"],
              sum(c["strength"] for c in ly["categories"].values()), None),
             ("in training", "in_training", f["force"]["in_training"], ly["in_training"],
              None),
             ("persons short of target", "shortfall", f["total_shortfall"],
              sum(c["shortfall"] for c in ly["categories"].values()), None),
             ("systems short of target", "equipment_shortfall", f["total_equipment_shortfall"],
              sum(e["shortfall"] for e in ly["equipment"].values()), None)]
    for text, key, s, lv, limit in rows:
        fmt = MONEY if key == "cost" or key in f["cost_lines"] else COUNT
        sh.text(1, text)
        sh.number(2, s, ("head", key, "s"), fmt)
        sh.number(3, lv, fmt=fmt)
        sh.number(4, limit, ("head", key, "limit"), fmt)
        sh.row += 1
    sh.text(1, "force (trained + in training)")
    sh.number(2, f["force"]["strength"] + f["force"]["in_training"], ("head", "force", "s"),
              COUNT)
    sh.number(3, sum(c["strength"] for c in ly["categories"].values()) + ly["in_training"],
              fmt=COUNT)
    sh.number(4, f["force"]["force_cap"], ("head", "force", "limit"), COUNT)
    sh.row += 1


def categories(sh: _Sheet, inputs, f: dict, ly: dict) -> None:
    sh.section("Categories (persons; flows a year)")
    sh.header(["category", "target", "strength", "strength (last year)", "reserve",
               "instructors", "instructors (last year)", "effective", "effective (last year)",
               "overstrength", "shortfall", "shortfall (last year)", "readiness",
               "readiness (last year)", "separations a year", "separations (last year)",
               "attrition a year", "graduates in a year", "conversions out a year",
               "attrition_rate", "reserve_weight", "cost_per_person_year", "reserve_cost",
               "overstrength_cost", "separation_cost"])
    for c in inputs.categories:
        s, lv = f["categories"][c.name], ly["categories"][c.name]
        key = ("cat", c.name)
        sh.text(1, c.name, key=key + ("name",))
        values = [s["target"], s["strength"], lv["strength"], s["reserve"], s["instructors"],
                  lv["instructors"], s["effective"], lv["effective"], s["overstrength"],
                  s["shortfall"], lv["shortfall"], s["readiness"], lv["readiness"],
                  s["separations_per_year"], lv["separations_per_year"],
                  s["attrition_per_year"], s["graduates_per_year"],
                  s["conversions_out_per_year"], c.attrition_rate, c.reserve_weight,
                  c.cost_per_person_year, c.reserve_cost, c.overstrength_cost,
                  c.separation_cost]
        names = ["target", "strength", "", "reserve", "instructors", "", "effective", "",
                 "overstrength", "shortfall", "", "readiness", "", "separations", "", "", "",
                 "", "attrition_rate", "reserve_weight", "cpy", "reserve_cost",
                 "overstrength_cost", "separation_cost"]
        for j, (v, name) in enumerate(zip(values, names), start=2):
            fmt = (PERCENT if j in (13, 14) else COUNT if j < 20 else RATE if j < 22
                   else MONEY)
            sh.number(j, v, key + (name,) if name else None, fmt)
        sh.row += 1


def courses(sh: _Sheet, inputs, results, f: dict, ly: dict) -> None:
    sh.section("Courses (starts and graduates a year)")
    sh.header(["course", "from", "to", "starts a year", "starts (last year)",
               "graduates a year", "graduates (last year)", "in training",
               "instructors drawn", "duration_months", "yield", "lag (periods)",
               "presence (d/m)", "trainees_per_instructor"])
    m = inputs.period_months
    model_lag = {k.name: lag for k, lag in zip(inputs.courses, _lags(inputs))}
    for k in inputs.courses:
        s, lv = f["courses"][k.name], ly["courses"][k.name]
        key = ("course", k.name)
        sh.text(1, k.name)
        sh.text(2, k.from_category or "RECRUIT", key=key + ("from",))
        sh.text(3, k.to_category)
        for j, (v, name) in enumerate([
                (s["starts_per_year"], "starts"), (lv["starts_per_year"], ""),
                (s["graduates_per_year"], "graduates"), (lv["graduates_per_year"], ""),
                (s["in_training"], "in_training"), (s["instructors"], ""),
                (k.duration_months, ""), (k.yield_, "yield"), (model_lag[k.name], "lag"),
                (presence(k.duration_months, m), "presence"),
                (k.trainees_per_instructor, "tpi")], start=4):
            fmt = COUNT if j < 10 else RATE if j in (11, 13) else WHOLE if j == 12 else None
            sh.number(j, v, key + (name,) if name else None, fmt)
        sh.row += 1
    sh.section("Courses by site (starts a year)")
    sh.header(["course", "site", "starts a year", "starts (last year)", "cost_per_start",
               "own_instructors", "presence (d/m)", "instructor pool",
               "instructors per starter"])
    for r in _routes(results):
        course = inputs.courses[r.course]
        site = inputs.sites[r.site] if r.site is not None else None
        name = site.name if site is not None else ""
        s = f["courses"][course.name]["sites"].get(name, f["courses"][course.name]
                                                    ["starts_per_year"])
        lv = ly["courses"][course.name]["sites"].get(
            name, ly["courses"][course.name]["starts_per_year"])
        key = ("route", r.index)
        own = site is not None and site.own_instructors
        pool = course.instructor_category if course.trainees_per_instructor and not own \
            and course.duration_months > 0 else ""
        sh.text(1, course.name)
        sh.text(2, name, key=key + ("site",))
        sh.number(3, s, key + ("starts",), COUNT)
        sh.number(4, lv, fmt=COUNT)
        sh.number(5, r.cost_per_start, key + ("cost",), MONEY)
        sh.text(6, "yes" if own else "no")
        sh.number(7, presence(course.duration_months, m), key + ("presence",), RATE)
        sh.text(8, pool, key=key + ("pool",))
        if pool:  # presence ÷ the course's trainees_per_instructor cell
            sh.at[key + ("per_starter",)] = sh.formula(
                9, f"G{sh.row}/{sh.at[('course', course.name, 'tpi')]}", "0.0000")
        else:
            sh.number(9, 0.0, key + ("per_starter",))
        sh.row += 1
    if inputs.sites:
        sh.section("Sites (seats: average trainees present)")
        sh.header(["site", "seats", "seats used", "seats used (last year)",
                   f"available in {f['period']}"])
        for site in inputs.sites:
            s = f["sites"][site.name]
            sh.text(1, site.name, key=("site", site.name, "name"))
            sh.number(2, s["seats"], ("site", site.name, "seats"), COUNT)
            sh.number(3, s["seats_used"], ("site", site.name, "used"), COUNT)
            sh.number(4, ly["sites"][site.name]["seats_used"], fmt=COUNT)
            sh.text(5, "yes" if s["available"] else "no")
            sh.row += 1


def materiel(sh: _Sheet, inputs, f: dict, ly: dict) -> None:
    if inputs.equipment:
        sh.section("Equipment (systems; flows a year)")
        sh.header(["equipment", "target", "inventory", "inventory (last year)", "operational",
                   "operational (last year)", "shortfall", "shortfall (last year)",
                   "readiness", "readiness (last year)", "orders a year", "losses a year",
                   "loss_rate", "availability", "sustainment_cost_per_year"])
        for e in inputs.equipment:
            s, lv = f["equipment"][e.name], ly["equipment"][e.name]
            key = ("eq", e.name)
            sh.text(1, e.name)
            for j, (v, name) in enumerate([
                    (s["target"], "target"), (s["inventory"], "inventory"),
                    (lv["inventory"], ""), (s["operational"], "operational"),
                    (lv["operational"], ""), (s["shortfall"], "shortfall"),
                    (lv["shortfall"], ""), (s["readiness"], ""), (lv["readiness"], ""),
                    (s["orders_per_year"], ""), (s["losses_per_year"], ""),
                    (e.loss_rate, "loss_rate"), (e.availability, "availability"),
                    (e.sustainment_cost_per_year, "scost")], start=2):
                sh.number(j, v, key + (name,) if name else None,
                          PERCENT if j in (9, 10) else RATE if j in (13, 14)
                          else MONEY if j == 15 else COUNT)
            sh.row += 1
    if inputs.sources:
        sh.section("Orders a year by source")
        sh.header(["source", "equipment", "orders a year", "orders (last year)", "unit_cost",
                   "takes part"])
        for j, src in enumerate(inputs.sources):
            name = f"{src.source} @ {src.equipment}"
            s = f["sources"][name]
            sh.text(1, src.source)
            sh.text(2, src.equipment)
            sh.number(3, s["orders_per_year"], ("src", j, "orders"), COUNT)
            sh.number(4, ly["sources"][name]["orders_per_year"], fmt=COUNT)
            sh.number(5, src.unit_cost, ("src", j, "cost"), MONEY)
            sh.text(6, "yes" if s["takes_part"] else f"no: {s['why_not']}")
            sh.row += 1


def _routes(results) -> list:
    from ..model.sets import derive

    return derive(results.inputs).routes


def _lags(inputs) -> list:
    from ..model.timing import lag

    return [lag(k.duration_months, inputs.period_months) for k in inputs.courses]


# ---------------------------------------------------------------------- checks
class _Checks:
    def __init__(self, sh: _Sheet, f: dict):
        self.sh, self.f, self.count = sh, f, 0
        self.first = None

    def add(self, what: str, item: str, left: str, relation: str, right: str,
            size: float) -> None:
        """One check: ``left relation right`` (formulas); size: Σ |terms| as solved."""
        sh = self.sh
        if self.first is None:
            self.first = sh.row
        sh.text(1, what)
        sh.text(2, item)
        lc = sh.formula(3, left)
        sh.text(4, relation)
        rc = sh.formula(5, right)
        sh.number(6, TOLERANCE * max(1.0, abs(size)), fmt="0.00E+00")
        tol = f"F{sh.row}"
        test = {"=": f"ABS({lc}-{rc})<={tol}", "≤": f"{lc}<={rc}+{tol}",
                "≥": f"{lc}>={rc}-{tol}"}[relation]
        sh.formula(7, test, None)
        sh.row += 1
        self.count += 1


def checks(sh: _Sheet, inputs, results, f: dict) -> None:
    sh.section("Stationary checks: the steady state re-derived from this sheet's cells")
    verdict_row = sh.row
    sh.row += 1
    sh.header(["check", "item", "left", "relation", "right", "tolerance", "ok"])
    cl = _Checks(sh, f)
    m = inputs.period_months
    per = _num(m / 12)
    at = sh.at
    cats = f["categories"]
    # ---- personnel
    for c in inputs.categories:
        key, s = ("cat", c.name), cats[c.name]
        terms = []
        for k in inputs.courses:
            if k.to_category == c.name:
                terms.append(f"+{at[('course', k.name, 'yield')]}*"
                             f"{at[('course', k.name, 'starts')]}")
            if k.from_category == c.name:
                terms.append(f"-{at[('course', k.name, 'starts')]}")
        terms.append(f"-{at[key + ('separations',)]}")
        size = s["attrition_per_year"] + s["graduates_per_year"] + \
            s["conversions_out_per_year"] + s["separations_per_year"]
        cl.add("strength balance: a·strength = graduates in − conversions out − separations "
               "(per period)", c.name,
               f"(1-(1-{at[key + ('attrition_rate',)]})^({m}/12))*{at[key + ('strength',)]}",
               "=", f"({''.join(terms)})*{per}", size)
        cl.add("effective = strength − (1 − reserve_weight)·reserve − instructors", c.name,
               at[key + ("effective",)], "=",
               f"{at[key + ('strength',)]}-(1-{at[key + ('reserve_weight',)]})*"
               f"{at[key + ('reserve',)]}-{at[key + ('instructors',)]}", s["strength"])
        cl.add("reserve + instructors ≤ strength", c.name,
               f"{at[key + ('reserve',)]}+{at[key + ('instructors',)]}", "≤",
               at[key + ("strength",)], s["strength"])
        if s["target"] is not None:
            cl.add("effective − overstrength + shortfall = target", c.name,
                   f"{at[key + ('effective',)]}-{at[key + ('overstrength',)]}+"
                   f"{at[key + ('shortfall',)]}", "=", at[key + ("target",)], s["target"])
    routes = _routes(results)
    ids = [r.index for r in routes]

    def rcol(q):
        return sh.column("route", ids, q)

    for c in inputs.categories:
        if any(inputs.courses[r.course].instructor_category == c.name for r in routes):
            cl.add("instructors = Σ starts · instructors per starter, over the routes of its "
                   "pool (per period)", c.name, at[("cat", c.name, "instructors")], "=",
                   f"SUMPRODUCT(({rcol('pool')}={at[('cat', c.name, 'name')]})*"
                   f"{rcol('starts')}*{rcol('per_starter')})*{per}",
                   cats[c.name]["instructors"])
    for index, k in enumerate(inputs.courses):
        key, s = ("course", k.name), f["courses"][k.name]
        mine = [r for r in routes if r.course == index]
        cl.add("starts = Σ starts by site", k.name, at[key + ("starts",)], "=",
               "+".join(at[("route", r.index, "starts")] for r in mine) or "0",
               s["starts_per_year"])
        cl.add("graduates = yield · starts", k.name, at[key + ("graduates",)], "=",
               f"{at[key + ('yield',)]}*{at[key + ('starts',)]}", s["starts_per_year"])
        cl.add("in training = lag · starts (per period)", k.name, at[key + ("in_training",)],
               "=", f"{at[key + ('lag',)]}*{at[key + ('starts',)]}*{per}", s["in_training"])
    for site in inputs.sites or ():
        used = f["sites"][site.name]["seats_used"]
        cl.add("seats used = Σ starts · presence over the site's routes (per period)",
               site.name, at[("site", site.name, "used")], "=",
               f"SUMPRODUCT(({rcol('site')}={at[('site', site.name, 'name')]})*"
               f"{rcol('starts')}*{rcol('presence')})*{per}", used)
        if site.seats is not None:
            cl.add("seats used ≤ seats", site.name, at[("site", site.name, "used")], "≤",
                   at[("site", site.name, "seats")], used)
    courses = [k.name for k in inputs.courses]
    cl.add("recruits = Σ starts of courses from RECRUIT", "", at[("head", "recruits", "s")],
           "=", f'SUMPRODUCT(({sh.column("course", courses, "from")}="RECRUIT")*'
           f'{sh.column("course", courses, "starts")})', f["recruits_per_year"])
    if f["recruits_available_per_year"] is not None:
        cl.add("recruits ≤ recruits available", "", at[("head", "recruits", "s")], "≤",
               at[("head", "recruits", "limit")], f["recruits_per_year"])
    # ---- equipment
    for e in inputs.equipment:
        key, s = ("eq", e.name), f["equipment"][e.name]
        orders = [f"+{at[('src', j, 'orders')]}" for j, src in enumerate(inputs.sources)
                  if src.equipment == e.name]
        cl.add("inventory balance: l·inventory = Σ orders (per period)", e.name,
               f"(1-(1-{at[key + ('loss_rate',)]})^({m}/12))*{at[key + ('inventory',)]}",
               "=", f"({''.join(orders) or '0'})*{per}", s["inventory"])
        cl.add("operational ≤ availability · inventory", e.name, at[key + ("operational",)],
               "≤", f"{at[key + ('availability',)]}*{at[key + ('inventory',)]}", s["inventory"])
        if s["target"] is not None:
            cl.add("operational + shortfall ≥ target", e.name,
                   f"{at[key + ('operational',)]}+{at[key + ('shortfall',)]}", "≥",
                   at[key + ("target",)], s["target"])
    # ---- money (a year) and the force
    names = [c.name for c in inputs.categories]

    def col(kind, items, q):
        return sh.column(kind, items, q)

    def sp(a, b):
        return f"SUMPRODUCT({a},{b})" if a else "0"

    lines = {
        "training": sp(col("route", [r.index for r in routes], "starts"),
                       col("route", [r.index for r in routes], "cost")),
        "personnel": "+".join([sp(col("cat", names, "strength"), col("cat", names, "cpy")),
                               sp(col("cat", names, "reserve"),
                                  col("cat", names, "reserve_cost")),
                               sp(col("cat", names, "overstrength"),
                                  col("cat", names, "overstrength_cost"))]),
        "separations": sp(col("cat", names, "separations"),
                          col("cat", names, "separation_cost")),
        "procurement": sp(col("src", range(len(inputs.sources)), "orders"),
                          col("src", range(len(inputs.sources)), "cost")),
        "sustainment": sp(col("eq", [e.name for e in inputs.equipment], "inventory"),
                          col("eq", [e.name for e in inputs.equipment], "scost")),
    }
    for line, text in lines.items():
        cl.add(f"cost a year: {line}", "", at[("head", line, "s")], "=", text,
               f["cost_lines"][line])
    cl.add("cost a year = Σ lines", "", at[("head", "cost", "s")], "=",
           "+".join(at[("head", line, "s")] for line in lines), f["cost_per_year"])
    if f["budget_per_year"] is not None:
        cl.add("cost ≤ budget (a year)", "", at[("head", "cost", "s")], "≤",
               at[("head", "cost", "limit")], f["cost_per_year"])
    force = f"SUM({col('cat', names, 'strength')})+" + sp(
        col("course", [k.name for k in inputs.courses], "lag"),
        col("course", [k.name for k in inputs.courses], "starts")) + f"*{per}"
    cl.add("force = Σ strength + Σ lag · starts (per period)", "", at[("head", "force", "s")],
           "=", force, f["force"]["strength"] + f["force"]["in_training"])
    if f["force"]["force_cap"] is not None:
        cl.add("force ≤ force cap", "", at[("head", "force", "s")], "≤",
               at[("head", "force", "limit")], f["force"]["strength"])
    first, last = cl.first, sh.row - 1
    sh.row = verdict_row
    sh.text(1, "checks holding (of " + str(cl.count) + ")", BOLD)
    sh.formula(2, f'COUNTIF(G{first}:G{last},TRUE)', "0")
    sh.row = last + 1
