"""The JSON API's own answers (not a use case's): a service that cannot answer now, too many tries."""

TEXTS: dict[str, tuple[str, str]] = {
    "api.unavailable_workflows": (
        "Hệ thống chưa xử lý được lúc này; hãy thử lại: một thao tác gửi lại với cùng Idempotency-Key chỉ được "
        "thực hiện một lần.",
        "The workflow service could not complete this now; try again: an action repeated with the same "
        "Idempotency-Key is done once.",
    ),
    "api.unavailable_database": (
        "Hệ thống chưa xử lý được lúc này; hãy thử lại sau {seconds} giây: một thao tác gửi lại với cùng "
        "Idempotency-Key chỉ được thực hiện một lần.",
        "The database could not complete this now; try again in {seconds} s: an action repeated with the same "
        "Idempotency-Key is done once.",
    ),
    "api.rate_limited": (
        "Quá nhiều lần thử; thử lại sau {seconds} giây.",
        "Too many tries; try again in {seconds} s.",
    ),
    "api.registrations_paused": (
        "Hệ thống đang nhận quá nhiều đăng ký; đăng ký này chưa được ghi nhận, hãy gửi lại sau {seconds} giây.",
        "Registrations are paused while the workers catch up; nothing was recorded; send it again in {seconds} s.",
    ),
}
