"""What every section of the configuration shares: the base model and the id format."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]


class Section(BaseModel):
    """A section or entry of the file: read-only once loaded, and a key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def not_before(later: str, earlier: str, message: str) -> object:
    """A section's validator that refuses it, saying `message`, when its field `later` is before its field
    `earlier` (assign it to a name in the section's class)."""

    def ordered(section: Section) -> Section:
        if getattr(section, later) < getattr(section, earlier):
            raise ValueError(message)
        return section

    return model_validator(mode="after")(ordered)
