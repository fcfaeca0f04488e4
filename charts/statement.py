"""The "one voice" statement: the headline figures as one plain-English sentence.

Words only: every number comes from ``metrics.summary`` and is written by
``metrics.format``, so the sentence a coordinator pastes into a board paper
says exactly what the tiles and the deck say.
"""

from __future__ import annotations

from common.words import join_and
from metrics import format as fmt

NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def number_word(n: int) -> str:
    """``5`` -> ``five`` (up to twelve, as a reader would write it), else ``13``."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def statement(summary: dict, collaborative: str, *, noun: str = "hospices") -> str:
    """``In 2024/25 the five hospices of Northvale cared for 10,090 people, with ...``.

    ``summary`` is ``metrics.summary(...)``. A figure nobody reported is left out
    of the sentence rather than written as zero, and an incomplete period says so.
    """
    count = summary.get("members_reporting") or 0
    if count == 0:
        return f"{collaborative} has no returns for {summary['period']} yet."
    who = f"the {number_word(count)} {noun if count > 1 else noun.rstrip('s')} of {collaborative}"
    sentence = f"In {summary['period']} {who}"
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
    return sentence
