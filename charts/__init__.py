"""Plotly figures built from metric frames: one look for the app, the exports and the images.

Nothing here imports streamlit, so exports can draw the same charts the pages show.
"""
