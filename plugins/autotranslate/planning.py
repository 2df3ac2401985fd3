"""Pivot planning: in which order targets are filled and when a remembered entry will do.

Pure: entries in, decisions out. French is derived from the English of the same
sentence (the Argos index has no ar→fr), so the pivot is filled first, and a derived
entry goes out of date when the pivot text it came from changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from .memory import Entry, Status, checksum


def ordered_targets(targets: Iterable[str], pivot: str | None) -> list[str]:
    """Return the targets with the pivot first, so the others can be derived from it.

    >>> ordered_targets(("fr", "en", "es"), "en")
    ['en', 'fr', 'es']
    """
    return sorted(targets, key=lambda lang: lang != pivot)


def is_current(entry: Entry | None, pivot_html: str, pivoted: bool) -> bool:
    """Tell whether a remembered entry can be shown without asking the engine.

    >>> is_current(Entry("س", "Text", Status.MACHINE, pivot_checksum=checksum("old")), "new", True)
    False
    >>> is_current(Entry("س", "Texte", Status.REVIEWED), "anything", True)
    True
    """
    if entry is None or entry.status is Status.MISSING:
        return False
    if entry.status is Status.REVIEWED:
        return True
    if not entry.text:
        return False
    # A pivoted entry is outdated when its pivot changed (e.g. corrected by a person).
    return not (pivoted and pivot_html and entry.pivot_checksum != checksum(pivot_html))


def provenance_label(label: str, pivot_entry: Entry | None, pivot: str | None) -> str:
    """Return the label stored with a machine entry, naming the pivot step if there was one.

    >>> provenance_label("argos translate-en_fr 1.9", None, None)
    'argos translate-en_fr 1.9'
    >>> provenance_label("argos translate-en_fr 1.9", Entry("س", "Text", Status.REVIEWED), "en")
    'reviewed en + argos translate-en_fr 1.9'
    """
    if pivot is None:
        return label
    if pivot_entry and pivot_entry.status is not Status.REVIEWED and pivot_entry.provenance:
        return f"{pivot_entry.provenance} + {label}"
    return f"reviewed {pivot} + {label}"
