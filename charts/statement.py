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
    sentence += "." + together(summary.get("joint_work"), alone=count == 1)
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


def together(joint: dict | None, *, alone: bool = False) -> str:
    """`` Together they ran 9 joint projects, won £1.2m in joint bids and funding and trained 420 people.``

    From the summary's ``joint_work`` (counted projects only); an outcome no counted project
    reported is left out, never written as zero, and so is a reported 0 (a sentence to
    commissioners does not boast of nothing); nothing when no project counts. ``alone``:
    the sentence is about one member (``It took part in 3 joint projects ...``).
    """
    count = (joint or {}).get("joint_projects") or 0
    if not count:
        return ""
    projects = f"{number_word(count)} joint project{'s' if count != 1 else ''}"
    parts = [f"took part in {projects}" if alone else f"ran {projects}"]
    if joint.get("money_won"):
        parts.append(f"won {fmt.money(joint['money_won'])} in joint bids and funding")
    if joint.get("money_saved"):
        parts.append(f"saved {fmt.money(joint['money_saved'])}")
    if joint.get("bed_days_shared"):
        parts.append(f"shared {fmt.count(joint['bed_days_shared'])} bed days")
    if joint.get("people_trained"):
        parts.append(f"trained {fmt.count(joint['people_trained'])} people")
    return (" It " if alone else " Together they ") + join_and(parts) + "."
