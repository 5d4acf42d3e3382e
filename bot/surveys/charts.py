"""The results' chart: the index of each service (and of the NKI questions) per member and for all members
together, as grouped bars; a figure that is not shown is not drawn."""

from bot.surveys.results import ALL, SurveyResults
from messages.charts.data import GroupedBars
from messages.charts.images import grouped_image
from messages.message import Image
from messages.survey_labels import CHART, EXPORT
from messages.swedish import date_short


def index_chart(results: SurveyResults) -> GroupedBars:
    """A group per row of the results (NKI first, then the services), a bar per member and one for all of them."""
    indexes = results.indexes()
    opens = results.round.opens
    columns = [(member.name, member.id) for member in results.members] + [(EXPORT["all_members"], ALL)]
    return GroupedBars(
        title=f"{results.round.survey.name} {date_short(opens)} {opens.year}: {CHART['title']}",
        value_label=CHART["value_axis"],
        groups=tuple(row.service.name if row.service else CHART["nki"] for row in results.rows),
        series=tuple((label, tuple(indexes[row.key].get(column) for row in results.rows)) for label, column in columns),
        value_max=100,
    )


def index_image(results: SurveyResults) -> Image:
    """The chart as a PNG named after the survey and round."""
    return grouped_image(index_chart(results), f"index-{results.round.survey.id}-{results.round.key}.png")
