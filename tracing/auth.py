"""Users, passwords (argon2id), TOTP second factor (RFC 6238) and signed web sessions.

The CLI acts as the local administrator of $TRACING_HOME (created on first use, no prompts) unless
`--user NAME` or TRACING_USER names another user. The web app needs a password and a TOTP code; its
session cookie is HMAC-signed and carries the user's `session_version`, which logout and password
change bump, so every earlier cookie stops working at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import struct
import threading
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlmodel import Session, select

from tracing.errors import BadInput, RefusedByPolicy
from tracing.models import User
from tracing.settings import get_settings

ROLES = ("coordinator", "supervisor", "administrator")
LOCAL_ADMIN = "local-admin"
MIN_PASSWORD = 12
SESSION_MAX_AGE = 8 * 3600
_HASHER = PasswordHasher()  # argon2id, RFC 9106 low-memory profile defaults
# A hash to verify against when the user does not exist, so timing does not reveal usernames.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


# ------------------------------------------------------------------------------------------------
# Passwords
# ------------------------------------------------------------------------------------------------


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadInput(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise BadInput("a password may have at most 1024 characters")


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches (constant work whether or not there is a hash)."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# ------------------------------------------------------------------------------------------------
# TOTP (RFC 6238, HMAC-SHA1, 30 s steps, 6 digits)
# ------------------------------------------------------------------------------------------------


def new_totp_secret() -> str:
    """A random 160-bit base32 secret, as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, digits: int = 6, digest: str = "sha1") -> str:
    """RFC 4226 HOTP value of a counter."""
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The TOTP code of a base32 secret at a time (now by default)."""
    return hotp(_key(secret), int((time.time() if at is None else at) // step), digits)


def verify_totp(secret: str | None, code: str, at: float | None = None, window: int = 1) -> bool:
    """True when the code is valid now or one step either side (clock drift)."""
    if not secret or not isinstance(code, str) or not code.isdigit() or len(code) != 6:
        return False
    now = time.time() if at is None else at
    return any(hmac.compare_digest(totp(secret, now + d * 30), code) for d in range(-window, window + 1))


_USED_CODES: dict[tuple[str, int], set[int]] = {}


def verify_totp_once(scope: str, user_id: int, secret: str | None, code: str, at: float | None = None) -> bool:
    """verify_totp, but each time step's code is accepted once per user (no replay within the window)."""
    if not verify_totp(secret, code, at):
        return False
    now = time.time() if at is None else at
    step = next(int(now // 30) + d for d in (-1, 0, 1) if hmac.compare_digest(totp(secret, now + d * 30), code))
    with _FAILURES_LOCK:
        used = _USED_CODES.setdefault((scope, user_id), set())
        used.intersection_update({s for s in used if s >= int(now // 30) - 2})
        if step in used:
            return False
        used.add(step)
    return True


def totp_uri(username: str, secret: str) -> str:
    return f"otpauth://totp/tracing:{username}?secret={secret}&issuer=tracing"


# ------------------------------------------------------------------------------------------------
# Users
# ------------------------------------------------------------------------------------------------


def get_user(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def ensure_local_admin(session: Session) -> User:
    """The local administrator of this $TRACING_HOME, created on first use (no password: CLI only)."""
    user = get_user(session, LOCAL_ADMIN)
    if user is None:
        user = User(username=LOCAL_ADMIN, display_name="local administrator", role="administrator")
        session.add(user)
        session.flush()
    return user


def create_user(session: Session, username: str, role: str, team: str | None, password: str) -> tuple[User, str]:
    """A new user with an argon2id password hash and a fresh TOTP secret (returned once)."""
    username = (username or "").strip()
    if not username or len(username) > 64 or not all(ch.isalnum() or ch in "._-@" for ch in username):
        raise BadInput("a username is 1-64 letters, digits, '.', '_', '-' or '@'")
    if role not in ROLES:
        raise BadInput(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    if get_user(session, username) is not None:
        raise BadInput(f"user {username} already exists")
    check_password_strength(password)
    secret = new_totp_secret()
    user = User(username=username, role=role, team=(team or None), password_hash=hash_password(password),
                totp_secret=secret)
    session.add(user)
    session.flush()
    return user, secret


def change_password(session: Session, user: User, old: str, new: str) -> None:
    """Change a password; every existing session of the user ends."""
    if not verify_password(user.password_hash, old):
        raise RefusedByPolicy("the current password is wrong")
    check_password_strength(new)
    user.password_hash = hash_password(new)
    user.session_version += 1
    session.add(user)
    session.flush()


def end_sessions(session: Session, user: User) -> None:
    """Log out everywhere: bump the session version so every cookie issued so far is refused."""
    user.session_version += 1
    session.add(user)
    session.flush()


def cli_user(session: Session, name: str | None = None) -> User:
    """Who a CLI command acts as: --user / TRACING_USER, else the local administrator (auto-created)."""
    name = name or get_settings().user
    if name == LOCAL_ADMIN:
        return ensure_local_admin(session)
    user = get_user(session, name)
    if user is None or not user.active:
        raise RefusedByPolicy(f"no active user {name!r}; an administrator adds users with `tracing users add`")
    return user


# ------------------------------------------------------------------------------------------------
# Login throttling (per username and per client, in memory)
# ------------------------------------------------------------------------------------------------

MAX_FAILURES, LOCKOUT_SECONDS = 5, 15 * 60
_FAILURES: dict[str, list[float]] = {}
_FAILURES_LOCK = threading.Lock()


def login_locked(key: str) -> bool:
    now = time.time()
    with _FAILURES_LOCK:
        recent = [t for t in _FAILURES.get(key, []) if now - t < LOCKOUT_SECONDS]
        _FAILURES[key] = recent
        return len(recent) >= MAX_FAILURES


def login_failed(key: str) -> None:
    with _FAILURES_LOCK:
        _FAILURES.setdefault(key, []).append(time.time())


def login_succeeded(key: str) -> None:
    with _FAILURES_LOCK:
        _FAILURES.pop(key, None)


def authenticate(session: Session, username: str, password: str, code: str) -> User | None:
    """The user if password and TOTP code (not replayed) are right and the account is active; None otherwise."""
    user = get_user(session, username or "")
    password_ok = verify_password(user.password_hash if user else None, password or "")
    if user is None or not user.active or not password_ok:
        return None
    if not verify_totp_once(get_settings().database_url, user.id, user.totp_secret, code or ""):
        return None
    return user


# ------------------------------------------------------------------------------------------------
# Signed session cookies
# ------------------------------------------------------------------------------------------------


def secret_key() -> bytes:
    """TRACING_SECRET_KEY, or a random key kept (mode 0600) in $TRACING_HOME/secret.key."""
    env = os.environ.get("TRACING_SECRET_KEY")
    if env:
        return env.encode()
    settings = get_settings()
    path = settings.home / "secret.key"
    if not path.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


@dataclass(frozen=True)
class SessionToken:
    user_id: int
    version: int
    issued: int


def _sign(payload: str, key: bytes) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def make_session_cookie(user: User, now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    payload = f"{user.id}.{user.session_version}.{issued}.{secrets.token_hex(8)}"
    return f"{payload}.{_sign(payload, secret_key())}"


def read_session_cookie(value: str | None, now: float | None = None) -> SessionToken | None:
    """The session a cookie names, if its signature is good and it has not expired."""
    if not value or len(value) > 200:
        return None
    payload, _, sig = value.rpartition(".")
    parts = payload.split(".")
    if len(parts) != 4 or not all(p.isalnum() for p in parts) or not parts[0].isdigit():
        return None
    if not hmac.compare_digest(_sign(payload, secret_key()), sig):
        return None
    try:
        token = SessionToken(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    if (time.time() if now is None else now) - token.issued > SESSION_MAX_AGE:
        return None
    return token


def session_user(session: Session, value: str | None) -> User | None:
    """The active user a session cookie belongs to, if its session version is still current."""
    token = read_session_cookie(value)
    if token is None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active or user.session_version != token.version:
        return None
    return user
