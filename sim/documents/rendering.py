"""HTML templates (templates/documents/) to PDF with WeasyPrint.

A Jinja environment of its own, with the shared French formats of
``sim.formatting``: the documents do not depend on the web layer.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Callable

import jinja2

from sim.billing.terms import terms_label
from sim.config import get_settings
from sim.formatting import FILTERS


def _terms(code: str) -> str:
    try:
        return terms_label(code)
    except ValueError:
        return code


@lru_cache
def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir or get_settings().templates_dir)),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals.update(terms_label=_terms)
    return env


def render_html(template: str, context: dict) -> str:
    return environment().get_template(template).render(**context)


#: Called with the HTML before each print. A seam for tests: one that waits on a
#: ``threading.Event`` holds a render (a slow WeasyPrint) while the test watches
#: what the rest of the application does meanwhile.
before_print: list[Callable[[str], None]] = []


def html_to_pdf(html: str, variant: str | None = None) -> bytes:
    """The PDF of the HTML; ``variant="pdf/a-3b"`` for an archivable PDF/A-3
    (the base of a Factur-X file: sim/billing/facturx.py)."""
    from weasyprint import HTML  # heavy import: only when a document is printed

    for hook in list(before_print):
        hook(html)

    base = Path(get_settings().templates_dir) / "documents"
    if not variant:
        return HTML(string=html, base_url=str(base)).write_pdf()
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile (the PDF/A output intent) and never closes it
        warnings.simplefilter("ignore", ResourceWarning)
        return HTML(string=html, base_url=str(base)).write_pdf(pdf_variant=variant)
