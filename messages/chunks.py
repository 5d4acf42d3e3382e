"""Cutting and chunking text at paragraph, line and word boundaries, for any platform's size limits."""


def cut(text: str, limit: int) -> str:
    """`text`, cut with an ellipsis to at most `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _split_long_line(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        at = line.rfind(" ", 0, limit)
        at = at if at > limit // 2 else limit
        pieces.append(line[:at])
        line = line[at:].lstrip(" ")
    pieces.append(line)
    return pieces


def chunk_text(text: str, limit: int) -> list[str]:
    """Split text into chunks of at most `limit` characters, at paragraph, then line, then word boundaries."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        current = ""
        for line in paragraph.split("\n"):
            for piece in _split_long_line(line, limit):
                candidate = f"{current}\n{piece}" if current else piece
                if len(candidate) <= limit:
                    current = candidate
                else:
                    chunks.append(current)
                    current = piece
    if current:
        chunks.append(current)
    return chunks or [""]
