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
    "err.token_invalid": (
        "Mã truy cập không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại.",
        "The access token is invalid or has expired; sign in again.",
    ),
    "err.session_ended": (
        "Phiên này đã kết thúc; hãy xin mã xác thực mới.",
        "This session was ended; ask for a new code.",
    ),
    "err.helper_gone": (
        "Tài khoản người hỗ trợ này không còn; hãy đăng nhập lại.",
        "This helper no longer exists; sign in again.",
    ),
    "err.staff_disabled": (
        "Tài khoản cán bộ này đã bị khóa hoặc không còn.",
        "This staff account is disabled or no longer exists.",
    ),
    "err.sign_in_first": (
        "Hãy đăng nhập trước: gửi tiêu đề Authorization: Bearer <mã truy cập>.",
        "Sign in first: send an Authorization: Bearer <token> header.",
    ),
    "err.no_rule": (
        "Đường dẫn này chưa có quy tắc phân quyền nên không phục vụ ai.",
        "This route has no authorisation rule, so it serves nobody.",
    ),
    "err.role_not_allowed": (
        "Vai trò {role} không được làm việc này; được phép: {allowed}.",
        "The role {role} may not do this; allowed: {allowed}.",
    ),
    "err.codec_sign_in": (
        "Hãy đăng nhập bằng mã truy cập của giám sát viên hoặc cán bộ thành phố, hoặc qua trang đăng nhập của máy "
        "chủ này.",
        "Sign in with a supervisor's or city official's token, or on this server's sign-in page.",
    ),
    "err.codec_forbidden": (
        "Chỉ giám sát viên và cán bộ thành phố được giải mã.",
        "Only supervisors and city officials may decode.",
    ),
}
