"""Synthetic collaboratives for the benchmark, written through the real template.

Figures are plausible and consistent (FTE under headcount, new patients
under patients supported, deaths in preferred place under those recorded),
so every generated return passes validation and the benchmark measures the
accepted path, which is the one that writes.
"""

from __future__ import annotations

import random
from pathlib import Path

from contract.periods import quarter_label
from contract.returns import AGE_GROUPS, ALL, EXPENDITURE_LINES, INCOME_STREAMS, STAFF_GROUPS
from loaders.template import write_template
from store.members import Member

SCALES = {"demo": (5, 12), "national": (250, 40)}  # members, quarters
FIRST_FY = {"demo": 2022, "national": 2015}


def members_for(count: int) -> list[Member]:
    if count == 5:
        names = ["Ashgrove", "Birchfield", "Elmstead", "Oakbridge", "Willowmere"]
        return [
            Member(n[:3].upper(), f"{n} Hospice (synthetic)", "children" if i == 4 else "adult", "Bench")
            for i, n in enumerate(names)
        ]
    return [
        Member(f"M{i:03d}", f"Synthetic Hospice {i:03d}", "children" if i % 5 == 4 else "adult", f"Region {i % 7 + 1}")
        for i in range(count)
    ]


def figures_for(member: Member, quarter_index: int, seed: int) -> dict[tuple[str, str], float]:
    rng = random.Random(f"{member.code}-{quarter_index}-{seed}")  # str seeds are stable across runs
    size = 0.5 + (sum(map(ord, member.code)) % 10) / 10  # 0.5 to 1.4, stable per member
    wobble = lambda: rng.uniform(0.9, 1.1)
    figures: dict[tuple[str, str], float] = {}
    for stream, base in zip(
        (s.key for s in INCOME_STREAMS),
        (2_000_000, 200_000, 700_000, 150_000, 600_000, 1_100_000, 300_000, 50_000, 30_000),
    ):
        figures[("income", stream)] = round(base * size * wobble() / 4)
    for line, base in zip((e.key for e in EXPENDITURE_LINES), (3_500_000, 1_100_000, 400_000)):
        figures[("expenditure", line)] = round(base * size * wobble() / 4)
    for group, base in zip((g.key for g in STAFF_GROUPS), (8, 90, 70, 12, 14, 60, 30)):
        headcount = round(base * size * wobble())
        figures[("headcount", group)] = headcount
        figures[("fte", group)] = round(headcount * rng.uniform(0.65, 0.9), 1)
        figures[("vacancies", group)] = round(headcount * rng.uniform(0, 0.08), 1)
    figures[("volunteers", ALL)] = round(700 * size * wobble())
    figures[("volunteer_hours", ALL)] = round(figures[("volunteers", ALL)] * rng.uniform(20, 30))
    beds = round(14 * size)
    figures[("ipu_beds", ALL)] = beds
    figures[("ipu_bed_days_available", ALL)] = beds * 91
    figures[("hah_capacity", ALL)] = round(40 * size)
    figures[("day_places", ALL)] = round(30 * size)
    children = member.type == "children"
    for age, share in zip((a.key for a in AGE_GROUPS), (0.9, 0.1, 0.0) if children else (0.0, 0.03, 0.97)):
        _activity(figures, age, share, size, beds, 0.6 if children else 0.8, rng)
    return figures


def _activity(
    figures: dict, age: str, share: float, size: float, beds: int, occupancy: float, rng: random.Random
) -> None:
    patients = round(600 * share * size * rng.uniform(0.9, 1.1))
    deaths = round(patients * 0.25)
    recorded = round(deaths * 0.85)
    occupied = round(beds * 91 * occupancy * share)
    values = {
        "patients_supported": patients,
        "new_patients": round(patients * 0.4),
        "new_referrals": round(patients * 0.5),
        "ipu_admissions": round(occupied / 11),
        "ipu_occupied_bed_days": occupied,
        "hah_visits": round(2_500 * share * size),
        "community_contacts": round(3_000 * share * size),
        "day_attendances": round(350 * share * size),
        "family_supported": round(450 * share * size),
        "bereavement_clients": round(160 * share * size),
        "deaths": deaths,
        "deaths_preference_recorded": recorded,
        "deaths_in_preferred_place": round(recorded * 0.8),
    }
    for measure, value in values.items():
        figures[(measure, age)] = value


def write_collaborative(
    scale: str, folder: Path, seed: int = 1, roster: list[Member] | None = None
) -> tuple[list[Member], list[Path]]:
    """Write every return of the scale (or of ``roster``, part of it) into ``folder``.

    Files already there are kept: the same seed writes the same figures.
    """
    count, quarters = SCALES[scale]
    folder.mkdir(parents=True, exist_ok=True)
    roster = roster or members_for(count)
    first = FIRST_FY[scale] * 4
    paths = []
    for index in range(first, first + quarters):
        for member in roster:
            path = folder / f"{member.code} {quarter_label(index).replace('/', '-')}.xlsx"
            if not path.exists():
                fy, q = divmod(index, 4)
                path.write_bytes(write_template(member, fy, q + 1, figures_for(member, index, seed)))
            paths.append(path)
    return roster, paths
