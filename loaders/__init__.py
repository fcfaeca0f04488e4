"""Spreadsheets into DuckDB: reading, validating and storing quarterly returns.

The only package that knows about spreadsheets.
"""
