"""What a citizen or an official reads about a request, in Vietnamese: labels, next steps, answers."""

from datetime import datetime

from common.city_time import vn_date, vn_deadline
from domain.messages import Admission
from domain.stages import EscalationLevel, EventType, RefusalReason, RequestKind, Stage
from services.notification_text import CITIZEN_MESSAGES, render

EVENT_LABELS: dict[str, str] = {
    EventType.REGISTERED: "Đã tiếp nhận đăng ký",
    EventType.REFUSED: "Không tiếp nhận (trùng lặp)",
    EventType.VERIFICATION_SKIPPED: "Hộ đã được xác minh trước, bỏ qua bước xác minh",
    EventType.VERIFICATION_REQUESTED: "Chờ phường xác minh",
    EventType.VERIFICATION_REMINDER: "Nhắc phường xác minh",
    EventType.ESCALATED: "Chuyển lên quận/huyện do quá hạn",
    EventType.APPROVED: "Phường đã xác minh",
    EventType.REJECTED: "Phường không chấp thuận",
    EventType.EXPIRED: "Hết hạn xác minh",
    EventType.COURIER_ASSIGNED: "Đã phân công cho người giao túi",
    EventType.DISPATCH_REMINDER: "Nhắc phân công người giao hàng",
    EventType.DELIVERY_REMINDER: "Nhắc giao hàng",
    EventType.DELIVERY_FAILED: "Giao hàng chưa thành công",
    EventType.RETURNED_TO_WARD: "Giao thất bại nhiều lần, trả về phường",
    EventType.REGISTRATION_EXPIRED: "Đóng do không ghi nhận được đăng ký",
    EventType.DISPATCH_EXPIRED: "Hết hạn phân công người giao hàng",
    EventType.DELIVERY_OVERDUE: "Quá hạn giao hàng, trả về phường",
    EventType.DELIVERED: "Đã giao túi đến hộ",
    EventType.CANCELLED: "Đã hủy",
    EventType.STOCK_AWAITED: "Đang chờ hàng về điểm phát của phường",
    EventType.STOCK_REMINDER: "Nhắc phường: vẫn chờ hàng về điểm phát",
    EventType.STOCK_ESCALATED: "Chuyển lên quận/huyện điều hàng về điểm phát",
    EventType.BAG_RESERVED: "Hàng đã về, đã giữ túi an sinh",
    EventType.STOCK_EXPIRED: "Hết hạn chờ hàng về điểm phát",
    EventType.NEED_PUBLISHED: "Đã công bố nhu cầu hỗ trợ tiền mặt cho cộng đồng",
    EventType.NEED_WITHDRAWN: "Ngừng nhận cam kết hỗ trợ mới",
    EventType.SUPPORTED: "Đã nhận đủ hỗ trợ tiền mặt",
    EventType.SUPPORT_EXPIRED: "Hết thời gian công bố, chưa nhận được hỗ trợ",
}

HOTLINE = "1900 633 996"


def event_label(event: str) -> str:
    return EVENT_LABELS.get(event, event)


def refusal_text(admission: Admission, kind: RequestKind = RequestKind.FOOD_BAG) -> str:
    if admission.refusal == RefusalReason.ALREADY_RECEIVED:
        received = "hỗ trợ tiền mặt" if kind == RequestKind.CASH_SUPPORT else "túi an sinh"
        return (
            f"Hộ gia đình đã nhận {received} ngày {vn_date(admission.last_delivered_on)}; "
            f"có thể đăng ký lại từ ngày {vn_date(admission.eligible_again_on)}."
        )
    if admission.refusal == RefusalReason.ALREADY_IN_PROGRESS:
        return (
            "Hộ gia đình này đang có một yêu cầu chưa hoàn tất; chúng tôi đã nhắn tin đến số điện thoại của hộ. "
            "Hãy tra cứu yêu cầu đó bằng số điện thoại ấy thay vì đăng ký mới."
        )
    return "Yêu cầu không được tiếp nhận."


def registration_message(code: str, admission: Admission, kind: RequestKind = RequestKind.FOOD_BAG) -> str:
    """The sentence the citizen reads right after registering."""
    match admission.stage:
        case Stage.REFUSED:
            return refusal_text(admission, kind)
        case Stage.AWAITING_DISPATCH:
            return render(CITIZEN_MESSAGES[EventType.VERIFICATION_SKIPPED], {"code": code})
        case _:
            return render(CITIZEN_MESSAGES[EventType.VERIFICATION_REQUESTED], {"code": code}) + (
                f" Hãy ghi lại mã {code} để tra cứu."
            )


def next_step(
    stage: Stage,
    escalation: EscalationLevel,
    deadline_at: datetime | None,
    admission: Admission | None,
    kind: RequestKind = RequestKind.FOOD_BAG,
) -> str:
    """What happens next and by when, from the projection row."""
    by = f" trước {vn_deadline(deadline_at)}" if deadline_at else ""
    who = "Quận/huyện" if escalation == EscalationLevel.DISTRICT else "Phường"
    match stage:
        case Stage.REGISTERED:
            return "Hệ thống đang kiểm tra trùng lặp; vui lòng tải lại sau ít phút."
        case Stage.AWAITING_VERIFICATION:
            return f"{who} sẽ xác minh hộ gia đình{by}."
        case Stage.AWAITING_STOCK:
            return f"Đang chờ hàng về điểm phát của phường; {who.lower()} đang bổ sung túi an sinh{by}."
        case Stage.AWAITING_DISPATCH:
            return f"{who} sẽ phân công người giao hàng; túi an sinh sẽ được giao{by}."
        case Stage.OUT_FOR_DELIVERY:
            return f"Người giao hàng đang mang túi an sinh đến{by}; vui lòng chuẩn bị CCCD khi nhận."
        case Stage.AWAITING_SUPPORT:
            return f"Nhu cầu của hộ đã được công bố; người hỗ trợ chuyển khoản thẳng vào tài khoản của hộ{by}."
        case Stage.DELIVERED:
            return "Đã giao túi an sinh; yêu cầu đã hoàn tất."
        case Stage.SUPPORTED:
            return "Hộ đã xác nhận nhận tiền hỗ trợ; yêu cầu đã hoàn tất."
        case Stage.REFUSED:
            return refusal_text(admission, kind) if admission else "Yêu cầu không được tiếp nhận."
        case Stage.REJECTED:
            return f"Phường không chấp thuận yêu cầu; nếu hoàn cảnh thay đổi, hãy đăng ký lại hoặc gọi {HOTLINE}."
        case Stage.EXPIRED:
            return f"Yêu cầu đã hết hạn; vui lòng đăng ký lại hoặc gọi {HOTLINE}."
        case Stage.CANCELLED:
            return "Yêu cầu đã được hủy; có thể đăng ký lại khi cần."
