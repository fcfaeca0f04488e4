"""The demo collaborative's joint work register: ten projects over three years, every kind.

Written as a register workbook by the real template writer and loaded through the
real reader (``loaders.joint_work``), so the demo takes the path a coordinator's
tracker takes. Some outcomes are left blank on purpose (not reported), a planned
project has none, and one project has no outcomes at all (a consultation response),
so the page shows what "not reported" looks like.
"""

from __future__ import annotations

from contract.joint_work import Outcome, Project, Register
from contract.periods import quarter_index

ALL = ("ASH", "BIR", "ELM", "OAK", "WIL")
FILE_NAME = "demo joint work register.xlsx"


def _q(fy: int, quarter: int) -> int:
    return quarter_index(fy, quarter)


PROJECTS = (
    Project(
        "Northvale palliative care education programme",
        "education",
        ALL,
        _q(2022, 1),
        "active",
        lead="WIL",
        description="One programme of courses for hospice, care home and district nursing staff across Northvale.",
        all_members=True,
    ),
    Project(
        "Shared palliative medicine consultant",
        "shared_post",
        ("ASH", "ELM", "WIL"),
        _q(2022, 3),
        "active",
        lead="ASH",
        description="A consultant post shared by three hospices, covering each unit's ward rounds and advice line.",
    ),
    Project(
        "Light Up a Life joint appeal",
        "fundraising",
        ("ASH", "BIR", "ELM", "WIL"),
        _q(2022, 3),
        "active",
        lead="ELM",
        description="One winter remembrance appeal and event programme, income shared by where donors live.",
    ),
    Project(
        "Bereavement support network",
        "other",
        ("BIR", "ELM", "OAK"),
        _q(2022, 2),
        "stopped",
        lead="OAK",
        end=_q(2023, 1),
        description="Shared bereavement groups for families; stopped when the ICB commissioned a county service.",
    ),
    Project(
        "24/7 end of life single point of contact",
        "joint_bid",
        ALL,
        _q(2023, 1),
        "active",
        lead="BIR",
        description="Won together from the ICB: one number, day and night, for patients, families and professionals.",
        link="https://example.org/northvale/single-point-of-contact",
        all_members=True,
    ),
    Project(
        "Joint energy and clinical supplies contract",
        "procurement",
        ALL,
        _q(2023, 1),
        "active",
        lead="BIR",
        description="Energy, clinical consumables and waste bought as one collaborative.",
        all_members=True,
    ),
    Project(
        "Beds for Elmfield patients during ward refurbishment",
        "shared_capacity",
        ("BIR", "ELM"),
        _q(2023, 2),
        "complete",
        lead="BIR",
        end=_q(2023, 4),
        description="Birchwood admitted Elmfield's patients while Elmfield's ward was rebuilt.",
    ),
    Project(
        "One response to the ICB palliative care strategy",
        "system_voice",
        ALL,
        _q(2023, 3),
        "complete",
        lead="ASH",
        end=_q(2023, 4),
        description="A single response from the collaborative to the ICB's draft all-age palliative care strategy.",
        all_members=True,
    ),
    Project(
        "Transition service for young adults",
        "shared_post",
        ("OAK", "WIL"),
        _q(2024, 1),
        "active",
        lead="OAK",
        description="A shared nurse who supports young people moving from children's to adult hospice care.",
    ),
    Project(
        "Virtual ward bid",
        "joint_bid",
        ("ASH", "ELM"),
        _q(2025, 2),
        "planned",
        lead="ELM",
        description="A bid being prepared with the ICB for a hospice-led virtual ward.",
    ),
)


def _outcomes() -> tuple[Outcome, ...]:
    rows: list[Outcome] = []

    def add(title: str, fy: int, quarter: int, measure: str, value: float) -> None:
        rows.append(Outcome(title, _q(fy, quarter), measure, value))

    education = "Northvale palliative care education programme"
    trained = [64, 71, 88, 52, 79, 93, 110, 68, 97, 104, 126, 0]  # 2024/25 Q4: no courses ran
    for i, people in enumerate(trained):
        fy, quarter = 2022 + i // 4, i % 4 + 1
        if (fy, quarter) != (2023, 3):  # not reported: the course records were late
            add(education, fy, quarter, "people_trained", people)
    add(education, 2023, 1, "money_won", 45_000)  # Health Education England grant
    consultant = "Shared palliative medicine consultant"
    for i in range(10):
        fy, quarter = 2022 + (i + 2) // 4, (i + 2) % 4 + 1
        add(consultant, fy, quarter, "staff_shared_fte", 1.0 if fy < 2024 else 1.6)
    for fy in (2022, 2023, 2024):
        add(consultant, fy, 4, "money_saved", 38_000 + 6_000 * (fy - 2022))  # agency locums not needed
    appeal = "Light Up a Life joint appeal"
    for fy, won, reached in ((2022, 84_500, 2_900), (2023, 96_200, 3_400), (2024, 104_800, 3_750)):
        add(appeal, fy, 3, "money_won", won)
        add(appeal, fy, 3, "people_reached", reached)
    bereavement = "Bereavement support network"
    for i, reached in enumerate([120, 146, 151, 139]):
        add(bereavement, 2022 + (i + 1) // 4, (i + 1) % 4 + 1, "people_reached", reached)
    spoc = "24/7 end of life single point of contact"
    add(spoc, 2023, 1, "money_won", 1_200_000)
    for i, reached in enumerate([310, 356, 402, 415, 448, None, 471, 502]):
        if reached is not None:  # 2024/25 Q2 not reported: the call system was replaced
            add(spoc, 2023 + i // 4, i % 4 + 1, "people_reached", reached)
    supplies = "Joint energy and clinical supplies contract"
    for i, saved in enumerate([18_400, 19_100, 21_700, 20_900, 22_300, 23_800, 24_100, 23_500]):
        add(supplies, 2023 + i // 4, i % 4 + 1, "money_saved", saved)
    beds = "Beds for Elmfield patients during ward refurbishment"
    for quarter, days in ((2, 410), (3, 520), (4, 385)):
        add(beds, 2023, quarter, "bed_days_shared", days)
        add(beds, 2023, quarter, "people_reached", round(days / 13))
    transition = "Transition service for young adults"
    for quarter, (fte, reached) in enumerate([(0.8, 18), (0.8, 22), (0.8, None), (1.0, 25)], start=1):
        add(transition, 2024, quarter, "staff_shared_fte", fte)
        if reached is not None:
            add(transition, 2024, quarter, "people_reached", reached)
    return tuple(rows)


REGISTER = Register(PROJECTS, _outcomes())
