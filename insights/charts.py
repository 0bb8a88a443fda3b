"""Server-side SVG charts, readable without colour: every bar and point carries its value as
text, each series of a line chart has its own dash pattern and marker shape and is named at its
end, and every chart has a <title> and <desc> for screen readers (the table under it holds the
same figures)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

WIDTH = 640
BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
PATTERNS = [
    ("", "circle"),
    ("6 4", "square"),
    ("2 3", "triangle"),
    ("10 3 2 3", "diamond"),
    ("1 6", "cross"),
]


def _number(value):
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _open(chart_id, title, description, height):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="insights-chart" role="img" '
        'aria-labelledby="{0}-title" aria-describedby="{0}-desc" '
        'viewBox="0 0 {1} {2}" width="100%" '
        'preserveAspectRatio="xMinYMin meet"><title id="{0}-title">{3}</title>'
        '<desc id="{0}-desc">{4}</desc>',
        chart_id,
        WIDTH,
        height,
        title,
        description,
    )


LABEL_CHARACTERS = 24  # what fits in LABEL_WIDTH at the chart's label size


def _short(label):
    """A bar's label cut to fit left of its bar (the whole label is in its <title> and in the
    table under the chart)."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _tick(label):
    """An axis tick: "W29" for an ISO week "2026-W29", "11-05" for a day "2026-11-05"."""
    return label.rsplit("-", 1)[-1] if "-W" in label else label[-5:]


def bar_chart(chart_id, title, labels, values, unit=""):
    """Horizontal bars, one per label, each with its value written at its end."""
    numbers = [v or 0 for v in values]
    top = max(numbers, default=0) or 1
    height = max(len(labels), 1) * (BAR_HEIGHT + GAP) + GAP
    description = "; ".join(
        f"{label}: {_number(value)}{unit}" for label, value in zip(labels, values, strict=False)
    )
    parts = [_open(chart_id, title, description, height)]
    span = WIDTH - LABEL_WIDTH - 80
    for n, (label, value) in enumerate(zip(labels, values, strict=False)):
        y = GAP + n * (BAR_HEIGHT + GAP)
        width = max(1, round(span * (value or 0) / top)) if value else 0
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="insights-chart__label">'
                "<title>{}</title>{}</text>"
                '<rect x="{}" y="{}" width="{}" height="{}" class="insights-chart__bar"/>'
                '<text x="{}" y="{}" class="insights-chart__value">{}{}</text>',
                LABEL_WIDTH - 6,
                y + BAR_HEIGHT - 6,
                str(label),
                _short(str(label)),
                LABEL_WIDTH,
                y,
                width,
                BAR_HEIGHT,
                LABEL_WIDTH + width + 6,
                y + BAR_HEIGHT - 6,
                _number(value),
                unit,
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 — a constant
    return mark_safe("".join(parts))  # noqa: S308 — every part went through format_html


def _marker(shape, x, y):
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="3.5"/>', x, y)
    if shape == "square":
        return format_html('<rect x="{}" y="{}" width="7" height="7"/>', x - 3.5, y - 3.5)
    if shape == "triangle":
        return format_html(
            '<path d="M{} {} L{} {} L{} {} Z"/>', x, y - 4, x + 4, y + 3.5, x - 4, y + 3.5
        )
    if shape == "diamond":
        return format_html(
            '<path d="M{} {} L{} {} L{} {} L{} {} Z"/>', x, y - 4, x + 4, y, x, y + 4, x - 4, y
        )
    return format_html(
        '<path d="M{} {} L{} {} M{} {} L{} {}"/>',
        x - 4,
        y - 4,
        x + 4,
        y + 4,
        x - 4,
        y + 4,
        x + 4,
        y - 4,
    )


def line_chart(chart_id, title, labels, series):
    """Lines over `labels` (days, weeks): `series` is [(name, values)]. Each line has its own
    dash pattern and marker and its name and last value written at its end."""
    height, left, right, top_pad, bottom = 260, 48, 150, 12, 40
    numbers = [v or 0 for _name, values in series for v in values]
    top = max(numbers, default=0) or 1
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    count = max(len(labels), 1)

    def x_at(n):
        return round(left + (plot_w * n / (count - 1) if count > 1 else plot_w / 2), 1)

    def y_at(value):
        return round(top_pad + plot_h - plot_h * (value or 0) / top, 1)

    description = "; ".join(
        f"{name}: "
        + ", ".join(f"{label} {_number(v)}" for label, v in zip(labels, values, strict=False))
        for name, values in series
    )
    parts = [_open(chart_id, title, description, height)]
    parts.append(
        format_html(
            '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" class="insights-chart__axis"/>'
            '<text x="{3}" y="{4}" text-anchor="end" class="insights-chart__label">{5}</text>'
            '<text x="{3}" y="{1}" text-anchor="end" class="insights-chart__label">0</text>',
            left,
            top_pad + plot_h,
            left + plot_w,
            left - 4,
            top_pad + 10,
            _number(top),
        )
    )
    step = max(1, count // 8)
    for n, label in enumerate(labels):
        if n % step == 0 or n == count - 1:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" '
                    'class="insights-chart__tick">{}</text>',
                    x_at(n),
                    height - bottom + 16,
                    _tick(str(label)),
                )
            )
    for index, (name, values) in enumerate(series):
        dash, shape = PATTERNS[index % len(PATTERNS)]
        points = " ".join(f"{x_at(n)},{y_at(v)}" for n, v in enumerate(values))
        parts.append(
            format_html(
                '<g class="insights-chart__series insights-chart__series--{}">'
                '<polyline points="{}" fill="none" stroke-dasharray="{}"/>',
                index,
                points,
                dash,
            )
        )
        for n, value in enumerate(values):
            parts.append(_marker(shape, x_at(n), y_at(value)))
        if values:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" class="insights-chart__value">{} {}</text>',
                    left + plot_w + 8,
                    y_at(values[-1]) + 4,
                    name,
                    _number(values[-1]),
                )
            )
        parts.append(mark_safe("</g>"))  # noqa: S308 — a constant
    parts.append(mark_safe("</svg>"))  # noqa: S308 — a constant
    return mark_safe("".join(parts))  # noqa: S308 — every part went through format_html
