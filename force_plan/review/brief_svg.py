"""Inline SVG charts for the brief: plain markup, no script, no external resource."""
from __future__ import annotations

from html import escape

#: chart colours (print well in greyscale too: the bars differ in lightness)
STRENGTH, READINESS, LINE, LIMIT = "#1f4e79", "#8fb4d9", "#1f4e79", "#c00000"


def share_bars(rows: list, title: str) -> str:
    """Horizontal bars of per cent of target, two per row: [(label, strength %, readiness
    %)], None for a share that does not apply. A line marks 100 %."""
    rows = rows[:16]
    bar, gap, left, width = 8, 5, 118, 150
    top = max(0.0, *(x for _, a, b in rows for x in (a, b) if x is not None), 1.0)
    scale = width / max(1.0, min(top, 1.5))
    height = 18 + len(rows) * (2 * bar + gap)
    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {left + width + 40} '
           f'{height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
           f"<title>{escape(title)}</title>"]
    for i, (label, a, b) in enumerate(rows):
        y = 14 + i * (2 * bar + gap)
        text = escape(label if len(label) <= 22 else label[:21] + "…")
        out.append(f'<text x="{left - 4}" y="{y + bar + 3}" text-anchor="end" '
                   f'font-size="9">{text}</text>')
        for j, (share, colour) in enumerate(((a, STRENGTH), (b, READINESS))):
            if share is None:
                continue
            w = min(share, 1.5) * scale
            out.append(f'<rect x="{left}" y="{y + j * bar}" width="{w:.1f}" height="{bar - 1}" '
                       f'fill="{colour}"/>')
            if share < 0.995:  # label the gaps only: 100 % needs no words
                out.append(f'<text x="{left + w + 2:.1f}" y="{y + j * bar + bar - 1.5}" '
                           f'font-size="8">{share:.0%}</text>')
    x100 = left + scale
    out.append(f'<line x1="{x100:.1f}" y1="8" x2="{x100:.1f}" y2="{height}" stroke="{LIMIT}" '
               'stroke-dasharray="2,2"/>')
    out.append(f'<text x="{x100:.1f}" y="7" font-size="8" text-anchor="middle">100 %</text>')
    out.append(f'<rect x="0" y="0" width="8" height="7" fill="{STRENGTH}"/>'
               '<text x="11" y="7" font-size="8">strength</text>'
               f'<rect x="55" y="0" width="8" height="7" fill="{READINESS}"/>'
               '<text x="66" y="7" font-size="8">equipment</text>')
    out.append("</svg>")
    return "\n".join(out)


def series(values: list, limits: list, labels: list, title: str, unit: str) -> str:
    """A line of ``values`` per period against ``limits`` (a dashed red line; None where a
    period has no limit)."""
    w, h, pad = 360, 90, 26
    known = [x for x in list(values) + list(limits) if x is not None]
    if not values or not known:
        return ""
    # the axis spans the figures (not from 0): a cap 1 % above the force must show
    lo, hi = min(known), max(known)
    pad_y = (hi - lo) * 0.08 or abs(hi) * 0.05 or 1.0
    lo, hi = lo - pad_y, hi + pad_y
    n = max(1, len(values) - 1)

    def xy(i, v):
        return pad + i * (w - pad - 6) / n, h - 14 - (v - lo) / (hi - lo or 1) * (h - 24)

    def path(vals, style):
        parts, pen = [], "M"
        for i, v in enumerate(vals):
            if v is None:
                pen = "M"
                continue
            x, y = xy(i, v)
            parts.append(f"{pen}{x:.1f},{y:.1f}")
            pen = "L"
        return f'<path d="{" ".join(parts)}" fill="none" {style}/>' if parts else ""

    out = [f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {w} {h}" width="100%" '
           'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>",
           f'<text x="{pad}" y="8" font-size="8">{escape(title)} ({escape(unit)})</text>',
           path(values, f'stroke="{LINE}" stroke-width="1.6"'),
           path(limits, f'stroke="{LIMIT}" stroke-dasharray="3,2"'),
           f'<text x="{pad}" y="{h - 3}" font-size="7">{escape(labels[0])}</text>',
           f'<text x="{w - 6}" y="{h - 3}" font-size="7" text-anchor="end">'
           f'{escape(labels[-1])}</text>',
           f'<text x="{pad - 3}" y="{xy(0, hi)[1] + 3:.1f}" font-size="7" text-anchor="end">'
           f'{_short(hi)}</text>',
           f'<text x="{pad - 3}" y="{xy(0, lo)[1] + 3:.1f}" font-size="7" text-anchor="end">'
           f'{_short(lo)}</text>', "</svg>"]
    return "\n".join(x for x in out if x)


def _short(x: float) -> str:
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(x) >= size:
            return f"{x / size:.3g}{suffix}"
    return f"{x:.3g}"
