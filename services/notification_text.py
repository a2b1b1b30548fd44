"""What people are told at each event, in Vietnamese: citizens read these on their phones."""

from domain.donations import DonationEvent
from domain.place_reports import NoticeKind
from domain.pledges import PledgeEvent
from domain.stages import EventType

CITIZEN_MESSAGES: dict[EventType, str] = {
    EventType.VERIFICATION_REQUESTED: "Yêu cầu {code} đã được tiếp nhận và đang chờ phường xác minh.",
    EventType.VERIFICATION_SKIPPED: "Yêu cầu {code} đã được tiếp nhận; hộ đã được phường xác minh, đang sắp xếp giao hàng.",
    EventType.REFUSED: "Yêu cầu {code} không được tiếp nhận. {reason_text}",
    EventType.APPROVED: "Yêu cầu {code} đã được phường xác minh, đang sắp xếp giao hàng.",
    EventType.REJECTED: "Yêu cầu {code} không được phường chấp thuận. Lý do: {reason}",
    EventType.EXPIRED: "Yêu cầu {code} đã hết hạn vì chưa được xác minh kịp thời. Vui lòng đăng ký lại hoặc gọi 1900 633 996.",
    EventType.COURIER_ASSIGNED: "Yêu cầu {code} đã được phân công cho người giao túi; túi an sinh sắp được mang đến.",
    EventType.ESCALATED: "Yêu cầu {code} đang được cấp quận/huyện xử lý để không bị chậm trễ.",
    EventType.DELIVERY_FAILED: "Giao hàng cho yêu cầu {code} chưa thành công: {reason}. Chúng tôi sẽ thử lại.",
    EventType.RETURNED_TO_WARD: "Giao hàng cho yêu cầu {code} không thành công nhiều lần; phường sẽ liên hệ lại.",
    EventType.REGISTRATION_EXPIRED: "Yêu cầu {code} chưa được ghi nhận đầy đủ do sự cố hệ thống nên đã đóng. Vui lòng đăng ký lại hoặc gọi 1900 633 996.",
    EventType.DISPATCH_EXPIRED: "Yêu cầu {code} đã hết hạn vì chưa sắp xếp được người giao hàng kịp thời. Hộ đã được xác minh: vui lòng đăng ký lại hoặc gọi 1900 633 996.",
    EventType.DELIVERY_OVERDUE: "Túi an sinh của yêu cầu {code} chưa được giao đúng hạn; phường sẽ liên hệ lại để sắp xếp.",
    EventType.DELIVERED: "Yêu cầu {code} đã được giao thành công. Cảm ơn bạn.",
    EventType.CANCELLED: "Yêu cầu {code} đã được hủy.",
    EventType.STOCK_AWAITED: "Yêu cầu {code} đã được phường xác minh. Đang chờ hàng về điểm phát của phường; túi an sinh sẽ được giao ngay khi có hàng.",
    EventType.STOCK_ESCALATED: "Điểm phát của phường chưa có hàng cho yêu cầu {code}; cấp quận/huyện đang điều hàng về.",
    EventType.BAG_RESERVED: "Hàng đã về điểm phát: túi an sinh của yêu cầu {code} đã được giữ, đang sắp xếp giao hàng.",
    EventType.STOCK_EXPIRED: "Yêu cầu {code} đã hết hạn vì điểm phát của phường không có hàng kịp thời. Hộ đã được xác minh: vui lòng đăng ký lại hoặc gọi 1900 633 996.",
    EventType.NEED_PUBLISHED: "Yêu cầu {code} đã được phường xác minh và công bố cho cộng đồng (không kèm tên, số điện thoại, địa chỉ hay số tài khoản). Khi có tiền chuyển đến, hãy xác nhận trên trang yêu cầu.",
    EventType.NEED_WITHDRAWN: "Yêu cầu {code} không nhận thêm cam kết hỗ trợ mới; các khoản đã cam kết vẫn được chuyển và chờ hộ xác nhận.",
    EventType.SUPPORTED: "Yêu cầu {code} đã hoàn tất: hộ đã xác nhận nhận {amount_text} hỗ trợ. Cảm ơn bạn.",
    EventType.SUPPORT_EXPIRED: "Yêu cầu {code} đã hết thời gian công bố mà chưa nhận được hỗ trợ. Vui lòng đăng ký lại hoặc gọi 1900 633 996.",
}

