"""Streamlit pages. UI only: everything shown comes from ``assistant`` and ``ingest``."""
