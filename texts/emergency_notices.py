"""What the ward, the SOS team and the people of an emergency are told when it needs them.

Keyed "sos_notice.<event>.<audience>" (services/emergency_notices.py): the ward's and the city's officials read
Vietnamese, the poster the language of the page they posted from. By the emergency's code, what is needed and how
urgent only: never a phone number, an address or the description (the queue and the follow link show the rest)."""

TEXTS: dict[str, tuple[str, str]] = {
    "sos_notice.escalated.ward": (
        "Yêu cầu khẩn cấp {code} ({category}, {urgency}), đăng lúc {posted}, đã quá thời hạn mà chưa có ai nhận: cần "
        "phường xem trong danh sách khẩn cấp và nhận hoặc tìm người giúp.",
        "Emergency {code} ({category}, {urgency}), posted at {posted}, is past its time and nobody has taken it: the "
        "ward should look at its emergency list and take it or find a helper.",
    ),
    "sos_notice.escalated.city": (
        "Đội SOS: yêu cầu khẩn cấp {code} ({category}, {urgency}) ở {ward}, đăng lúc {posted}, đã quá thời hạn mà "
        "chưa có ai nhận.",
        "SOS team: emergency {code} ({category}, {urgency}) in {ward}, posted at {posted}, is past its time and nobody "
        "has taken it.",
    ),
    "sos_notice.claimed.poster": (
        "Yêu cầu khẩn cấp {code} đã có người nhận giúp; họ đang trên đường đến. Mở đường dẫn theo dõi để xem.",
        "Someone has taken emergency {code} and is on their way. Open your follow link to see.",
    ),
    "sos_notice.released.poster": (
        "Người nhận yêu cầu khẩn cấp {code} chưa đến kịp; yêu cầu đã được mở lại cho người giúp khác.",
        "Whoever took emergency {code} could not come in time; it is offered to other helpers again.",
    ),
    "sos_notice.fulfilled.poster": (
        "Người giúp báo đã mang giúp đỡ đến cho yêu cầu khẩn cấp {code}. Xin mở đường dẫn theo dõi và xác nhận "
        "đã nhận được.",
        "The helper says help for emergency {code} was brought. Please open your follow link and confirm it arrived.",
    ),
    "sos_notice.unconfirmed_closed.poster": (
        "Yêu cầu khẩn cấp {code} đã đóng vì chưa được xác nhận. Nếu vẫn cần giúp, xin gửi yêu cầu mới.",
        "Emergency {code} was closed as nobody confirmed it. If you still need help, please post again.",
    ),
    "sos_notice.unfulfilled_closed.poster": (
        "Yêu cầu khẩn cấp {code} đã đóng vì chưa có ai giúp được kịp. Nếu vẫn cần giúp, xin gửi yêu cầu mới hoặc "
        "liên hệ phường.",
        "Emergency {code} was closed as nobody could help in time. If you still need help, please post again or "
        "contact your ward.",
    ),
    "sos_notice.closed.poster": (
        "Phường đã đóng yêu cầu khẩn cấp {code}. Nếu vẫn cần giúp, xin liên hệ phường.",
        "The ward closed emergency {code}. If you still need help, please contact your ward.",
    ),
}
