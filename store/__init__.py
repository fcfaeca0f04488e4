"""The DuckDB store: connections, schema and the records the app keeps.

Nothing here knows spreadsheets (that is ``loaders/``) or the rules of the
figures (that is ``metrics/``).
"""
