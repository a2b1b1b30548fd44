"""The cash need's part of the registration page: what the form offers (situations in words, the NAPAS list of
banks and e-wallets) and how its fields become the registration's (an empty field is absent, so the form's own
checks name it)."""

from dataclasses import dataclass
from typing import Any

from domain.banks import BankKind, all_banks
from domain.cash import PayoutMethod, SituationCategory
from domain.stages import RequestKind
from texts import Lang, label

CASH_QUERY = "tien-mat"  # /dang-ky/thong-tin?loai=tien-mat


def kind_of(value: str | None) -> RequestKind:
    """The form's kind from the page's query or its hidden field; anything else is a food bag's form."""
    return RequestKind.CASH_SUPPORT if value in (CASH_QUERY, RequestKind.CASH_SUPPORT.value) else RequestKind.FOOD_BAG


def choices(lang: Lang, cap_vnd: int) -> dict[str, Any]:
    return {
        "cap": f"{cap_vnd:,}".replace(",", "."),
        "situations": [(s.value, label(lang, "situation", s.value)) for s in SituationCategory],
        "methods": [(m.value, label(lang, "payout", m.value)) for m in PayoutMethod],
        "banks": [b for b in all_banks() if b.kind == BankKind.BANK],
        "wallets": [b for b in all_banks() if b.kind == BankKind.EWALLET],
    }


@dataclass(frozen=True)
class CashFields:
    kind: RequestKind
    amount_vnd: str
    situation: str
    payout_method: str
    bank_bin: str
    account_number: str
    holder_name: str
    consent_to_publish: str

    def raw(self) -> dict[str, object]:
        """The registration's cash fields; none for a food bag. An unticked consent is a refusal to publish."""
        if self.kind != RequestKind.CASH_SUPPORT:
            return {"kind": self.kind.value}
        typed = {
            "amount_vnd": self.amount_vnd,
            "situation": self.situation,
            "payout_method": self.payout_method,
            "bank_bin": self.bank_bin,
            "account_number": self.account_number.replace(" ", ""),
            "holder_name": self.holder_name,
        }
        return {
            "kind": self.kind.value,
            **{k: v for k, v in typed.items() if v.strip()},
            "consent_to_publish": self.consent_to_publish == "yes",
        }

    def values(self) -> dict[str, str]:
        """What the form shows again when it comes back with errors."""
        return {
            "amount_vnd": self.amount_vnd,
            "situation": self.situation,
            "payout_method": self.payout_method,
            "bank_bin": self.bank_bin,
            "account_number": self.account_number,
            "holder_name": self.holder_name,
            "consent_to_publish": self.consent_to_publish,
        }
