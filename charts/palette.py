"""Colours: colourblind-safe (Okabe and Ito), with a stable colour per member.

A member keeps its colour whatever the filter: colours are given in the
order of the whole registry (by code), not of the members on screen.
"""

from __future__ import annotations

from common.words import COMBINED, OTHERS

# Okabe-Ito, reordered so neighbours contrast; black is kept for the combined line.
MEMBER_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
COMBINED_COLOUR = "#000000"
OTHERS_COLOUR = "#BDBDBD"  # "Other members": the members a chart does not name, added together
NEUTRAL = "#6B6B6B"
AGE_GROUP_COLOURS = {"under_18": "#CC79A7", "18_to_25": "#E69F00", "26_plus": "#0072B2"}
STATUS_COLOURS = {"in": "#009E73", "superseded": "#56B4E9", "missing": "#D55E00", "not_required": "#BBBBBB"}
STATUTORY_COLOURS = {"statutory": "#0072B2", "charitable": "#E69F00"}


def member_colours(all_codes: list[str]) -> dict[str, str]:
    """Colour per member code, stable for a registry; past eight members colours repeat."""
    ordered = sorted(all_codes)
    colours = {code: MEMBER_COLOURS[i % len(MEMBER_COLOURS)] for i, code in enumerate(ordered)}
    colours[COMBINED] = COMBINED_COLOUR
    colours[OTHERS] = OTHERS_COLOUR
    return colours


# Income streams: statutory in blues, charitable in the warm and green colours.
STREAM_COLOURS = {
    "nhs_contracts": "#0072B2",
    "other_statutory": "#56B4E9",
    "donations": "#E69F00",
    "trusts_grants": "#F0E442",
    "legacies": "#CC79A7",
    "retail": "#D55E00",
    "lottery": "#009E73",
    "investment": "#882255",
    "other": "#999999",
}
