"""Persistence: SQLAlchemy over a SQLite file by default, PostgreSQL from DATABASE_URL. Never imports Streamlit."""
