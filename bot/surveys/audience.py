"""Who a survey asks: each member's contact persons for the services of the survey that the member takes (base
services every member takes, optional ones the members the catalogue lists)."""

from dataclasses import dataclass

from bot.config.model import AssociationConfig, Member, Person, Service
from bot.config.surveys_model import Survey


@dataclass(frozen=True)
class Respondent:
    """A person asked in a survey: the member they answer for and the services they rate."""

    person: Person
    member: Member
    services: tuple[Service, ...]


def surveyed_services(config: AssociationConfig, survey: Survey) -> list[Service]:
    """The services the survey asks about, in the catalogue's order."""
    return [service for service in config.services if survey.services == "all" or service.id in survey.services]


def takes(member: Member, service: Service) -> bool:
    return service.kind == "base" or member.id in service.members


def member_services(config: AssociationConfig, survey: Survey, member: Member) -> list[Service]:
    """The surveyed services the member takes."""
    return [service for service in surveyed_services(config, survey) if takes(member, service)]


def respondents(config: AssociationConfig, survey: Survey) -> dict[str, Respondent]:
    """Everyone the survey asks, by person id, with the services each rates (in the catalogue's order)."""
    rated: dict[str, tuple[Member, list[Service]]] = {}
    for member in config.members:
        for service in member_services(config, survey, member):
            for person_id in member.contacts_for(service.id):
                rated.setdefault(person_id, (member, []))[1].append(service)
    return {
        person_id: Respondent(config.person(person_id), member, tuple(services))
        for person_id, (member, services) in rated.items()
    }


def contacts_per_member(config: AssociationConfig, survey: Survey) -> dict[str, list[str]]:
    """The people asked for each member, by member id (a member taking none of the services has none)."""
    contacts: dict[str, list[str]] = {}
    for person_id, respondent in respondents(config, survey).items():
        contacts.setdefault(respondent.member.id, []).append(person_id)
    return contacts
