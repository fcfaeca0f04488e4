"""Is it a real change? The XmR chart and the Making Data Count rules, exactly as NHSRplotthedots computes them.

The contract is the project's ``shared/spec/spc.md`` (checked against the R package
NHSRplotthedots 0.2.2); the section numbers below are its own. One function,
:func:`xmr`, takes a series and returns each point's mean, process limits, position
relative to the mean, special-cause label and point type, and for the series the
variation (the latest point's type), the assurance against a target and the
short-group warning. Pure Python with numpy and pandas: no streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

DIRECTIONS = ("increase", "decrease", "neutral")
LIMIT = 2.66  # process limits: mean +- 2.66 x average moving range
NEAR = 2 * (2.66 / 3)  # the band "close" to a limit starts at two sigma: 1.7733333333333334
SCREEN = 3.267  # moving ranges at or above 3.267 x their mean are left out of the average
RUN = 7  # points in a trend or a shift
SHORT_GROUP = 13  # a group of fewer points has provisional limits
COMMON = "Common Cause"


@dataclass(frozen=True)
class Chart:
    """An XmR chart: ``points`` (a row per point, date order), the series' ``variation``, ``assurance``
    and ``short_group_warning`` (see ``shared/spec/spc.md`` section 0)."""

    points: pd.DataFrame
    variation: str
    assurance: str | None
    short_group_warning: bool


def xmr(
    values: Sequence[float],
    dates: Sequence | None = None,
    *,
    direction: str = "increase",
    target: float | None = None,
    rebase: Iterable = (),
    fix_after_n_points: float | None = None,
    screen_outliers: bool = True,
) -> Chart:
    """The XmR chart of a series, labelled by the Making Data Count rules.

    ``values`` in any order with their ``dates`` (default 1..n); ``rebase``: the dates at which a
    new group starts; ``direction``: "increase" (higher is better), "decrease" or "neutral";
    ``target``: for assurance only; ``fix_after_n_points``: limits from each group's first n
    points (n >= 12); ``screen_outliers``: leave large moving ranges out of the average.
    Bad input raises ValueError saying what is wrong.
    """
    values = [float(v) for v in values]
    dates = list(range(1, len(values) + 1)) if dates is None else list(dates)
    _check(values, dates, direction, fix_after_n_points)
    order = sorted(range(len(values)), key=lambda i: dates[i])
    y = np.array([values[i] for i in order], dtype=float)
    when = [dates[i] for i in order]
    starts = set(rebase)
    group = np.cumsum([1 if d in starts else 0 for d in when]) if len(when) else np.array([], dtype=int)
    columns: dict[str, list] = {
        name: [] for name in ("mean", "lpl", "upl", "relative_to_mean", "close", "outside", "special_cause", "warn")
    }
    for g in dict.fromkeys(group.tolist()):
        at = np.flatnonzero(group == g)
        part = _group(y[at], fix_after_n_points, screen_outliers)
        for name, column in part.items():
            columns[name] += list(column)
    points = pd.DataFrame(
        {
            "date": when,
            "value": y,
            "group": group.astype(int),
            "mean": columns["mean"],
            "lpl": columns["lpl"],
            "upl": columns["upl"],
            "relative_to_mean": columns["relative_to_mean"],
            "close": pd.array(columns["close"], dtype="boolean"),
            "outside": pd.array(columns["outside"], dtype="boolean"),
            "special_cause": columns["special_cause"],
            "point_type": [_point_type(label, direction) for label in columns["special_cause"]],
            "short_group_warning": columns["warn"],
        }
    )
    variation = points["point_type"].iloc[-1] if len(points) else "common_cause"
    assurance = _assurance(points, direction, target)
    return Chart(points, variation, assurance, bool(points["short_group_warning"].any()))


def _check(values: list[float], dates: list, direction: str, fix: float | None) -> None:
    if len(values) != len(dates):
        raise ValueError(f"{len(values)} values but {len(dates)} dates: give one date per value")
    if any(math.isnan(v) for v in values):
        raise ValueError("a value is missing: leave a quarter that cannot be used out of the series")
    if len(set(dates)) != len(dates):
        raise ValueError("two values have the same date: each date may appear once")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction should be increase, decrease or neutral, not '{direction}'")
    if fix is not None and not (fix >= 12):
        raise ValueError("fix_after_n_points must be a single numeric that is greater than or equal to 12.")


def _group(y: np.ndarray, fix: float | None, screen: bool) -> dict[str, list]:
    """Every column of one rebase group (sections 3 to 9)."""
    n = len(y)
    k = n if fix is None or math.isinf(fix) else min(n, math.floor(fix))
    baseline = y[:k]
    mean = r_mean(baseline)
    ranges = [abs(float(baseline[j]) - float(baseline[j - 1])) for j in range(1, k)]
    amr = r_mean(ranges)
    if screen:
        amr = r_mean([m for m in ranges if m < SCREEN * amr])
    lpl, upl = mean - LIMIT * amr, mean + LIMIT * amr
    near_low, near_high = mean - NEAR * amr, mean + NEAR * amr
    rtm = [int(np.sign(v - mean)) for v in y]
    if math.isnan(lpl):
        outside: list = [None] * n
        close: list = [None] * n
    else:
        outside = [bool(v > upl or v < lpl) for v in y]
        close = [bool(not out and (v < near_low or v > near_high)) for v, out in zip(y, outside)]
    trend = _trend(y)
    two_in_three = _two_in_three(close, rtm)
    shift = _shift(rtm)
    labels = []
    for i in range(n):
        if outside[i]:
            labels.append("Above UCL" if rtm[i] == 1 else "Below LCL")
        elif trend[i] is not None:
            labels.append(f"7 Point Trend ({'Increasing' if trend[i] == 1 else 'Decreasing'})")
        elif two_in_three[i]:
            labels.append("2 in 3 Above CL" if rtm[i] > 0 else "2 in 3 Below CL")
        elif shift[i]:
            labels.append("7 Points Above CL" if rtm[i] > 0 else "7 Points Below CL")
        else:
            labels.append(COMMON)
    return {
        "mean": [mean] * n,
        "lpl": [lpl] * n,
        "upl": [upl] * n,
        "relative_to_mean": rtm,
        "close": close,
        "outside": outside,
        "special_cause": labels,
        "warn": [n < SHORT_GROUP] * n,
    }


def _trend(y: np.ndarray) -> list[int | None]:
    """Section 8.2: each point's trend direction (+1 or -1) where it is in a 7-point trend, else None."""
    n = len(y)
    steps = [float(y[j] - y[j - 1]) for j in range(1, n)]
    inside = [False] * n
    for end in range(RUN - 1, n):
        run = steps[end - RUN + 1 : end]  # the six steps into y[end-5..end]
        if all(s > 0 for s in run) or all(s < 0 for s in run):
            for i in range(end - RUN + 1, end + 1):
                inside[i] = True
    directions: list[int | None] = []
    for i in range(n):
        if not inside[i]:
            directions.append(None)
            continue
        step = y[i + 1] - y[i] if i + 1 < n and inside[i + 1] else y[i] - y[i - 1]
        directions.append(1 if step > 0 else -1)  # a step of 0 reads Decreasing, as R does
    return directions


