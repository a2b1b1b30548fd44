"""Why a request was refused, by stable error code ("err.<code>"): what the API's `code` names and people read.

Codes shared by several areas live here; an area's own codes live beside its other texts."""

TEXTS: dict[str, tuple[str, str]] = {
    "err.not_found": (
        "Không tìm thấy, hoặc bạn không có quyền xem.",
        "Not found, or not yours to see.",
    ),
    "err.unknown_ward": (
        "Mã phường/xã '{ward}' không tồn tại.",
        "There is no ward with the code '{ward}'.",
    ),
    "err.household_size_min": (
        "Số người trong hộ phải từ {min} trở lên.",
        "A household has at least {min} person.",
    ),
}
