"""Case numbers like 'VMKF 2027-0042': a gap-free yearly sequence taken inside the registering transaction."""

from sqlmodel import Session

from bot.config.model import AssociationConfig
from storage import cases as store


def case_prefix(config: AssociationConfig) -> str:
    configured = config.cases.prefix if config.cases else None
    return configured or config.association.short_name


def format_number(prefix: str, year: int, serial: int) -> str:
    return f"{prefix} {year}-{serial:04d}"


def allocate_number(session: Session, config: AssociationConfig, year: int) -> tuple[int, str]:
    """The next serial of `year` and its case number; rolled back with the transaction if it fails."""
    serial = store.next_serial(session, year)
    return serial, format_number(case_prefix(config), year, serial)
