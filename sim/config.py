"""Settings read from the environment (see README, "Configuration")."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    demo: bool
    templates_dir: Path
    # Argon2 cost: the defaults in production, cheap ones in tests only.
    cheap_password_hashing: bool
    # Session cookie sent over HTTPS only (set it when served behind TLS).
    secure_cookies: bool = False
    # Reverse proxies whose X-Forwarded-For is believed (IPs or CIDR networks).
    trusted_proxies: tuple = ()
    # The application's public address: the xAPI actors' account homePage and the activities' IRIs.
    public_url: str = "http://127.0.0.1:8000"
    # A Learning Record Store the xAPI export may be POSTed to (README, "Exports").
    lrs_url: str = ""
    lrs_username: str = ""
    lrs_password: str = ""


def _secret_key(data_dir: Path) -> str:
    """ADVSIM_SECRET_KEY, or a random key kept in the data directory so that
    sessions survive a restart without anyone having to set one."""
    key = os.environ.get("ADVSIM_SECRET_KEY")
    if key:
        return key
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("ADVSIM_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    url = os.environ.get("ADVSIM_DATABASE_URL") or f"sqlite:///{data_dir / 'advsim.sqlite3'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        secret_key=_secret_key(data_dir),
        demo=os.environ.get("ADVSIM_DEMO", "") == "1",
        templates_dir=Path(os.environ.get("ADVSIM_TEMPLATES_DIR", PROJECT_ROOT / "templates")),
        cheap_password_hashing=os.environ.get("ADVSIM_CHEAP_HASHING", "") == "1",
        secure_cookies=os.environ.get("ADVSIM_SECURE_COOKIES", "") == "1",
        trusted_proxies=parse_networks(os.environ.get("ADVSIM_TRUSTED_PROXIES", "")),
        public_url=os.environ.get("ADVSIM_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
        lrs_url=os.environ.get("ADVSIM_LRS_URL", ""),
        lrs_username=os.environ.get("ADVSIM_LRS_USERNAME", ""),
        lrs_password=os.environ.get("ADVSIM_LRS_PASSWORD", ""),
    )


def parse_networks(text: str) -> tuple:
    """``"10.0.0.5, 172.16.0.0/12"`` → ip networks; a bad entry stops the start-up."""
    import ipaddress

    networks = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"ADVSIM_TRUSTED_PROXIES : adresse ou réseau invalide : {item!r}") from None
    return tuple(networks)
