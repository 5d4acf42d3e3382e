"""What is left of configuration that failed validation, so that the checks across sections still see it.

Pydantic gives nothing back for an entry with one bad field, and does not run the entry's own validators: its
references, its duplicate id and the impossible combinations among its good fields would go unreported until
the bad field is fixed. `salvage` keeps every value that validates on its own, marks the others UNCHECKED,
and runs the validators that pydantic skipped over what is left. An entry that is not a mapping at all keeps its
place in its list, with every field None.
"""

from dataclasses import dataclass, field
from functools import cache
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError

Loc = tuple[Any, ...]


class _Unchecked:
    """A value that was given but did not validate (its error is already reported).

    It is truthy and not None, so a validator asking whether a field was given sees that it was; it cannot be
    compared, iterated or read from, so a validator that needs its value raises TypeError or AttributeError and
    is skipped rather than reporting a second, made-up error. The checks across sections test the type of each
    value they use (bot.config.references).
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()  # Any: it stands in for a field of any type


@dataclass
class Salvaged:
    """A section's best-effort value and the problems found by the validators pydantic did not run."""

    value: Any
    problems: list[tuple[Loc, str]] = field(default_factory=list)


def salvage(annotation: Any, raw: Any, loc: Loc) -> Salvaged:
    """`raw` as `annotation` as far as it validates: call it after validating `raw` as a whole failed."""
    salvaged = Salvaged(None)
    salvaged.value = _partial(annotation, raw, loc, salvaged.problems)
    return salvaged


def list_of(value: object) -> list[Any]:
    """`value` if it is a list, else [] (a field that did not validate, or 'all')."""
    return value if isinstance(value, list) else []


@cache
def adapter(annotation: Any) -> TypeAdapter:
    """One adapter per annotation: building one costs far more than validating a value with it."""
    return TypeAdapter(annotation)


def _value(annotation: Any, raw: Any, loc: Loc, problems: list[tuple[Loc, str]]) -> tuple[Any, bool]:
    """`raw` validated as `annotation` and True, or what is left of it and False."""
    try:
        return adapter(annotation).validate_python(raw), True
    except ValidationError:
        return _partial(annotation, raw, loc, problems), False


def _partial(annotation: Any, raw: Any, loc: Loc, problems: list[tuple[Loc, str]]) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _partial(get_args(annotation)[0], raw, loc, problems)
    if origin in (Union, UnionType):
        arm = _arm_for(get_args(annotation), raw)
        return UNCHECKED if arm is None else _partial(arm, raw, loc, problems)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(annotation, raw, loc, problems)
    if origin is list and isinstance(raw, list):
        (item,) = get_args(annotation)
        return [_value(item, entry, (*loc, index), problems)[0] for index, entry in enumerate(raw)]
    if origin is dict and isinstance(raw, dict):
        key_type, value_type = get_args(annotation)
        kept = {}
        for key, value in raw.items():
            try:
                name = adapter(key_type).validate_python(key)
            except ValidationError:
                continue  # a bad key is reported; what it maps to cannot be looked up by it
            kept[name] = _value(value_type, value, (*loc, name), problems)[0]
        return kept
    return UNCHECKED


def _arm_for(arms: tuple[Any, ...], raw: Any) -> Any:
    """The arm of a union that a mapping or a list was meant for (a model or a list), if any."""
    for arm in arms:
        base = get_args(arm)[0] if get_origin(arm) is Annotated else arm
        if isinstance(raw, dict) and isinstance(base, type) and issubclass(base, BaseModel):
            return base
        if isinstance(raw, list) and get_origin(base) is list:
            return base
    return None


def _model(model: type[BaseModel], raw: Any, loc: Loc, problems: list[tuple[Loc, str]]) -> BaseModel:
    validators = model.__pydantic_decorators__.model_validators.values()
    data = raw
    try:
        for validator in validators:
            if validator.info.mode == "before":
                data = validator.func(data)
    except (ValueError, TypeError, AttributeError):
        data = None
    if not isinstance(data, dict):
        # Nothing was given for any field: every one is None, so that no check finds a combination in it.
        return model.model_construct(**dict.fromkeys(model.model_fields))
    values: dict[str, Any] = {}
    # Pydantic ran the model's own validators only if every field validated and nothing else was given.
    validated = set(data) <= set(model.model_fields)
    for name, info in model.model_fields.items():
        if name not in data:
            if info.is_required():
                values[name] = UNCHECKED
                validated = False
            continue
        annotation = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        values[name], valid = _value(annotation, data[name], (*loc, name), problems)
        validated = validated and valid
    instance = model.model_construct(**values)
    if not validated:
        for validator in validators:
            if validator.info.mode == "after":
                try:
                    validator.func(instance)
                except (ValueError, AssertionError) as exc:
                    if not _tripped(exc.__cause__ or exc.__context__):
                        problems.append((loc, str(exc)))
                except (TypeError, AttributeError):
                    pass  # it needs a value that did not validate
    return instance


def _tripped(cause: BaseException | None) -> bool:
    """Whether a validator's error came from using a value that did not validate (say, parsing UNCHECKED)."""
    return isinstance(cause, TypeError | AttributeError)
