"""A diff told for a terminal: the requisites and clauses that changed, the
sections renamed, then each item added, removed or changed (words struck out
in red, added in green when ``colour``), renumbering alone summed up in a
line rather than a line a row."""

from __future__ import annotations

import click

from pipeline.lang.numerals import count
from schemas.diff import FieldChange, ItemDiff, ItemRef, OrderDiff


def _words(change: FieldChange, colour: bool) -> str:
    if not change.words:
        return f"«{change.before}» → «{change.after}»"
    out = []
    for piece in change.words:
        if piece.op == "same":
            out.append(piece.text)
        elif colour:
            out.append(click.style(piece.text, fg="red" if piece.op == "del" else "green", strikethrough=piece.op == "del"))
        else:
            out.append(f"[-{piece.text}-]" if piece.op == "del" else f"{{+{piece.text}+}}")
    return "".join(out)


def _name(ref: ItemRef) -> str:
    number = (ref.number or "").rstrip(".")
    text = ref.activity if len(ref.activity) <= 70 else ref.activity[:69] + "…"
    return f"пункт {number} «{text}»" if number else f"строка {ref.index + 1} «{text}»"


def _item_lines(item: ItemDiff, colour: bool) -> list[str]:
    mark = lambda sign, fg: click.style(sign, fg=fg, bold=True) if colour else sign  # noqa: E731
    if item.kind == "added":
        return [f"{mark('+', 'green')} добавлен {_name(item.new)}" + (f" (раздел «{item.new.section}»)" if item.new.section else "")]
    if item.kind == "removed":
        return [f"{mark('-', 'red')} удалён {_name(item.old)}"]
    lines = [f"{mark('~', 'yellow')} {_name(item.old)}" + (f" → № {item.new.number.rstrip('.')}" if "renumbered" in item.events and item.new.number else "")]
    for change in item.fields:
        if change.field == "number":
            continue
        if change.field == "section":
            lines.append(f"    перенесён в раздел «{change.after}» (был «{change.before}»)")
        else:
            lines.append(f"    {change.label}: {_words(change, colour)}")
    if item.deadline:
        before = item.deadline.before.text if item.deadline.before else "—"
        after = item.deadline.after.text if item.deadline.after else "—"
        lines.append(f"    срок: «{before}» → «{after}» — {item.deadline.summary}")
    for party in item.parties_added:
        lines.append(f"    {mark('+', 'green')} ответственный: {party.name}")
    for party in item.parties_removed:
        lines.append(f"    {mark('-', 'red')} ответственный: {party.name}")
    return lines


def render(diff: OrderDiff, colour: bool = False) -> str:
    lines = [f"Сравнение: {diff.old.path} → {diff.new.path}"]
    for change in diff.requisites:
        lines.append(f"реквизиты, {change.label}: «{change.before}» → «{change.after}»")
    for change in diff.clauses:
        lines.append(f"{change.label}: {_words(change, colour) if change.before and change.after else ('добавлен: ' + change.after if change.after else 'удалён: ' + change.before)}")
    for rename in diff.sections_renamed:
        lines.append(f"раздел переименован: «{rename.before}» → «{rename.after}»")
    renumbered_only = [i for i in diff.items if i.kind == "changed" and i.events == ["renumbered"]]
    for item in diff.items:
        if item.kind == "unchanged" or item in renumbered_only:
            continue
        lines += _item_lines(item, colour)
    if renumbered_only:
        pairs = ", ".join(f"{(i.old.number or '').rstrip('.')}→{(i.new.number or '').rstrip('.')}" for i in renumbered_only[:12])
        more = "…" if len(renumbered_only) > 12 else ""
        lines.append(f"перенумерованы без других изменений: {count(len(renumbered_only), 'пункт')} ({pairs}{more})")
    c = diff.counts
    lines.append(
        f"Итого пунктов: изменено {c.get('changed', 0)}, добавлено {c.get('added', 0)}, "
        f"удалено {c.get('removed', 0)}, без изменений {c.get('unchanged', 0)}"
    )
    return "\n".join(lines) + "\n"
