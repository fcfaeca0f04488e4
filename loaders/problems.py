"""Problems found in a return: errors refuse the file, warnings never do."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from loaders.values import describe

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    severity: str
    file: str
    where: str  # "Income!B7", a sheet name, or "" for the whole file
    found: str  # the value found, as the user sees it; "" when there is none
    message: str  # what is wrong and what was expected, in plain words

    def __str__(self) -> str:
        """``Activity!D5: 'Inpatient admissions' (26 and over) is negative ... Found: -4.``: place, problem, value."""
        place = f"{self.where}: " if self.where else ""
        found = f" Found: {self.found}." if self.found and self.found not in self.message else ""
        return f"{place}{self.message}{found}"


class HasProblems:
    """Errors and warnings of anything that keeps a ``problems`` list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


class CollectsProblems(HasProblems):
    """A file being read: ``error`` and ``warn`` add a problem at a place, with the value found as the user sees it."""

    file_name: str

    def error(self, where: str, found: object, message: str) -> None:
        self.problems.append(Problem(ERROR, self.file_name, where, _shown(found), message))

    def warn(self, where: str, found: object, message: str) -> None:
        self.problems.append(Problem(WARNING, self.file_name, where, _shown(found), message))


def _shown(value: object) -> str:
    return "" if value is None else describe(value)


def as_table(problems: list[Problem]) -> pd.DataFrame:
    """Columns: file, severity, where, found, problem; errors first."""
    rows = [
        (p.file, p.severity, p.where, p.found, p.message)
        for p in sorted(problems, key=lambda p: (p.file, p.severity != ERROR))
    ]
    return pd.DataFrame(rows, columns=["file", "severity", "where", "found", "problem"])
