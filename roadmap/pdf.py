"""The roadmap as an A4 PDF (WeasyPrint) for the strategic meeting: priorities, targets and current coverage."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

FONT_DIR = "/usr/share/fonts/truetype/dejavu"


def _no_network(url: str, *args, **kwargs):
    """Refuse every outside fetch: the PDF uses only what the template embeds and the local DejaVu fonts."""
    if url.startswith("file://" + FONT_DIR):
        from weasyprint import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"PDF rendering does not fetch {url}")


def roadmap_pdf_bytes(request, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("roadmap/pdf.html", {**context, "generated": timezone.localtime(),
                                                  "font_dir": FONT_DIR}, request=request)
    return HTML(string=html, url_fetcher=_no_network, base_url="/").write_pdf()
