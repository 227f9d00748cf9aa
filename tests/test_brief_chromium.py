"""The brief in headless Chromium (Debian's chromium; skipped where absent): it renders
without console messages or network requests, prints to at most two A4 pages, its
headings, tables and charts are marked up for assistive technology, and in a screenshot
of each section no text runs out of its box."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

import chromium
from brief_plans import budget_plans  # noqa: F401 - a fixture
from force_plan.cli import main

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(chromium.binary() is None, reason="Chromium is not installed")]

#: the printable width of A4 with the brief's margins (210 − 2 × 12 mm) in CSS pixels
PRINT_WIDTH = round((210 - 24) / 25.4 * 96)

#: per section: elements whose content is wider than their box, or that stick out of it
OVERFLOW = """
[...document.querySelectorAll('section')].map(s => {
  const box = s.getBoundingClientRect();
  const bad = [...s.querySelectorAll('*')].filter(e => {
    if (e.closest('svg') && e.tagName.toLowerCase() !== 'svg') return false;
    const r = e.getBoundingClientRect();
    return e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
        || r.right > box.right + 1 || r.left < box.left - 1;
  }).map(e => e.tagName + ': ' + (e.textContent || '').slice(0, 40));
  return {id: s.id, x: box.left, y: box.top + window.scrollY, width: box.width,
          height: box.height, bad: bad};
})
"""

MARKUP = """
({h1: document.querySelectorAll('h1').length,
  lang: document.documentElement.lang,
  sections: [...document.querySelectorAll('section')].map(s => {
    const h = document.getElementById(s.getAttribute('aria-labelledby') || '');
    return h ? h.tagName : null; }),
  tables: [...document.querySelectorAll('table')].map(t =>
    !!t.querySelector('caption') && t.querySelectorAll('thead th[scope=col]').length ===
      t.querySelectorAll('thead th').length && t.querySelectorAll('thead th').length > 0 &&
    [...t.querySelectorAll('tbody tr')].every(r => r.firstElementChild.tagName === 'TH' &&
      r.firstElementChild.getAttribute('scope') === 'row')),
  charts: [...document.querySelectorAll('svg')].map(s =>
    s.getAttribute('role') === 'img' && !!s.querySelector('title') &&
    !!s.getAttribute('aria-label')),
  scripts: document.querySelectorAll('script').length,
  links: [...document.querySelectorAll('[src],[href]')].length})
"""


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture(scope="module")
def briefs(budget_plans, tmp_path_factory):  # noqa: F811
    d, base, cut, _ = budget_plans
    out = tmp_path_factory.mktemp("html")
    runner = CliRunner()
    made = {}
    for name, args in (("baseline", [str(base)]),
                       ("budget-cut", [str(cut), "--against", str(base)])):
        made[name] = out / f"{name}.html"
        r = runner.invoke(main, ["brief", *args, "-o", str(made[name])])
        assert r.exit_code == 0, r.output
    return made


@pytest.fixture(scope="module")
def browser():
    b = chromium.Browser()
    yield b
    b.close()


@pytest.mark.parametrize("name", ["baseline", "budget-cut"])
def test_brief_renders_offline_and_prints_on_two_pages(briefs, browser, name, tmp_path):
    browser.load(briefs[name].as_uri())
    assert browser.requests() == [briefs[name].as_uri()]  # nothing fetched but the page
    assert browser.console() == []
    pdf = browser.pdf()
    assert pdf.startswith(b"%PDF")
    assert 1 <= pages(pdf) <= 2, f"{name}: {pages(pdf)} pages"
    if shutil.which("pdfinfo"):
        import subprocess

        (tmp_path / "b.pdf").write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(tmp_path / "b.pdf")], capture_output=True,
                              text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) == pages(pdf)
        assert "(A4)" in re.search(r"Page size:.*", info).group(0)


@pytest.mark.parametrize("name", ["baseline", "budget-cut"])
def test_brief_markup_is_accessible(briefs, browser, name):
    browser.load(briefs[name].as_uri())
    m = browser.evaluate(MARKUP)
    want = 5 if name == "budget-cut" else 4
    assert m["h1"] == 1 and m["lang"] == "en"
    assert m["sections"] == ["H2"] * want
    assert m["tables"] and all(m["tables"])
    assert m["charts"] and all(m["charts"])
    assert m["scripts"] == 0 and m["links"] == 0


@pytest.mark.parametrize("name", ["baseline", "budget-cut"])
def test_no_text_overflows_its_box_at_print_width(briefs, browser, name):
    browser.call("Emulation.setEmulatedMedia", {"media": "print"})
    browser.call("Emulation.setDeviceMetricsOverride", {
        "width": PRINT_WIDTH, "height": 1100, "deviceScaleFactor": 1, "mobile": False})
    try:
        browser.load(briefs[name].as_uri())
        sections = browser.evaluate(OVERFLOW)
        assert [s["id"] for s in sections][:4] == ["headline", "strength", "limits",
                                                   "partners"]
        for s in sections:
            assert s["bad"] == [], f"{name} {s['id']}: {s['bad']}"
            assert s["width"] <= PRINT_WIDTH
            png = browser.screenshot({"x": s["x"], "y": s["y"], "width": s["width"],
                                      "height": s["height"]})
            assert png.startswith(b"\x89PNG")
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert (width, height) == (round(s["width"]), round(s["height"])) or \
                abs(width - s["width"]) <= 1 and abs(height - s["height"]) <= 1
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
        browser.call("Emulation.setEmulatedMedia", {"media": ""})
