"""Every setting, read once: environment variables first, then `.streamlit/secrets.toml`, then working defaults for
a single machine (a SQLite file under data/, the shipped standards folder)."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "data" / "gapura.db"
# Beside data/, not in it: a copy of the data folder (or of the database) must not carry the key of research ids.
DEFAULT_KEY_FILE = ROOT / "keys" / "pseudonym.key"
SECRETS = ROOT / ".streamlit" / "secrets.toml"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = "gapura@localhost"
    starttls: bool = True


@dataclass(frozen=True)
class Settings:
    database_url: str
    standards_dir: Path
    privacy_threshold: int = 5
    pseudonym_secret: str = field(default="", repr=False)  # empty: the key file's
    key_file: Path = DEFAULT_KEY_FILE  # the key of research ids when no setting gives it (services/keys.py)
    admin_email: str = ""
    admin_password: str = field(default="", repr=False)
    base_url: str = ""  # the app's public address, for links in emails; empty: links are relative
    smtp: Smtp | None = None
    sso: bool = False  # [auth] is configured: Streamlit's st.login (OIDC) is offered
    invitation_days: int = 14
    session_days: int = 30
    max_failures: int = 5  # failures of one account before each further one doubles the wait
    lockout_minutes: int = 15  # the longest wait
    client_max_failures: int = 20  # failures from one client (any accounts) before it is slowed the same way
    # Proxies whose X-Forwarded-For is believed (IPs or CIDRs); empty: the connection's own address counts.
    trusted_proxies: tuple[str, ...] = ()
    # Uvicorn's own (FORWARDED_ALLOW_IPS): it reports a forwarded address for these peers, which accounts undoes.
    forwarded_allow_ips: tuple[str, ...] = ("127.0.0.1", "::1")
    # Networks besides loopback that may read /metrics (IPs or CIDRs), for a Prometheus on another machine.
    metrics_allow: tuple[str, ...] = ()
    upload_budget_mb: int = 200  # what one signed-in tab's uploads may hold in server memory at once
    evidence_mb: int = 10  # the largest evidence file (PDF, JPEG, PNG) a company may attach


def networks(entries: tuple[str, ...]) -> list[Network]:
    """The networks of a setting that lists IPs and CIDRs; uvicorn's "*" (every address) names none here."""
    return [ipaddress.ip_network(e, strict=False) for e in entries if e != "*"]


def within(address: str, listed: list[Network]) -> bool:
    """An IPv4 client of a server listening on IPv6 shows as ::ffff:a.b.c.d; it is matched as the IPv4 it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return any(ip in network for network in listed)


def _secrets(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return tomllib.load(f)


def driver(url: str) -> str:
    """postgres:// and postgresql:// URLs use psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load(environ: dict[str, str] | None = None, secrets_path: Path | None = None) -> Settings:
    env = os.environ if environ is None else environ
    # GAPURA_SECRETS_FILE: the secrets file given to Streamlit with --secrets.files, when not the default one.
    secrets = _secrets(secrets_path or Path(env.get("GAPURA_SECRETS_FILE") or SECRETS))

    def get(name: str, *fallback: str, default: Any = "") -> Any:
        if env.get(name):
            return env[name]
        value: Any = secrets
        for part in fallback or (name,):
            value = value.get(part) if isinstance(value, dict) else None
        return default if value in (None, "") else value

    url = get("DATABASE_URL") or get("DATABASE_URL", "database", "url")
    if not url:
        DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{DEFAULT_SQLITE}"
    smtp_table = secrets.get("smtp") or {}
    smtp_host = env.get("GAPURA_SMTP_HOST") or smtp_table.get("host")
    smtp = None
    if smtp_host:
        smtp = Smtp(
            host=smtp_host,
            port=int(env.get("GAPURA_SMTP_PORT") or smtp_table.get("port") or 587),
            username=smtp_table.get("username", ""),
            password=smtp_table.get("password", ""),
            sender=env.get("GAPURA_SMTP_SENDER") or smtp_table.get("sender", "gapura@localhost"),
            starttls=str(env.get("GAPURA_SMTP_STARTTLS", smtp_table.get("starttls", True))).lower()
            not in ("0", "false"),
        )
    return Settings(
        database_url=driver(url),
        standards_dir=Path(get("GAPURA_STANDARDS_DIR", default=str(ROOT / "standards"))),
        privacy_threshold=int(get("GAPURA_PRIVACY_THRESHOLD", "privacy_threshold", default=5)),
        pseudonym_secret=get("GAPURA_PSEUDONYM_SECRET", "pseudonym_secret"),
        key_file=Path(get("GAPURA_KEY_FILE", "key_file", default=str(DEFAULT_KEY_FILE))).expanduser(),
        admin_email=get("GAPURA_ADMIN_EMAIL"),
        admin_password=get("GAPURA_ADMIN_PASSWORD"),
        base_url=get("GAPURA_BASE_URL", "base_url").rstrip("/"),
        smtp=smtp,
        sso=bool(secrets.get("auth")),
        invitation_days=int(get("GAPURA_INVITATION_DAYS", "invitation_days", default=14)),
        trusted_proxies=tuple(
            p.strip() for p in str(get("GAPURA_TRUSTED_PROXIES", "trusted_proxies")).split(",") if p.strip()
        ),
        forwarded_allow_ips=tuple(
            p.strip() for p in env.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",") if p.strip()
        )
        or ("127.0.0.1",),
        metrics_allow=tuple(
            p.strip() for p in str(get("GAPURA_METRICS_ALLOW", "metrics_allow")).split(",") if p.strip()
        ),
        upload_budget_mb=int(get("GAPURA_UPLOAD_BUDGET_MB", "upload_budget_mb", default=200)),
        evidence_mb=int(get("GAPURA_EVIDENCE_MB", "evidence_mb", default=10)),
    )
