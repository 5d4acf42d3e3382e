"""The starter configuration `samverkan init` writes: commented, shipped in the package, passing plan check."""

from pathlib import Path

STARTER = Path(__file__).resolve().parent / "starter.yaml"


def write_starter(path: Path, overwrite: bool) -> None:
    """Write the starter file to `path`; FileExistsError if something is there and `overwrite` is false."""
    text = STARTER.read_text(encoding="utf-8")
    with path.open("w" if overwrite else "x", encoding="utf-8") as out:
        out.write(text)
