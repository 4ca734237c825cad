"""Server-side SVG bar charts (no JavaScript, no CDN): legible on screen and in print, values written on bars."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Fills that stay distinguishable in grey print; each series also gets a pattern-free outline and value labels.
PALETTE = ["#9aa5ad", "#1f7a4d", "#e0a526", "#3b5b92"]


def bar_chart(*, title: str, categories: list[str], series: list[tuple[str, list[float | int | None]]],
              width: int = 640, height: int = 260, chart_id: str = "chart") -> SafeString:
    """Grouped bars: one group per category, one bar per series; the data table beside it carries the same numbers."""
    left, right, top, bottom = 48, 12, 28, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v or 0 for _name, values in series for v in values] + [1])
    groups = max(len(categories), 1)
    group_w = plot_w / groups
    bar_w = max(min(group_w * 0.8 / max(len(series), 1), 48), 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333" />',
    ]
    for i, category in enumerate(categories):
        x0 = left + i * group_w + (group_w - bar_w * len(series)) / 2
        for j, (_name, values) in enumerate(series):
            value = values[i] if i < len(values) else None
            v = value or 0
            h = plot_h * v / peak
            x = x0 + j * bar_w
            y = top + plot_h - h
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[j % len(PALETTE)]}" stroke="#222" stroke-width="0.5" />')
            text = "–" if value is None else f"{v:,}".replace(",", ".")
            parts.append(f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
                         f'text-anchor="middle" fill="#222">{text}</text>')
        parts.append(f'<text x="{left + i * group_w + group_w / 2:.1f}" y="{top + plot_h + 16}" font-size="12" '
                     f'text-anchor="middle" fill="#222">{escape(category)}</text>')
    # Legend under the axis.
    x = left
    for j, (name, _values) in enumerate(series):
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}" '
                     f'stroke="#222" stroke-width="0.5" />')
        parts.append(f'<text x="{x + 16}" y="{height - 8}" font-size="12" fill="#222">{escape(name)}</text>')
        x += 24 + 7 * len(str(name))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped, numbers are formatted by us
