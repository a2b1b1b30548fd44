"""Why the ledger refused a movement. Each names what was short or wrong, never a person."""

from decimal import Decimal
from uuid import UUID


class StockError(Exception):
    field = "quantity"
    code = "stock_refused"


class InsufficientStock(StockError):
    code = "insufficient_stock"

    def __init__(self, place_code: str, item_code: str, wanted: Decimal, available: Decimal) -> None:
        super().__init__(
            f"Không đủ hàng: {place_code} chỉ còn {available} {item_code}, cần {wanted} "
            f"(not enough stock: {available} of {item_code} at {place_code}, {wanted} needed)"
        )
        self.place_code, self.item_code, self.wanted, self.available = place_code, item_code, wanted, available


class LotExpired(StockError):
    field = "lot_id"
    code = "lot_expired"

    def __init__(self, lot_id: UUID | None = None) -> None:
        super().__init__(
            "Lô hàng đã quá hạn sử dụng, chỉ có thể hủy (the lot is past its expiry date and can only be written off)"
        )
        self.lot_id = lot_id


class MovementKeyReused(StockError):
    field = "idempotency_key"
    code = "idempotency_key_reused"

    def __init__(self, key: str) -> None:
        super().__init__(
            f"Mã thao tác {key} đã dùng cho một thao tác khác (key {key} was already used for another movement)"
        )
