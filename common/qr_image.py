"""A payload drawn as a QR code, inline SVG for a page: segno is pure Python (no Pillow, no native library).

Dark modules on a white square of their own, with the standard four-module quiet zone, so a phone in dark mode
still shows a code that scans; a viewBox without width or height, so the page's CSS sizes it to the screen; an
image role with the title as its name, so a screen reader says what it is.
"""

import segno


def qr_svg(payload: str) -> str:
    # Level M: 15 % of the code may be lost (a cracked or glaring screen) and the code stays small enough to scan.
    code = segno.make_qr(payload, error="m")
    svg = code.svg_inline(dark="#000", light="#fff", omitsize=True, title="VietQR", svgclass="vietqr", lineclass=None)
    return svg.replace("<svg ", '<svg role="img" ', 1)