def _two_in_three(close: list, rtm: list[int]) -> list[bool]:
    """Section 8.3: close points in a window of three on one side of the mean with two close."""
    n = len(rtm)
    flagged = [False] * n
    for s in range(n - 2):
        window = range(s, s + 3)
        sides = {rtm[i] for i in window}
        if sum(1 for i in window if close[i]) >= 2 and len(sides) == 1 and 0 not in sides:
            for i in window:
                if close[i]:
                    flagged[i] = True
    return flagged


def _shift(rtm: list[int]) -> list[bool]:
    """Section 8.4: points in a run of seven on one side of the mean (a point on the mean breaks it)."""
    n = len(rtm)
    inside = [False] * n
    for end in range(RUN - 1, n):
        run = rtm[end - RUN + 1 : end + 1]
        if run[0] != 0 and all(side == run[0] for side in run):
            for i in range(end - RUN + 1, end + 1):
                inside[i] = True
    return inside


def _point_type(label: str, direction: str) -> str:
    """Section 11."""
    if label == COMMON:
        return "common_cause"
    up = "Above" in label or "Increasing" in label
    if direction == "neutral":
        return "special_cause_neutral_high" if up else "special_cause_neutral_low"
    good = up if direction == "increase" else not up
    return "special_cause_improvement" if good else "special_cause_concern"


def _assurance(points: pd.DataFrame, direction: str, target: float | None) -> str | None:
    """Section 12: against the latest point's limits; None without a target or for a neutral direction."""
    if target is None or direction == "neutral" or not len(points):
        return None
    lpl, upl = points["lpl"].iloc[-1], points["upl"].iloc[-1]
    if target > upl:
        return "consistent_fail" if direction == "increase" else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if direction == "increase" else "consistent_fail"
    return "inconsistent"  # on a limit, inside them, or no limits at all


# -- R's mean, exactly (section 4) ------------------------------------------------------------


def r_mean(values: Sequence[float]) -> float:
    """R's ``mean()`` of doubles: two passes in 80-bit extended precision, then rounded to a double."""
    xs = [Fraction(float(v)) for v in values]
    n = len(xs)
    if not n:
        return math.nan
    total = Fraction(0)
    for x in xs:
        total = _extended(total + x)
    mean = _extended(total / n)
    correction = Fraction(0)
    for x in xs:
        correction = _extended(correction + _extended(x - mean))
    return float(_extended(mean + _extended(correction / n)))


def _extended(value: Fraction) -> Fraction:
    """Round to 64 significant bits, half to even: the x87 extended precision R's mean works in."""
    if value == 0:
        return value
    sign, size = (1, value) if value > 0 else (-1, -value)
    exponent = size.numerator.bit_length() - size.denominator.bit_length()
    if Fraction(2) ** exponent > size:
        exponent -= 1
    scale = Fraction(2) ** (63 - exponent)
    scaled = size * scale
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * rest
    if twice > scaled.denominator or (twice == scaled.denominator and whole % 2):
        whole += 1
    return sign * Fraction(whole) / scale
