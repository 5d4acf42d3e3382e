"""The charts' colours: a follow-up status in the colour of its icon in the texts (🟢 🟡 🔴 🟠), and series in
the Okabe–Ito colours, which stay apart for readers with colour vision deficiency."""

STATUS_COLOURS = {"met": "#2e9d46", "partly_met": "#f2c200", "not_met": "#d62f2f", "at_risk": "#f07d00"}
SERIES_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#999999", "#000000")
SERIES_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINE_COLOUR = "#555555"
TARGET_COLOUR = "#1f3a93"


def series_colour(index: int) -> str:
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def series_marker(index: int) -> str:
    return SERIES_MARKERS[index % len(SERIES_MARKERS)]
