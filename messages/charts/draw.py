"""Drawing each kind of chart as PNG bytes (Swedish axis titles and legends from labels.toml)."""

import textwrap
from typing import TYPE_CHECKING

from messages.charts.canvas import new_figure, png_bytes
from messages.charts.data import GroupedBars, MonthlyCounts, TrendChart
from messages.charts.style import LINE_COLOUR, STATUS_COLOURS, TARGET_COLOUR, series_colour, series_marker
from messages.chunks import cut
from messages.followup_labels import STATUS_LABELS, format_number
from messages.labels import labels
from messages.swedish import MONTHS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

LABELS = labels("charts")
TITLE_LIMIT = 80  # characters on the one line above the plot
GROUP_WIDTH, GROUP_LINES = 12, 3  # a group's name under its bars: wrapped to lines this long, at most this many
SPLIT = "\u00ad"  # where _group_label broke a word: a hyphen once the lines are made
GROUPED_MARGINS = {"bottom": 0.2, "right": 0.74}  # room for those lines, and for a member's name in the legend
MONTH_TICKS = tuple(month[:3] for month in MONTHS)


def _legend_outside(axes: "Axes") -> None:
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)


def _whole_numbers(axes: "Axes") -> None:
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))


def trend_png(chart: TrendChart) -> bytes:
    """Each series as a grey line whose points are coloured by their status; the target as a dashed line."""
    from matplotlib.lines import Line2D

    figure = new_figure()
    axes = figure.add_subplot()
    axes.set_title(cut(chart.title, TITLE_LIMIT), loc="left")
    axes.set_xlabel(LABELS["rounds_axis"])
    axes.set_ylabel(chart.unit)
    axes.set_xticks(range(len(chart.rounds)), chart.rounds)
    axes.set_xlim(-0.5, len(chart.rounds) - 0.5)
    handles = []
    for index, series in enumerate(chart.series):
        marker = series_marker(index)
        xs = [point.round_index for point in series.points]
        ys = [point.value for point in series.points]
        axes.plot(xs, ys, color=LINE_COLOUR, linewidth=1.5, zorder=2)
        colours = [STATUS_COLOURS.get(point.status, LINE_COLOUR) for point in series.points]
        axes.scatter(xs, ys, c=colours, marker=marker, s=70, edgecolors="#222222", linewidths=0.8, zorder=3)
        handles.append(Line2D([], [], color=LINE_COLOUR, marker=marker, markerfacecolor="white", label=series.label))
    if chart.target is not None:
        target = f"{LABELS['target']}: {chart.target_label or format_number(chart.target)}"
        axes.axhline(chart.target, color=TARGET_COLOUR, linestyle="--", linewidth=1.5, zorder=1)
        handles.append(Line2D([], [], color=TARGET_COLOUR, linestyle="--", label=target))
    if chart.left_out:
        handles.append(Line2D([], [], linestyle="", label=LABELS["left_out"].format(count=chart.left_out)))
    shown = {point.status for series in chart.series for point in series.points}
    handles += [
        Line2D(
            [],
            [],
            linestyle="",
            marker="o",
            markersize=9,
            markerfacecolor=colour,
            markeredgecolor="#222222",
            label=STATUS_LABELS[status],
        )
        for status, colour in STATUS_COLOURS.items()
        if status in shown
    ]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    return png_bytes(figure)


def monthly_png(chart: MonthlyCounts) -> bytes:
    """Twelve months' counts as bars stacked by category."""
    figure = new_figure()
    axes = figure.add_subplot()
    axes.set_title(cut(f"{chart.title} {chart.year}", TITLE_LIMIT), loc="left")
    axes.set_xlabel(LABELS["months_axis"])
    axes.set_ylabel(LABELS["count_axis"])
    months = range(12)
    bottoms = [0] * 12
    for index, (category, counts) in enumerate(zip(chart.categories, chart.counts, strict=True)):
        axes.bar(months, counts, bottom=bottoms, color=series_colour(index), label=category, width=0.7, zorder=2)
        bottoms = [below + count for below, count in zip(bottoms, counts, strict=True)]
    axes.set_xticks(months, MONTH_TICKS)
    axes.set_ylim(0, max(max(bottoms), 1) * 1.1)
    _whole_numbers(axes)
    _legend_outside(axes)
    return png_bytes(figure)


def _group_label(name: str) -> str:
    """A group's name wrapped under its bars: a word much too long for a line hyphenated, three lines at most (the
    last cut short with '…')."""
    words = []
    for word in name.split():
        while len(word) > GROUP_WIDTH + 1:
            words.append(word[: GROUP_WIDTH - 1] + SPLIT)  # a whole line: it always ends one
            word = word[GROUP_WIDTH - 1 :]
        words.append(word)
    lines = [line.replace(SPLIT, "-") for line in textwrap.wrap(" ".join(words), GROUP_WIDTH, break_long_words=False)]
    if len(lines) > GROUP_LINES:
        lines = [*lines[: GROUP_LINES - 1], cut(lines[GROUP_LINES - 1] + " " + lines[GROUP_LINES], GROUP_WIDTH)]
    return "\n".join(lines)


def grouped_png(chart: GroupedBars) -> bytes:
    """Per group a bar for each series, side by side; a series without a figure in a group leaves a gap."""
    figure = new_figure()
    figure.subplots_adjust(**GROUPED_MARGINS)
    axes = figure.add_subplot()
    axes.set_title(cut(chart.title, TITLE_LIMIT), loc="left")
    axes.set_ylabel(chart.value_label)
    width = 0.8 / max(len(chart.series), 1)
    for index, (label, values) in enumerate(chart.series):
        xs = [group + (index - (len(chart.series) - 1) / 2) * width for group in range(len(chart.groups))]
        shown = [(x, value) for x, value in zip(xs, values, strict=True) if value is not None]
        axes.bar(
            [x for x, _ in shown], [v for _, v in shown], width=width, color=series_colour(index), label=label, zorder=2
        )
    axes.set_xticks(range(len(chart.groups)), [_group_label(group) for group in chart.groups], fontsize=7.5)
    values = [value for _, series in chart.series for value in series if value is not None]
    axes.set_ylim(0, chart.value_max if chart.value_max is not None else max([*values, 1]) * 1.1)
    _legend_outside(axes)
    return png_bytes(figure)
