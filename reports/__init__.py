"""What Gapura makes for people to keep: charts, the company report (PDF) and the results workbook; pure (no
Streamlit, no database), used by the pages, the command line and the services alike."""
