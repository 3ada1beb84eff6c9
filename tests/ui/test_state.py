"""lingyi/ui/state.py: the session-state keys, which are also a link's query parameters."""

from __future__ import annotations

from lingyi.ui import state


def test_every_session_state_key_is_declared_once():
    keys = [
        state.YEAR,
        state.THROUGH,
        state.CATEGORY,
        state.UNIT,
        state.PROFILE_UNIT,
        state.LEARNING_MEASURE,
        state.HOTLINE_RATE,
    ]
    assert len(set(keys)) == len(keys)
    assert all(key.isascii() and key.isidentifier() for key in keys)  # they are also query parameters
