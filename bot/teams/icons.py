"""The Teams app's two icons, drawn as PNG files with zlib and struct alone: the same picture on every run.

Teams wants a full-colour icon of 192x192 pixels and an outline icon of 32x32 pixels, white on a transparent
background. Both show two interlocking rings (working together); the colour icon draws them white on the accent
colour.
"""

import struct
import zlib
from collections.abc import Callable

Pixel = tuple[int, int, int, int]  # red, green, blue, alpha
WHITE: Pixel = (255, 255, 255, 255)
CLEAR: Pixel = (0, 0, 0, 0)
COLOR_SIZE = 192
OUTLINE_SIZE = 32


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(size: int, pixel: Callable[[int, int], Pixel]) -> bytes:
    """A square RGBA PNG of `size` pixels, each given by pixel(x, y)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA, no interlace
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")
    )


def _on_rings(x: float, y: float, size: int) -> bool:
    """Whether (x, y) lies on one of the two rings, side by side and overlapping, scaled to `size`."""
    radius, thickness = size * 0.22, max(size * 0.07, 2.5)
    for center_x in (size * 0.38, size * 0.62):
        distance = ((x - center_x) ** 2 + (y - size / 2) ** 2) ** 0.5
        if abs(distance - radius) <= thickness / 2:
            return True
    return False


def hex_rgb(color: str) -> tuple[int, int, int]:
    """'#1D4F91' as (29, 79, 145)."""
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def color_icon(accent: str) -> bytes:
    """The full-colour icon: white rings on the accent colour, 192x192."""
    background: Pixel = (*hex_rgb(accent), 255)
    return png(COLOR_SIZE, lambda x, y: WHITE if _on_rings(x + 0.5, y + 0.5, COLOR_SIZE) else background)


def outline_icon() -> bytes:
    """The outline icon: white rings on transparency, 32x32."""
    return png(OUTLINE_SIZE, lambda x, y: WHITE if _on_rings(x + 0.5, y + 0.5, OUTLINE_SIZE) else CLEAR)
