"""The shape every list importer produces: a list version with its entries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ListEntry:
    """One listed party (person, organisation, vessel...) as the publisher lists it.

    :param source_id: the publisher's own id (UN ``REFERENCE_NUMBER``, OFAC ``ent_num``/``uid``,
        EU ``logicalId``, UK ``UniqueID``, OpenSanctions ``id``, World Bank row key).
    :param kind: ``person``, ``organisation``, ``vessel``, ``aircraft`` or ``other``.
    :param name: the primary name as published (original case and diacritics).
    :param aliases: other names (a.k.a., f.k.a., original-script names), de-duplicated.
    :param birth_dates: ``YYYY`` or ``YYYY-MM`` or ``YYYY-MM-DD`` strings (persons).
    :param countries: ISO 3166-1 alpha-2 codes (upper case) of nationality, citizenship,
        registration or address; free-text country names are mapped where possible.
    :param identifiers: ``(type, value)`` pairs: passport, national id, registration number, IMO, LEI...
    :param programmes: sanction programmes / regimes / grounds.
    :param listed_on: date of listing as published (ISO string) or None.
    :param remarks: free text the officer may want to read (kept short).
    :param weak_aliases: aliases the publisher itself marks as weak (UN quality "Low", OFAC "weak
        aka", OpenSanctions ``weakAlias``): a match on one of them alone is never a hit.
    :param approximate_birth: the publisher gives the birth date as approximate ("circa",
        "approximately"); a year only or a range of years counts as approximate anyway.
    :param valid_until: last day of a debarment (ISO date), None when indefinite or not a debarment;
        after it the entry is shown as expired and not matched as current.
    :param topics: what the entry is about beyond sanctions, such as ``role.pep`` (OpenSanctions).
    """

    source_id: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    programmes: tuple[str, ...] = ()
    listed_on: str | None = None
    remarks: str | None = None
    weak_aliases: tuple[str, ...] = ()
    approximate_birth: bool = False
    valid_until: str | None = None
    topics: tuple[str, ...] = ()

    def expired(self, today: str) -> bool:
        """True when the debarment ended before ``today`` (an ISO date)."""
        return bool(self.valid_until) and self.valid_until < today


@dataclass
class ListVersion:
    """A parsed list file: what it is, when it was published and what it holds.

    :param source: one of ``un``, ``ofac-sdn``, ``ofac-xml``, ``eu``, ``uk``, ``opensanctions``, ``worldbank``.
    :param published: publication date from inside the file where it has one, else None.
    :param sha256: SHA-256 of the raw input bytes (all files, in the order given).
    :param declared_count: the record count the file itself declares, if it declares one.
    :param published_basis: where ``published`` comes from: ``file`` (a date inside the file) or
        ``download`` (the file carries none, so the date it was downloaded, i.e. its modification time).
    """

    source: str
    published: date | None
    sha256: str
    entries: list[ListEntry] = field(default_factory=list)
    declared_count: int | None = None
    files: tuple[str, ...] = ()
    published_basis: str | None = None

    @property
    def count(self) -> int:
        return len(self.entries)


class ListFormatError(ValueError):
    """The file is not the format the importer reads, or it is truncated or malformed.

    The message is shown to the officer as is: say what is wrong in plain words.
    """
