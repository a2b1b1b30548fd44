"""The audit trail of decisions and reads of personal data (architecture §4).

Entries name who (user id and role), what and which request, never the personal data itself.
"""

import logging

from api.principal import Principal

log = logging.getLogger("ansinh.audit")


def audit(principal: Principal, action: str, request_code: str | None = None, **detail: object) -> None:
    who = str(principal.user_id or principal.household_id)
    extra = " ".join(f"{k}={v}" for k, v in detail.items())
    log.info("%s %s %s %s %s", principal.role.value, who, action, request_code or "-", extra)
