"""R-SEC-1: application logs carry no resident ID number and no mobile number.

``RedactPersonalDataFilter`` sits on the root logger's handlers (settings.LOGGING): whatever a
library or a message formats in — a request line, a SQL parameter, a traceback — is rewritten
before it is written. Code should not log personal data in the first place; this is the net.
"""
import logging
import re

# 18-character resident ID numbers and 11-digit mainland mobiles, not inside a longer run of
# letters or digits (a hash, a token, a longer number).
ID_NUMBER_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE_RE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")
ID_MASK = "[ID number]"
PHONE_MASK = "[phone]"


def redact(text: str) -> str:
    return MOBILE_RE.sub(PHONE_MASK, ID_NUMBER_RE.sub(ID_MASK, text))


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a broken format string is logging's to report, not ours
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
