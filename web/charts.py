"""Charts drawn on the server: no chart library, no script, a few hundred bytes each.

Text stays HTML (or an SVG drawn at its own pixel size), so labels keep one font size on a 360 px phone and on a
desktop instead of scaling with the picture. Bars are SVG shapes (the page's policy allows no inline styles).
Charts are decorative for screen readers (aria-hidden); each is followed by the same figures as a table, which is
the text alternative.
"""

from markupsafe import Markup, escape

COLUMN_WIDTH = 18
COLUMN_GAP = 4
COLUMN_HEIGHT = 120  # the tallest column; labels below and values above take their own rows


def bar_chart(rows: list[tuple[str, int, str]]) -> Markup:
    """One horizontal bar per (label, value, colour class), the longest the full width of its track."""
    if not rows:
        return Markup("")
    top = max(value for _, value, _ in rows) or 1
    parts = ['<div class="bars" aria-hidden="true">']
    for name, value, colour in rows:
        width = max(1, round(100 * value / top)) if value else 0
        parts.append(
            f'<span class="bar-label">{escape(name)}</span>'
            f'<svg class="bar-track" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">'
            f'<rect width="{width}" height="10" class="fill-{escape(colour)}"/></svg>'
            f'<span class="bar-value">{value}</span>'
        )
    parts.append("</div>")
    return Markup("".join(parts))


def stacked_bar(parts: list[tuple[int, str]]) -> Markup:
    """One bar split into (value, colour class) parts, as wide as its track: how a total divides."""
    total = sum(value for value, _ in parts)
    if not total:
        return Markup("")
    shapes, x = [], 0.0
    for value, colour in parts:
        width = 100 * value / total
        if width:
            shapes.append(f'<rect x="{x:.2f}" width="{width:.2f}" height="10" class="fill-{escape(colour)}"/>')
        x += width
    return Markup(
        '<svg class="stack" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f"{''.join(shapes)}</svg>"
    )


def column_chart(columns: list[tuple[str, int]], colour: str) -> Markup:
    """One vertical column per (short label, value), e.g. a day, drawn at its own pixel size: 14 columns fit a
    360 px screen (308 px) and keep 12 px text on a desktop."""
    if not columns:
        return Markup("")
    top = max(value for _, value in columns) or 1
    step = COLUMN_WIDTH + COLUMN_GAP
    width, height = len(columns) * step, COLUMN_HEIGHT + 36
    parts = [
        f'<svg class="columns" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true" '
        'focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(columns):
        x = i * step
        bar = round(COLUMN_HEIGHT * value / top) if value else 0
        middle = x + COLUMN_WIDTH / 2
        parts.append(
            f'<text x="{middle}" y="{COLUMN_HEIGHT + 14 - bar - 2}" class="chart-value">{value}</text>'
            f'<rect x="{x}" y="{COLUMN_HEIGHT + 14 - bar}" width="{COLUMN_WIDTH}" height="{bar}" '
            f'class="fill-{escape(colour)}"/>'
            f'<text x="{middle}" y="{height - 6}" class="chart-label">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
