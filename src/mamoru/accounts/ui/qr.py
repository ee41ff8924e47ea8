"""QR codes as inline SVG, drawn on the server: no external service, no script."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    """An ``<svg>`` element encoding ``data`` (paths and attributes only, no inline style,
    so the content security policy needs no exception)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathFillImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=4,
    )
    svg = image.to_string(encoding="unicode")
    assert isinstance(svg, str)
    return svg.replace("<svg ", '<svg class="qr-code" aria-hidden="true" focusable="false" ', 1)
