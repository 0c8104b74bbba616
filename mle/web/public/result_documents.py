"""The QR code and the PDF of a result.

The QR code is segno's SVG, put inline in the page: no image request, no inline style (the
CSP allows none), only presentation attributes. The PDF is the print layout rendered by
WeasyPrint in the reader's language and direction (docs/decisions/0012).
"""

from __future__ import annotations

import segno
from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape


def qr_svg(address: str) -> Markup:
    """An accessible inline SVG QR code for an address."""
    code = segno.make(address, error="m")
    svg = code.svg_inline(scale=4, svgclass="mle-qr", lineclass=None, omitsize=True)
    label = escape(_("QR code that opens these results: %(link)s", link=address))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def result_pdf(context: dict) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    html = render_template("public/result_pdf.html", **context)
    # Tagged, so screen readers follow headings, lists and reading order.
    return HTML(string=html).write_pdf(pdf_tags=True)
