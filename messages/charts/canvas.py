"""Matplotlib, set up once and only when the first chart is drawn, so commands that draw none (`--help`,
`plan check`) do not pay for importing it.

- The Agg renderer through matplotlib's object API (`Figure` + `FigureCanvasAgg`): no display, no pyplot state
  shared between threads.
- Only DejaVu Sans, the font matplotlib ships (it has å, ä and ö); matplotlib reads fonts from disk and never
  from the network.
- Its config and font cache go to MPLCONFIGDIR, or, when that is not set, to a folder of our own under the
  temporary directory: never into a home folder that may be read-only in a container.
- Every chart is WIDTH x HEIGHT pixels, and the PNG is kept small: the picture is reduced to a palette of
  PALETTE_COLOURS colours (the charts use a handful; the rest is anti-aliasing) and compressed.
"""

import io
import os
import tempfile
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

WIDTH, HEIGHT, DPI = 800, 400, 100
PALETTE_COLOURS = 64
FONT = "DejaVu Sans"
MARGINS = {"left": 0.08, "right": 0.76, "bottom": 0.14, "top": 0.91}
CONFIG_DIR = Path(tempfile.gettempdir()) / "samverkan-matplotlib"
STYLE = {
    "font.family": [FONT],
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titley": 1.03,  # a fixed place: finding one measures every tick label, a third of the drawing
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "legend.frameon": False,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "path.simplify": True,
}


# Set when this module is imported, before any of matplotlib is: it reads the variable once, at its own import.
os.environ.setdefault("MPLCONFIGDIR", str(CONFIG_DIR))


@cache
def _figure_class() -> type["Figure"]:
    """matplotlib's Figure, imported and styled on first use."""
    import matplotlib
    from matplotlib.figure import Figure

    matplotlib.rcParams.update(STYLE)
    return Figure


def new_figure() -> "Figure":
    """An empty figure of the charts' fixed size with fixed margins: room for the axis titles, and for the legend
    on the right (a computed layout would cost more than the drawing itself)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = _figure_class()(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    figure.subplots_adjust(**MARGINS)
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: "Figure") -> bytes:
    """The figure as a small palette PNG of exactly WIDTH x HEIGHT pixels."""
    from PIL import Image as Picture

    canvas = figure.canvas
    canvas.draw()
    width, height = canvas.get_width_height()
    rgba = Picture.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    palette = rgba.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Picture.Quantize.FASTOCTREE)
    out = io.BytesIO()
    palette.save(out, format="PNG", optimize=True)
    return out.getvalue()
