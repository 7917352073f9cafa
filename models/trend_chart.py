"""A target's trend against its pace as an inline SVG chart, drawn on the
server: the same picture on the manager's home, the funder dashboard and the
printed report (wkhtmltopdf draws inline SVG, and its text stays text)."""

from datetime import timedelta

from markupsafe import Markup, escape

from odoo.tools import format_date

WIDTH, HEIGHT = 560, 210
LEFT, RIGHT, TOP, BOTTOM = 36, 16, 14, 42
ACTUAL_COLOR = "#017e84"
PACE_COLOR = "#6c757d"
FORECAST_COLOR = "#e99d00"


def trend_days(date_from, until, max_points=24):
    """Month ends from the period start up to ``until`` (and ``until`` itself),
    thinned to at most ``max_points`` days."""
    days = []
    day = date_from
    while day < until:
        next_month = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
        month_end = next_month - timedelta(days=1)
        if month_end >= until:
            break
        days.append(month_end)
        day = next_month
    step = max(1, -(-len(days) // (max_points - 1)))
    return [*days[::-1][::step][::-1], until]


def trend_svg(env, target, points):
    """``points``: ``[(day, actual)]`` in date order, from ``target._trend``."""
    start, end = target.date_from, target.date_to
    span = max((end - start).days, 1)
    top_value = max(
        [target.target_value, target.forecast_value] + [value for _d, value in points]
    )
    top_value = max(1, round(top_value * 1.1))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day):
        return LEFT + plot_w * min(max((day - start).days, 0), span) / span

    def y(value):
        return TOP + plot_h * (1 - value / top_value)

    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="o_integration_trend" '
            'viewBox="0 0 %(w)s %(h)s" width="100%%" '
            'style="max-width: %(w)spx; font-family: sans-serif; font-size: 11px" '
            'role="img" aria-label="%(label)s">'
        )
        % {"w": WIDTH, "h": HEIGHT, "label": target.name},
    ]
    # Horizontal grid with the target value marked.
    for value in sorted({0, round(target.target_value / 2), target.target_value}):
        parts.append(
            Markup(
                '<line x1="%s" x2="%s" y1="%.1f" y2="%.1f" stroke="#dee2e6"/>'
                '<text x="%s" y="%.1f" text-anchor="end" fill="#495057">%s</text>'
            )
            % (LEFT, WIDTH - RIGHT, y(value), y(value), LEFT - 4, y(value) + 4, value)
        )
    # The pace that reaches the target at the period's end.
    parts.append(
        Markup(
            '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
            'stroke-width="1.5" stroke-dasharray="5,4"/>'
        )
        % (x(start), y(0), x(end), y(target.target_value), PACE_COLOR)
    )
    if points:
        last_day, last_value = points[-1]
        if last_day < end and target.forecast_value > last_value:
            parts.append(
                Markup(
                    '<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" '
                    'stroke-width="2" stroke-dasharray="2,3"/>'
                )
                % (
                    x(last_day),
                    y(last_value),
                    x(end),
                    y(target.forecast_value),
                    FORECAST_COLOR,
                )
            )
            parts.append(
                Markup(
                    '<text x="%.1f" y="%.1f" text-anchor="end" font-weight="bold" '
                    'fill="%s">%s</text>'
                )
                % (
                    x(end),
                    y(target.forecast_value) - 7,
                    FORECAST_COLOR,
                    target.forecast_value,
                )
            )
        coordinates = " ".join(
            f"{x(day):.1f},{y(value):.1f}" for day, value in [(start, 0), *points]
        )
        parts.append(
            Markup('<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5"/>')
            % (coordinates, ACTUAL_COLOR)
        )
        parts.append(
            Markup('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>')
            % (x(last_day), y(last_value), ACTUAL_COLOR)
        )
        parts.append(
            Markup(
                '<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="bold" '
                'fill="%s">%s</text>'
            )
            % (
                x(last_day) + (6 if x(last_day) < WIDTH / 2 else -6),
                y(last_value) - 7,
                "start" if x(last_day) < WIDTH / 2 else "end",
                ACTUAL_COLOR,
                last_value,
            )
        )
    # The period's ends under the axis, and the legend.
    axis_y = TOP + plot_h
    parts.append(
        Markup(
            '<line x1="%s" x2="%s" y1="%.1f" y2="%.1f" stroke="#adb5bd"/>'
            '<text x="%s" y="%.1f" fill="#495057">%s</text>'
            '<text x="%s" y="%.1f" text-anchor="end" fill="#495057">%s</text>'
        )
        % (
            LEFT,
            WIDTH - RIGHT,
            axis_y,
            axis_y,
            LEFT,
            axis_y + 14,
            escape(format_date(env, start)),
            WIDTH - RIGHT,
            axis_y + 14,
            escape(format_date(env, end)),
        )
    )
    legend = [
        (ACTUAL_COLOR, "", env._("Actual")),
        (PACE_COLOR, "5,4", env._("Pace to target")),
        (FORECAST_COLOR, "2,3", env._("Forecast")),
    ]
    legend_x = LEFT
    for color, dashes, label in legend:
        parts.append(
            Markup(
                '<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2.5" '
                'stroke-dasharray="%s"/><text x="%s" y="%s" fill="#212529">%s</text>'
            )
            % (
                legend_x,
                legend_x + 22,
                HEIGHT - 8,
                HEIGHT - 8,
                color,
                dashes or "none",
                legend_x + 27,
                HEIGHT - 4,
                escape(label),
            )
        )
        legend_x += 40 + 7 * len(label)
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
