"""Templates for everyone: one zip of each member's blank return for a quarter, for the Data page.

The zip is made only when the button is pressed (``loaders.template.templates_zip``);
only the members of the collaborative in that quarter get a template.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from contract.periods import quarter_label, split_index, year_label
from loaders.template import members_in, templates_zip
from store.members import Member
from ui import access, cached
from ui.records import _next_quarter, _template_quarters


def all_templates_download(key: str = "data") -> None:
    """A quarter, and a zip of every member's blank return for it, each with its cover filled in (coordinators)."""
    if not access.person().is_coordinator:  # every member's name is in the zip
        return
    registry = _members(cached.registry())
    if not registry:
        st.info("Add a member first: each member of the collaborative gets its own template.")
        return
    options = _template_quarters()
    index = st.selectbox(
        "Quarter", options, index=_next_quarter(options), format_func=quarter_label, key=f"{key}_all_templates_quarter"
    )
    fy, quarter = split_index(index)
    due = members_in(registry, fy, quarter)
    if not due:
        st.info(f"No member belongs to the collaborative in {quarter_label(index)}.")
        return
    st.download_button(
        "Download every member's blank return (zip)",
        lambda: templates_zip(due, fy, quarter),
        file_name=f"blank_returns_{year_label(fy).replace('/', '-')}_Q{quarter}.zip",
        key=f"{key}_all_templates",
        on_click="ignore",
        mime="application/zip",
        icon=":material/download:",
        help=f"{len(due)} workbooks, one for each member of the collaborative in {quarter_label(index)}",
    )


def _members(frame: pd.DataFrame) -> list[Member]:
    """The registry's rows as members, with the quarters they joined and left (``None`` for none)."""
    return [
        Member(
            row["code"],
            row["name"],
            row["type"],
            _or_none(row["place"]),
            _or_none(row["joined"], int),
            _or_none(row["left"], int),
        )
        for _, row in frame.iterrows()
    ]


def _or_none(value, kind=str):
    return None if pd.isna(value) else kind(value)
