"""Charts as message images: the PNG and a Swedish description of the data it shows (the image's alt text, read
by screen readers and shown where the picture is not)."""

from messages.charts.data import GroupedBars, MonthlyCounts, TrendChart
from messages.charts.draw import grouped_png, monthly_png, trend_png
from messages.followup_labels import STATUS_LABELS, format_number
from messages.message import Image
from messages.render import render_plain
from messages.swedish import MONTHS


def _one_line(text: str) -> str:
    return " ".join(text.split())


def trend_image(chart: TrendChart, filename: str) -> Image:
    alt = render_plain("chart_trend_alt", chart=chart, num=format_number, statuses=STATUS_LABELS)
    return Image(filename, _one_line(alt), trend_png(chart))


def monthly_image(chart: MonthlyCounts, filename: str) -> Image:
    months = [
        (
            MONTHS[month],
            [
                (category, counts[month])
                for category, counts in zip(chart.categories, chart.counts, strict=True)
                if counts[month]
            ],
        )
        for month in range(12)
    ]
    alt = render_plain("chart_monthly_alt", chart=chart, months=months)
    return Image(filename, _one_line(alt), monthly_png(chart))


def grouped_image(chart: GroupedBars, filename: str) -> Image:
    groups = [
        (group, [(label, values[index]) for label, values in chart.series]) for index, group in enumerate(chart.groups)
    ]
    alt = render_plain("chart_grouped_alt", chart=chart, groups=groups, num=format_number)
    return Image(filename, _one_line(alt), grouped_png(chart))
