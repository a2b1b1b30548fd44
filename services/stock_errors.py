"""Why the ledger refused a movement. Each names what was short or wrong, never a person; its words are a catalogue
text (`text`) with a stable code."""

from decimal import Decimal
from uuid import UUID

from texts import Text


class StockError(Exception):
    field = "quantity"
    code = "stock_refused"

    def __init__(self, text: Text) -> None:
        super().__init__(str(text))
        self.text = text


class InsufficientStock(StockError):
    code = "insufficient_stock"

    def __init__(self, place_code: str, item_code: str, wanted: Decimal, available: Decimal) -> None:
        super().__init__(
            Text("err.insufficient_stock", place=place_code, item=item_code, wanted=wanted, available=available)
        )
        self.place_code, self.item_code, self.wanted, self.available = place_code, item_code, wanted, available


class LotExpired(StockError):
    field = "lot_id"
    code = "lot_expired"

    def __init__(self, lot_id: UUID | None = None) -> None:
        super().__init__(Text("err.lot_expired"))
        self.lot_id = lot_id


class MovementKeyReused(StockError):
    field = "idempotency_key"
    code = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        super().__init__(Text("err.stock_key_reused", used_key=key))
