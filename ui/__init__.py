"""Streamlit helpers for the pages: filters, cached metric calls, tiles, charts, the upload flow.

Pages render; they never compute. What a page shows comes from ``metrics``
through :mod:`ui.cached` and is turned into words by ``metrics.format``.
"""
