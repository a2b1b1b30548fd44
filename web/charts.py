"""Bar charts drawn on the server as inline SVG: no chart library, no script, a few hundred bytes each.

The SVG is decorative for screen readers (aria-hidden); every chart is followed by the same figures as a
table, which is the text alternative.
"""

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 140
WIDTH = 340  # the viewBox; the SVG scales to its container, so it fits a 360 px screen


def bar_chart(rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value), longest = full width."""
    if not rows:
        return Markup("")
    top = max(value for _, value in rows) or 1
    bar_space = WIDTH - LABEL_WIDTH - 40
    height = len(rows) * (BAR_HEIGHT + GAP)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" aria-hidden="true" focusable="false" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(rows):
        y = i * (BAR_HEIGHT + GAP)
        width = max(1, round(bar_space * value / top)) if value else 0
        short = name if len(name) <= 20 else name[:19] + "…"
        parts.append(
            f'<text x="0" y="{y + 15}" class="chart-label">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{width}" height="{BAR_HEIGHT - 4}" class="chart-bar"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 15}" class="chart-value">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
