"""The "one voice" statement: the headline figures as one plain-English sentence.

Words only: every number comes from ``metrics.summary`` and is written by
``metrics.format``, so the sentence a coordinator pastes into a board paper
says exactly what the tiles and the deck say.
"""

from __future__ import annotations

from common.words import join_and
from metrics import format as fmt
from metrics.definitions import FIGURES

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def number_word(n: int) -> str:
    """``5`` -> ``five`` (up to twelve, as a reader would write it), else ``13``."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


STATED = ("people_supported", "staff_headcount", "volunteers", "income_total", "statutory_share")


def statement(summary: dict, collaborative: str, *, noun: str = "hospices", members_in: int | None = None) -> str:
    """``In 2024/25 the five hospices of Northvale cared for 10,090 people, with ...``.

    ``summary`` is ``metrics.summary(...)``. A figure nobody reported is left out
    of the sentence rather than written as zero; an incomplete period and a partial
    figure say so. ``members_in``: how many members the collaborative has in the period
    (default: the members the summary expects), so a sentence about some of them says
    "two of the five hospices"; a sentence about one member names it.
    """
    count = summary.get("members_reporting") or 0
    if count == 0:
        return f"{collaborative} has no returns for {summary['period']} yet."
    sentence = f"In {summary['period']} {_who(summary, collaborative, noun, count, members_in)}"
    people = summary.get("people_supported")
    sentence += f" cared for {fmt.count(people)} people" if people is not None else " reported"
    resources = []
    if summary.get("staff_headcount") is not None:
        resources.append(f"{fmt.count(summary['staff_headcount'])} staff")
    if summary.get("volunteers") is not None:
        resources.append(f"{fmt.count(summary['volunteers'])} volunteers")
    if summary.get("income_total") is not None:
        income = f"{fmt.money(summary['income_total'])} of income"
        if summary.get("statutory_share") is not None:
            income += f", {fmt.percent(summary['statutory_share'])} of it from the NHS and other public funds"
        resources.append(income)
    if resources:
        sentence += (", with " if people is not None else " ") + join_and(resources)
    sentence += "."
    if not summary.get("complete", True):
        missing = summary.get("missing") or []
        shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        sentence += (
            f" These figures are incomplete: returns still to come from {shown}."
            if missing
            else " These figures are incomplete."
        )
    return sentence + _partial(summary)


def _who(summary: dict, collaborative: str, noun: str, count: int, members_in: int | None) -> str:
    """``the five hospices of X``, ``two of the five hospices of X`` or the one member's name."""
    reporting = [member for member in (summary.get("by_member") or {}).values() if member.get("quarters_reported")]
    if count == 1 and len(reporting) == 1:
        return reporting[0]["name"]
    total = max(members_in or 0, summary.get("members_expected") or 0, count)
    if count < total:
        return f"{number_word(count)} of the {number_word(total)} {noun} of {collaborative}"
    return f"the {number_word(count)} {noun if count > 1 else noun.rstrip('s')} of {collaborative}"


def _partial(summary: dict) -> str:
    """`` Partial figures, left blank in a return that is in: active volunteers (ELM 2024/25 Q2).``, or nothing."""
    partial = summary.get("partial") or {}
    parts = [
        f"{FIGURES[key].label.lower()} ({join_and(partial[key][:3])}"
        + (f" and {len(partial[key]) - 3} more)" if len(partial[key]) > 3 else ")")
        for key in STATED
        if key in partial and summary.get(key) is not None
    ]
    if not parts:
        return ""
    return f" Partial figures, left blank in a return that is in: {'; '.join(parts)}."