STAFF_MESSAGES: dict[EventType, str] = {
    EventType.VERIFICATION_REQUESTED: "Yêu cầu {code} cần phường xác minh trước {deadline}.",
    EventType.VERIFICATION_REMINDER: "Nhắc việc: yêu cầu {code} vẫn chờ xác minh, hạn {deadline}.",
    EventType.ESCALATED: "Yêu cầu {code} đã quá hạn ở cấp phường và được chuyển lên quận/huyện.",
    EventType.DISPATCH_REMINDER: "Yêu cầu {code} đã xác minh nhưng chưa có người giao hàng.",
    EventType.DELIVERY_REMINDER: "Nhắc việc: yêu cầu {code} chưa được giao.",
    EventType.RETURNED_TO_WARD: "Yêu cầu {code} giao thất bại nhiều lần, cần phường xem lại.",
    EventType.DISPATCH_EXPIRED: "Yêu cầu {code} đã hết hạn vì không được phân công người giao hàng.",
    EventType.DELIVERY_OVERDUE: "Yêu cầu {code} quá hạn giao hàng và được trả về phường: cần liên hệ người giao hàng và xem lại.",
    EventType.STOCK_AWAITED: "Yêu cầu {code} đã xác minh nhưng điểm phát của phường hết túi an sinh: cần nhập hàng hoặc đóng túi.",
    EventType.STOCK_REMINDER: "Nhắc việc: yêu cầu {code} vẫn chờ hàng về điểm phát của phường, hạn {deadline}.",
    EventType.STOCK_ESCALATED: "Điểm phát của phường hết túi an sinh, yêu cầu {code} đã chờ quá hạn: quận/huyện cần điều hàng về phường.",
    EventType.STOCK_EXPIRED: "Yêu cầu {code} đã hết hạn vì điểm phát của phường không có túi an sinh.",
}

# An allocation round nobody approved in time (services/allocation_rounds.py), to the city's officials.
ROUND_ESCALATED_MESSAGE = (
    "Phiên phân bổ hàng ngày {day} chưa được duyệt quá hạn: cần giám đốc trung tâm xem và duyệt trước khi hết hạn."
)

# The household said its delivered bag never came (usecases/relief/delivery_findings.py).
NOT_RECEIVED_WARD_MESSAGE = (
    "Hộ của yêu cầu {code} báo chưa nhận được túi an sinh: cần phường xem lại bằng chứng giao hàng và ghi kết quả."
)


def render(template: str, values: dict[str, object]) -> str:
    """Fills what the event carries; a missing value shows as empty rather than failing a workflow."""
    return template.format_map(_Blank(values))


