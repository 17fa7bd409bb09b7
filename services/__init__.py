"""The use cases that both shells (the Streamlit pages and `python -m gapura`) share, each taking the acting user."""
