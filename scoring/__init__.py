"""Gapura's core: standards, assessments and scores, importable without Streamlit."""
