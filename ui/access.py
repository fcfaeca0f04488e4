"""Who is using the app, and what they may see and do.

Two ways to run, both explicit:

* **On one computer** (the default): the server listens on 127.0.0.1 only
  (``.streamlit/config.toml``), there is no sign-in, and the person at the
  computer is the coordinator.
* **Shared with the collaborative**: when ``.streamlit/secrets.toml`` has an
  ``[auth]`` section, every page requires sign-in with Streamlit's ``st.login``
  (OpenID Connect: Microsoft Entra ID, Google, Okta, Auth0...). A signed-in
  person's role comes from the ``users`` table (``store.users``); a person with
  no role sees who to ask, and no figures.

``dashboard.py`` calls :func:`sign_in` before anything else is drawn; every page
then reads :func:`person`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from common.words import markdown_safe
from store import db, users

PERSON = "person"
SIGNED_IN = "signed_in_recorded"


@dataclass(frozen=True)
class Person:
    """The person using the app and what their role lets them do."""

    email: str | None  # None on one computer
    role: str  # coordinator, member or viewer
    member: str | None = None  # a member lead's own member
    hidden: tuple[str, ...] = ()  # members whose figures they may not see by name
    shared: bool = False  # signed in to a shared app

    @property
    def is_coordinator(self) -> bool:
        return self.role == "coordinator"

    @property
    def loads_returns(self) -> bool:
        """Coordinators load any member's returns; a member lead its own member's."""
        return self.role in ("coordinator", "member")

    @property
    def suppress_exports(self) -> bool:
        """Small-number suppression is always on for viewers' exports."""
        return self.role == "viewer"

    @property
    def by(self) -> str | None:
        """Who they are, for the history."""
        return self.email


LOCAL = Person(None, "coordinator")


SECRETS_FILES = (Path.cwd() / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")


def shared() -> bool:
    """True when the project's secrets name a sign-in provider (an ``[auth]`` section).

    No secrets at all is the one-computer mode. A secrets file that cannot be read is never
    taken for "no sign-in": the app says so and stops.
    """
    try:
        return "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        if any(path.exists() for path in SECRETS_FILES):
            st.error("The sign-in settings in .streamlit/secrets.toml cannot be read; ask whoever set up One Voice.")
            st.stop()
        return False


def sign_in() -> Person:
    """The person using the app; in a shared app, the sign-in page (and a stop) until they may go on."""
    if not shared():
        st.session_state[PERSON] = LOCAL
        return LOCAL
    if not st.user.is_logged_in:
        _sign_in_page()
        st.stop()
    # Microsoft Entra ID gives the sign-in address as preferred_username when no email claim is set up
    email = (st.user.get("email") or st.user.get("preferred_username") or "").strip().lower()
    with db.connect() as con:
        user = users.get(con, email)
        if user is not None and not st.session_state.get(SIGNED_IN):
            users.record(con, "signed in", f"as {user.role}", email)
            st.session_state[SIGNED_IN] = True
        hidden = users.hidden_from(con, user) if user else ()
    if user is None:
        _no_role_page(email)
        st.stop()
    person = Person(email, user.role, user.member, hidden, shared=True)
    st.session_state[PERSON] = person
    return person


def person() -> Person:
    """The person this run is for (``sign_in`` has run first)."""
    return st.session_state.get(PERSON, LOCAL)


def sign_out_button() -> None:
    who = person()
    if who.shared:
        member = f" for {who.member}" if who.member else ""
        st.sidebar.caption(f"Signed in as {who.email} ({who.role}{member}).")
        st.sidebar.button("Sign out", on_click=st.logout, key="sign_out", icon=":material/logout:")
    else:
        st.sidebar.caption("On this computer only (127.0.0.1): no sign-in; you are the coordinator.")


def _sign_in_page() -> None:
    st.title("One Voice")
    st.markdown("Sign in with your organisation's account to see your collaborative's figures.")
    st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:", key="sign_in")


def _no_role_page(email: str) -> None:
    st.title("One Voice")
    st.warning(
        f"You are signed in as {markdown_safe(email)}, but this address has no role in One Voice yet. Ask your "
        "collaborative's coordinator to add you (on the Users page) as a member lead or a viewer.",
        icon=":material/person_off:",
    )
    st.button("Sign out", on_click=st.logout, key="sign_out")
