"""Views of an order for people: who does what."""

from __future__ import annotations

from schemas import Order


def parties_view(order: Order) -> list[dict]:
    """Each canonical party (by key) with the items it is responsible for,
    in order of first appearance."""
    parties: dict[str, dict] = {}
    for index, roadmap in enumerate(order.roadmaps):
        for position, item in enumerate(roadmap.items):
            for party in item.responsibles:
                key = party.key or party.text
                entry = parties.setdefault(
                    key,
                    {"key": key, "name": party.name, "abbreviation": party.abbreviation, "kind": party.kind,
                     "basis": party.basis, "forms": [], "items": []},
                )
                if party.text not in entry["forms"]:
                    entry["forms"].append(party.text)
                entry["abbreviation"] = entry["abbreviation"] or party.abbreviation
                deadline = item.deadline
                entry["items"].append(
                    {
                        "roadmap": index,
                        "index": position,
                        "section": item.section,
                        "number": item.number,
                        "activity": item.activity,
                        "deadline": deadline.text if deadline else None,
                        "start": deadline.start.isoformat() if deadline and deadline.start else None,
                        "end": deadline.end.isoformat() if deadline and deadline.end else None,
                        "note": party.note,
                    }
                )
    return list(parties.values())
