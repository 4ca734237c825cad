"""Server-side SVG bar charts (no JavaScript, no CDN): legible on screen and in print, values written on bars."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Fills that stay distinguishable in grey print; each series also gets a pattern-free outline and value labels.
PALETTE = ["#9aa5ad", "#1f7a4d", "#e0a526", "#3b5b92"]


CHAR_W = 6.6  # average width of a 12px DejaVu Sans character, to fit labels without measuring text


def fit_lines(text: str, width: float, max_lines: int = 2) -> list[str]:
    """Word-wrap `text` into at most `max_lines` lines of `width` pixels; the last one ends in "…" when cut."""
    per_line = max(int(width // CHAR_W), 3)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: per_line - 1] + "…"
    return [line if len(line) <= per_line else line[: per_line - 1] + "…" for line in lines]


def _x_label(text: str, x: float, y: float, width: float) -> str:
    """A category label under its group: wrapped, shortened when it would run into its neighbours."""
    lines = fit_lines(text, width - 4)
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 13}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    full = f"<title>{escape(text)}</title>" if " ".join(lines) != text else ""
    return f'<text x="{x:.1f}" y="{y}" font-size="12" text-anchor="middle" fill="#222">{full}{spans}</text>'


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
        parts.append(_x_label(category, left + i * group_w + group_w / 2, top + plot_h + 16, group_w))
    # Legend under the axis.
    x = left
    for j, (name, _values) in enumerate(series):
        parts.append(f'<rect x="{x}" y="{height - 18}" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}" '
                     f'stroke="#222" stroke-width="0.5" />')
        parts.append(f'<text x="{x + 16}" y="{height - 8}" font-size="12" fill="#222">{escape(name)}</text>')
        x += 24 + 7 * len(str(name))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped, numbers are formatted by us


def hbar_chart(*, title: str, rows: list[tuple[str, int]], chart_id: str = "chart", width: int = 360) -> SafeString:
    """Horizontal bars, one per labelled row (long category names stay readable); the value follows each bar."""
    label_w, bar_h, gap, top = 150, 16, 6, 8
    height = top * 2 + len(rows) * (bar_h + gap)
    plot_w = width - label_w - 48
    peak = max([n for _label, n in rows] + [1])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for i, (label, n) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = plot_w * n / peak
        short = fit_lines(label, label_w - 8, max_lines=1)[0]
        full = f"<title>{escape(label)}</title>" if short != label else ""
        parts.append(f'<text x="{label_w - 6}" y="{y + bar_h - 4}" font-size="12" text-anchor="end" '
                     f'fill="#222">{full}{escape(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[1]}" '
                     f'stroke="#222" stroke-width="0.5" />')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}" font-size="12" fill="#222">{n}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - labels are escaped, values are integers
