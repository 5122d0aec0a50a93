"""Logs: one JSON object per line, with nothing in them that could let a reader in.

Every record the process writes (the request log, uvicorn's own, the index's, the events')
goes through :class:`JsonFormatter`. Before a line is written, anything shaped like a
credential is replaced by ``[redacted]``: a JWT (three base64url parts, the first two
starting ``eyJ``), the value after ``Bearer``/``Basic``, an OpenSSH or PEM private key
block, and the password of a ``scheme://user:password@host`` URL. The request log itself
never reads headers other than the ids it names, so this is a second line of defence.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

ACCESS_LOGGER = "registry.access"

_SECRETS = re.compile(
    r"eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*"  # a JWT (JWS compact form)
    r"|(?i:\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]+"  # an Authorization header's credentials
    r"|-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)"  # key blocks
    r"|(?<=://)[^/@\s:]*:[^/@\s]*(?=@)",  # user:password in a URL
    re.DOTALL,
)
REDACTED = "[redacted]"
_quote = json.encoder.encode_basestring  # a str as a JSON string (C speed)

#: Attributes every LogRecord has; anything else was passed in ``extra`` and is logged as a field
#: (the request log hands its fields over as one ``fields`` mapping, already redacted).
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


def _may_hold_secret(text: str) -> bool:
    """Whether ``text`` holds what every credential above holds (cheap: most text does not)."""
    if "eyJ" in text or "PRIVATE KEY" in text or ("@" in text and "://" in text):
        return True
    low = text.lower()
    return "bearer" in low or "basic" in low


def redact(text: str) -> str:
    """``text`` with every credential-shaped part replaced by ``[redacted]``."""
    return _SECRETS.sub(REDACTED, text) if _may_hold_secret(text) else text


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return redact(value) if _may_hold_secret(value) else value
    if kind is int or kind is float or kind is bool or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, int | float):  # enums and other subclasses of numbers
        return value
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: ``ts``, ``level``, ``logger``, ``msg`` and its ``extra`` fields."""

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._stamp = ""

    def _ts(self, created: float, msecs: float) -> str:
        second = int(created)
        if second != self._second:  # one strftime per second, not per line
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int(msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        ts = self._ts(record.created, record.msecs)
        fields = record.__dict__.get("fields")
        if isinstance(fields, dict) and not record.exc_info:
            return self._request_line(ts, record, fields)
        line: dict[str, Any] = {
            "ts": ts,
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = _clean(value)
        if record.exc_info:
            line["error"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"), default=str)

    @staticmethod
    def _request_line(ts: str, record: logging.LogRecord, fields: dict[str, Any]) -> str:
        """The request log's line, written out directly: one per request, so it is kept cheap.

        Its fields come redacted and are strings and numbers; the same JSON ``json.dumps`` gives.
        """
        parts = [f'{{"ts":"{ts}","level":"{record.levelname.lower()}","logger":{_quote(record.name)}']
        parts.append(f',"msg":{_quote(record.getMessage())}')
        for key, value in fields.items():
            kind = type(value)
            if kind is str:
                parts.append(f',"{key}":{_quote(value)}')
            elif kind is int or kind is float:
                parts.append(f',"{key}":{value!r}')
            else:
                parts.append(f',"{key}":{json.dumps(_clean(value), ensure_ascii=False, default=str)}')
        parts.append("}")
        return "".join(parts)


def configure_logging(level: str = "INFO", *, stream: Any = None) -> None:
    """Send every logger's records to ``stream`` (stderr) as JSON lines, credentials redacted.

    Called once by the server at start. uvicorn's access log is silenced: the request log
    replaces it (and would otherwise write query strings as they came).
    """
    # The format uses no thread or process names: spare every record looking them up.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


def uvicorn_log_config(level: str = "INFO") -> dict[str, Any]:
    """A ``log_config`` for ``uvicorn.run``: JSON lines on stderr, its access log off.

    Each worker process applies it at start, so workers log the same way as the server.
    """
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
        },
    }
