"""A support's body as each channel shows it, and the company's logo.

The body is Markdown (markdown-it-py, CommonMark, raw HTML off) and the HTML
it gives is sanitised again with nh3 (tags and attributes allowed for a
message, links forced to ``rel=noopener noreferrer``, only http(s) and mailto
URLs): what the candidate typed can never run in a staff member's browser.
The logo is an SVG drawn from the company's name and colours.
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "blockquote", "code", "pre",
         "hr", "img", "table", "thead", "tbody", "tr", "th", "td"}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
_MD = None
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SMALL_WORDS = {"de", "du", "des", "la", "le", "les", "et", "d", "l", "sas", "sarl", "sa"}


def to_html(markdown_text: str) -> Markup:
    """Markdown to HTML that is safe to show to anyone."""
    global _MD
    import nh3

    if _MD is None:
        from markdown_it import MarkdownIt

        _MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    raw = _MD.render(markdown_text or "")
    clean = nh3.clean(raw, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer")
    return Markup(_IMG.sub(_image_box, clean))


_IMG = re.compile(r"<img\b([^>]*)>")
_ALT = re.compile(r'\balt="([^"]*)"')


def _image_box(match) -> str:
    """An image is shown as its frame and its text: the simulator loads nothing from
    outside (the pages' Content-Security-Policy, the PDFs printed offline)."""
    alt = _ALT.search(match.group(1))
    label = alt.group(1) if alt and alt.group(1) else "image sans texte de remplacement"
    return f'<span class="image-box">Image : {label}</span>'


def brand_css(company) -> str:
    """The company's colours as a stylesheet (pages allow no inline style)."""
    brand = colour(getattr(company, "brand_colour", ""), "#1f4e79")
    accent = colour(getattr(company, "accent_colour", ""), "#e07b00")
    return (f".brand-bg {{ background: {brand}; color: #fff; }}\n.brand-text {{ color: {brand}; }}\n"
            f".accent-under {{ border-bottom: 4px solid {accent}; }}\n.accent-over {{ border-top: 2px solid {accent}; }}\n"
            f".md strong {{ color: {brand}; }}\n")


def social_text(text: str) -> Markup:
    """A social post as networks show it: the text as typed, line breaks kept, links and #tags coloured."""
    escaped = html.escape((text or "").strip())
    escaped = re.sub(r"(https?://[^\s<]+)", r'<span class="post-link">\1</span>', escaped)
    escaped = re.sub(r"(?<![\w&])(#\w+)", r'<span class="post-tag">\1</span>', escaped)
    return Markup(escaped.replace("\n", "<br>"))


def colour(value: str, default: str) -> str:
    return value if value and _HEX.match(value) else default


def initials(name: str) -> str:
    words = [w for w in re.split(r"[\s'’\-]+", name or "") if w and w.lower() not in _SMALL_WORDS]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or "?"


def logo_svg(company, size: int = 48) -> Markup:
    """The company's logo: its initials on its brand colour, underlined with its accent colour."""
    brand = colour(getattr(company, "brand_colour", ""), "#1f4e79")
    accent = colour(getattr(company, "accent_colour", ""), "#e07b00")
    letters = html.escape(initials(getattr(company, "name", "")))
    name = html.escape(getattr(company, "name", ""))
    return Markup(
        f'<svg class="logo" xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 48 48" '
        f'role="img" aria-label="Logo {name}"><rect x="1.5" y="1.5" width="45" height="45" rx="9" fill="{brand}" stroke="#fff" stroke-width="2"/>'
        f'<rect x="10" y="36" width="28" height="4" rx="2" fill="{accent}"/>'
        f'<text x="24" y="30" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif" font-size="19" '
        f'font-weight="bold" fill="#fff">{letters}</text></svg>')
