"""What every section of the configuration shares: the base model and the id format."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]


class Section(BaseModel):
    """A section or entry of the file: read-only once loaded, and a key it does not know is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)
