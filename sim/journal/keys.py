"""The journal's signing key, kept apart from the database (README, "The journal key").

The chain is an HMAC-SHA-256 under a server secret: whoever can write to the
database but does not hold the key cannot rewrite entries and recompute the
hashes. The current key is ``ADVSIM_JOURNAL_KEY`` or, failing that, the file
``<data dir>/journal_key`` (created 0600 on first use). Rotating moves the
current key to ``<data dir>/journal_keys/<key id>.key`` so that the entries it
signed still verify. Each entry stores the short id of the key that signed it.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sim.config import get_settings

ENV_VAR = "ADVSIM_JOURNAL_KEY"
MIN_LENGTH = 16


@dataclass(frozen=True)
class JournalKey:
    id: str
    secret: bytes
    source: str  # where it was read, for messages: never the secret itself


def key_id(secret: bytes) -> str:
    # A fingerprint that names the key without revealing it (64 bits is plenty to tell keys apart).
    return hmac.new(secret, b"advsim journal key id", hashlib.sha256).hexdigest()[:16]


def _make(secret_text: str, source: str) -> JournalKey:
    secret = secret_text.strip().encode("utf-8")
    if len(secret) < MIN_LENGTH:
        raise RuntimeError(f"clé du journal trop courte ({source}) : au moins {MIN_LENGTH} caractères")
    return JournalKey(key_id(secret), secret, source)


def current_file() -> Path:
    return get_settings().data_dir / "journal_key"


def retired_dir() -> Path:
    return get_settings().data_dir / "journal_keys"


def _write_new(path: Path, text: str) -> bool:
    """Create ``path`` 0600 holding ``text``, atomically; False if it already exists.

    The content is written to a private temporary file first and then linked
    into place, so that a concurrent reader never sees an empty key file and
    two processes starting together agree on one key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as f:
            f.write(text + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, path)
        return True
    except FileExistsError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


_file_cache: dict[Path, tuple[tuple, JournalKey]] = {}


def _read_file(path: Path) -> JournalKey:
    # Re-read when the file changes (a rotation while the server runs), else from memory.
    st = path.stat()
    stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
    cached = _file_cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    key = _make(path.read_text(), str(path))
    _file_cache[path] = (stamp, key)
    return key


def current_key() -> JournalKey:
    """The key new entries are signed with; creates the key file on first use."""
    env = os.environ.get(ENV_VAR)
    if env:
        return _make(env, ENV_VAR)
    path = current_file()
    if not path.exists():
        _write_new(path, secrets.token_urlsafe(32))
    return _read_file(path)


def key_ring() -> dict[str, JournalKey]:
    """Every key verification may need: the current one, the key file (even when
    the variable overrides it: it was current once) and the retired keys.
    Never creates anything; an unreadable file is left out (verify then names
    the key it misses)."""
    ring: dict[str, JournalKey] = {}
    candidates = []
    folder = retired_dir()
    if folder.is_dir():
        candidates += sorted(folder.glob("*.key"))
    path = current_file()
    if path.exists():
        candidates.append(path)
    for candidate in candidates:
        try:
            key = _read_file(candidate)
        except (OSError, RuntimeError, UnicodeDecodeError):
            continue
        ring[key.id] = key
    env = os.environ.get(ENV_VAR)
    if env:
        try:
            key = _make(env, ENV_VAR)
            ring[key.id] = key
        except RuntimeError:
            pass
    return ring


def retire(key: JournalKey) -> Path:
    """Keep ``key`` in ``journal_keys/`` (0700 folder, 0600 file) for verification."""
    folder = retired_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{key.id}.key"
    if not _write_new(path, key.secret.decode("utf-8")):
        # Already kept: make sure it is the same key before relying on it.
        if _read_file(path).secret != key.secret:
            raise RuntimeError(f"{path} existe et contient une autre clé")
    return path


def rotate() -> tuple[JournalKey, JournalKey | None, Path]:
    """Retire the current key and make a new one.

    Returns (retired key, new key or None, where the retired key is kept). With
    ``ADVSIM_JOURNAL_KEY`` the new key cannot be written by us: the current one
    is retired and the operator sets a new value (None is returned for it).
    """
    old = current_key()
    kept = retire(old)
    if os.environ.get(ENV_VAR):
        return old, None, kept
    path = current_file()
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(32) + "\n")
        f.flush()
        os.fsync(f.fileno())
    # The old key is safely retired before the new one replaces it (atomic rename).
    os.replace(tmp, path)
    return old, _read_file(path), kept
