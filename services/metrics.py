"""What one replica counts for whoever runs the server (served as /metrics in Prometheus' text format by ui/http.py):
each replica keeps its own, and Prometheus adds them up. Never a company, a person or an answer: counts and times."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)  # Gapura's own; not the process-wide default registry

SESSIONS = Gauge("gapura_sessions", "Browser tabs connected to this replica (read when scraped)", registry=REGISTRY)
ANSWERS_SAVED = Counter(
    "gapura_answers_saved", "Answers people saved one at a time (imported files are not counted)", registry=REGISTRY
)
SAVE_SECONDS = Histogram(
    "gapura_save_seconds",
    "From an answer's save starting to its commit, in seconds",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
SAVES_FAILED = Counter(
    "gapura_saves_failed",
    "Attempts to save an answer that did not reach the database (the tab keeps it; each retry counts)",
    registry=REGISTRY,
)
SIGN_IN_FAILURES = Counter(
    "gapura_sign_in_failures", "Sign-ins refused: a wrong email or password, or one made to wait", registry=REGISTRY
)
PANEL_BUILDS = Counter(
    "gapura_panel_builds", "Officers' panels scored: whole, or only what changed", ["kind"], registry=REGISTRY
)
