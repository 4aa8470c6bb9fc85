"""Bar charts as inline SVG, drawn on the server: no script, no library, readable offline."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, TOP, BOTTOM = 600, 160, 14, 22


def bar_chart(bars: Sequence[tuple[str, int, str]], *, label: str) -> str:
    """An SVG of one bar per ``(axis label, value, tooltip)``; every fifth axis label is written."""
    highest = max((value for _, value, _ in bars), default=0) or 1
    step = WIDTH / max(len(bars), 1)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">',
             f'<line x1="0" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" class="axis"/>']
    room = HEIGHT - TOP - BOTTOM
    for position, (axis, value, tip) in enumerate(bars):
        tall = round(room * value / highest, 1)
        x = round(position * step + step * 0.15, 1)
        parts.append(f'<rect x="{x}" y="{HEIGHT - BOTTOM - tall}" width="{round(step * 0.7, 1)}" '
                     f'height="{tall}" class="bar"><title>{escape(tip)}</title></rect>')
        if position % 5 == 0:
            parts.append(f'<text x="{x}" y="{HEIGHT - 6}" class="tick">{escape(axis)}</text>')
    parts.append(f'<text x="{WIDTH}" y="10" class="tick" text-anchor="end">{highest:,}</text></svg>')
    return "".join(parts)