class _Blank(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return ""


# What a donor is told about their donation, by its code only (their follow link shows the rest).
DONOR_MESSAGES: dict[DonationEvent, str] = {
    DonationEvent.ANNOUNCED: "Cảm ơn bạn! Quyên góp {code} đã được ghi nhận; xin mang hàng đến {place} ngày {day}.",
    DonationEvent.REMINDER: "Nhắc lịch: quyên góp {code} được {place} chờ nhận ngày {day}.",
    DonationEvent.STOCKED: "{place} đã nhận quyên góp {code} và nhập kho. Cảm ơn bạn đã chung tay.",
    DonationEvent.REJECTED: "{place} đã kiểm tra quyên góp {code} nhưng không nhận được hàng; xem lý do trong đường dẫn theo dõi.",
    DonationEvent.EXPIRED: "Quyên góp {code} đã hết hạn vì hàng chưa đến {place}. Bạn có thể đăng ký lại bất cứ lúc nào.",
    DonationEvent.CANCELLED: "Quyên góp {code} đã được hủy theo yêu cầu của bạn.",
}


# What each person concerned is told about a pledge, by the pledge's code and amount only (their pages show the
# rest). Audiences: the pledging helper, the household ("citizen"), the ward's officials, the city's.
PLEDGE_MESSAGES: dict[PledgeEvent, dict[str, str]] = {
    PledgeEvent.PLEDGED: {
        "helper": "Cảm ơn bạn đã cam kết hỗ trợ {amount} (mã {code}). Xin chuyển khoản trong {hours} giờ với nội "
        "dung ANSINH {code}, rồi bấm «Tôi đã chuyển khoản».",
        "citizen": "Một người hỗ trợ đã cam kết gửi {amount} cho hộ (nội dung chuyển khoản ANSINH {code}).",
    },
    PledgeEvent.TRANSFERRED: {
        "citizen": "Người hỗ trợ báo đã chuyển {amount} với nội dung ANSINH {code}. Xin kiểm tra tài khoản và bấm "
        "«Đã nhận được» hoặc «Chưa nhận được».",
    },
    PledgeEvent.RELEASED: {
        "helper": "Cam kết {code} đã được hủy; số tiền được mở lại cho người khác hỗ trợ.",
        "citizen": "Cam kết {amount} (ANSINH {code}) đã được người hỗ trợ hủy; số tiền được mở lại cho người khác.",
    },
    PledgeEvent.EXPIRED: {
        "helper": "Cam kết {code} đã hết hạn vì chưa báo chuyển khoản trong {hours} giờ; số tiền được mở lại.",
        "citizen": "Cam kết {amount} (ANSINH {code}) đã hết hạn; số tiền được mở lại cho người khác hỗ trợ.",
    },
    PledgeEvent.CONFIRM_REMINDER: {
        "citizen": "Nhắc: người hỗ trợ đã báo chuyển {amount} (ANSINH {code}). Xin xác nhận đã nhận được hay chưa.",
    },
    PledgeEvent.WARD_ASKED: {
        "ward": "Hộ chưa xác nhận khoản hỗ trợ {amount} (ANSINH {code}) đã được báo chuyển: cần phường liên hệ hộ "
        "và quyết định.",
    },
    PledgeEvent.CONFIRMED: {
        "helper": "Hộ đã xác nhận nhận được {amount} (ANSINH {code}). Cảm ơn bạn đã chung tay.",
    },
    PledgeEvent.DISPUTED: {
        "helper": "Hộ báo chưa nhận được {amount} (ANSINH {code}); phường sẽ xem xét. Xin giữ biên lai chuyển khoản.",
        "ward": "Hộ báo chưa nhận được khoản hỗ trợ {amount} (ANSINH {code}): cần phường xem xét và quyết định.",
    },
    PledgeEvent.RESOLVED_ARRIVED: {
        "helper": "Phường xác nhận khoản {amount} (ANSINH {code}) đã đến hộ. Cảm ơn bạn.",
        "citizen": "Phường xác nhận khoản hỗ trợ {amount} (ANSINH {code}) đã đến tài khoản của hộ.",
    },
    PledgeEvent.RESOLVED_NEVER_ARRIVED: {
        "helper": "Phường kết luận khoản {amount} (ANSINH {code}) chưa đến hộ; cam kết đã đóng.",
        "citizen": "Phường kết luận khoản {amount} (ANSINH {code}) chưa đến; số tiền được mở lại cho người khác.",
    },
}
HELPER_FLAGGED_MESSAGE = (
    "Người hỗ trợ của cam kết {code} đã để {expired} cam kết hết hạn mà không chuyển khoản: cần thành phố xem xét."
)


# A place's daily report (workflows/place_report.py): the reminder to its staff, and at the deadline the
# escalation to the district's and the city's officials (the place's staff are told it is late too).
PLACE_REPORT_MESSAGES: dict[NoticeKind, dict[str, str]] = {
    NoticeKind.REMINDER: {
        "place": "Nhắc việc: {place} chưa gửi báo cáo tồn kho và đề xuất ngày {day}, hạn {deadline}.",
    },
    NoticeKind.MISSING: {
        "place": "{place} chưa gửi báo cáo ngày {day} (hạn {deadline}): vẫn có thể gửi muộn, xin gửi ngay.",
        "district": "{place} chưa gửi báo cáo tồn kho ngày {day} (hạn {deadline}): cần liên hệ đơn vị.",
        "city": "{place} chưa gửi báo cáo tồn kho ngày {day} (hạn {deadline}).",
    },
}
