"""Secrets in addresses, kept out of everything coopex writes or prints.

An endpoint address may carry credentials: ``http://user:PASSWORD@host/v1`` or
``https://host/v1?api-key=KEY``. ``redact`` replaces the user information of
every URL in a text with ``***``, and the value of every query-string parameter
whose name says it is a secret (key, token, secret, password, signature,
credential, auth, session, ...) with ``***`` (the name stays, so the message
still says what was there). Error records, error and warning lines on stderr, the pool's figures
and log lines go through it (``install_log_redaction``).
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "***"
# a URL as it stands in a message: up to white space or a quote or bracket around it
_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>()\[\]{}]*[^\s'\"<>()\[\]{}.,;:!?]")
_SECRET_NAME = r"[^=&;#]*(?:key|token|secret|pass|pwd|sig|auth|cred|session|code)[^=&;#]*"
_QUERY_VALUE = re.compile(rf"([?&;]{_SECRET_NAME}=)[^&;#]*", re.IGNORECASE)


def redact_url(url: str) -> str:
    """The URL without its user information or query-string values."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    cut = min([i for i in (rest.find("/"), rest.find("?"), rest.find("#")) if i >= 0], default=len(rest))
    netloc, tail = rest[:cut], rest[cut:]
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rpartition("@")[2]
    path, hash_, fragment = tail.partition("#")
    path = _QUERY_VALUE.sub(lambda m: m.group(1) + MASK, path) if "?" in path else path
    return f"{scheme}://{netloc}{path}{hash_}{fragment}"


def redact(text: str) -> str:
    """``text`` with every URL in it passed through ``redact_url``."""
    if "://" not in text:
        return text
    return _URL.sub(lambda m: redact_url(m.group()), text)


def install_log_redaction() -> None:
    """Every log record's message is redacted as it is made (an HTTP library logging the
    request's address, say), whatever handler later writes it. Installed once."""
    old = logging.getLogRecordFactory()
    if getattr(old, "coopex_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = old(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        return record

    factory.coopex_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
