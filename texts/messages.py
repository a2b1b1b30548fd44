"""Private messages: the thread pages, the ward's moderation, the notice of a new message, and the refusals of
the use cases (usecases/community/messages.py) and their pages (web/messages.py)."""

TEXTS: dict[str, tuple[str, str]] = {
    # What a notice (an SMS) names: the subject, never the text of a message or a phone.
    "msg.notice": (
        "Bạn có tin nhắn mới về {label}. Mở trang An Sinh để đọc và trả lời.",
        "You have a new message about {label}. Open An Sinh to read and answer it.",
    ),
    "msg.subject.pledge": ("cam kết hỗ trợ ANSINH {code}", "the support pledge ANSINH {code}"),
    "msg.subject.emergency": ("yêu cầu khẩn cấp {code}", "the emergency {code}"),
    # Refusals, by the stable codes the API answers with (`type`): the words are the thread's own.
    "msg.err.no_thread": ("Không tìm thấy cuộc trò chuyện này.", "No such conversation."),
    "msg.err.body_empty": ("Hãy viết nội dung tin nhắn.", "Write the message."),
    "msg.err.body_too_long": ("Tin nhắn dài tối đa {max} ký tự.", "A message has at most {max} characters."),
    "msg.err.thread_closed": (
        "Cuộc trò chuyện này đã đóng, không gửi thêm tin nhắn được.",
        "This conversation is closed: no more messages.",
    ),
    "msg.err.reason_empty": ("Hãy cho biết lý do báo cáo.", "Say what is wrong."),
    "msg.err.reason_too_long": ("Lý do dài tối đa {max} ký tự.", "A reason has at most {max} characters."),
    "msg.err.already_reported": (
        "Bạn đã báo cáo cuộc trò chuyện này.",
        "You reported this conversation already.",
    ),
    "msg.err.already_decided": (
        "Cuộc trò chuyện này đã được xem xét.",
        "This conversation was decided already.",
    ),
    "msg.err.outcome_missing": ("Hãy chọn đóng hoặc cho tiếp tục.", "Choose close or clear."),
    # The thread's page
    "msg.open": ("Nhắn tin", "Messages"),
    "msg.title.pledge": ("Tin nhắn về cam kết {code}", "Messages about pledge {code}"),
    "msg.title.emergency": ("Tin nhắn về yêu cầu khẩn cấp {code}", "Messages about emergency {code}"),
    "msg.with_helper": ("Trò chuyện với người hỗ trợ: {name}", "Conversation with the helper: {name}"),
    "msg.with_household": ("Trò chuyện với hộ nhận hỗ trợ", "Conversation with the household"),
    "msg.with_poster": ("Trò chuyện với người cần giúp", "Conversation with the person who asked for help"),
    "msg.private": (
        "Chỉ hai bên thấy tin nhắn; phường chỉ đọc khi có người báo cáo. Không ai thấy số điện thoại của bên kia "
        "trừ khi cả hai cùng đồng ý.",
        "Only the two of you see these messages; the ward reads them only if someone reports them. Nobody sees the "
        "other's phone number unless both agree.",
    ),
    "msg.list": ("Các tin nhắn", "Messages"),
    "msg.me": ("Bạn", "You"),
    "msg.helper": ("Người hỗ trợ", "Helper"),
    "msg.household": ("Hộ gia đình", "Household"),
    "msg.poster": ("Người cần giúp", "Person asking for help"),
    "msg.read": ("đã xem", "read"),
    "msg.none": ("Chưa có tin nhắn nào.", "No messages yet."),
    "msg.purged": ("(nội dung đã xóa theo thời hạn lưu trữ)", "(text deleted under the retention policy)"),
    "msg.write": ("Tin nhắn của bạn", "Your message"),
    "msg.write_hint": (
        "Tối đa {max} ký tự. Bên kia nhận SMS báo có tin nhắn mới, không kèm nội dung.",
        "At most {max} characters. The other side gets an SMS saying there is a new message, without its text.",
    ),
    "msg.send": ("Gửi", "Send"),
    "msg.closed": ("Cuộc trò chuyện này đã đóng.", "This conversation is closed."),
    "msg.blocked_by_me": (
        "Bạn đã chặn cuộc trò chuyện này: không bên nào gửi thêm được.",
        "You blocked this conversation: neither side can send more.",
    ),
    "msg.phone.title": ("Số điện thoại", "Phone numbers"),
    "msg.phone.hidden": (
        "Số điện thoại của bên kia được ẩn cho đến khi cả hai cùng đồng ý.",
        "The other side's number stays hidden until both of you agree.",
    ),
    "msg.phone.theirs": ("Số của bên kia:", "Their number:"),
    "msg.phone.mine_shared": ("Bạn đồng ý cho bên kia thấy số của bạn.", "You agree to show them your number."),
    "msg.phone.mine_hidden": (
        "Bạn chưa đồng ý cho bên kia thấy số của bạn.",
        "You have not agreed to show them your number.",
    ),
    "msg.phone.they_agree": ("Bên kia đã đồng ý.", "They have agreed."),
    "msg.phone.share": ("Đồng ý chia sẻ số điện thoại", "Agree to share phone numbers"),
    "msg.phone.withdraw": ("Rút lại đồng ý", "Withdraw my agreement"),
    "msg.safety": ("Báo cáo hoặc chặn", "Report or block"),
    "msg.report_reason": ("Lý do báo cáo (phường sẽ xem)", "Why you report it (the ward will look)"),
    "msg.report": ("Báo cáo cho phường", "Report to the ward"),
    "msg.reported": ("Bạn đã báo cáo cuộc trò chuyện này cho phường.", "You reported this conversation to the ward."),
    "msg.block": ("Chặn: không nhận và không gửi thêm tin nhắn", "Block: no more messages either way"),
    "msg.back": ("Quay lại", "Back"),
    "msg.mod.title": ("Tin nhắn bị báo cáo", "Reported conversations"),
    "msg.mod.intro": (
        "Các cuộc trò chuyện trong phường có người báo cáo. Mỗi lần mở đều được ghi nhật ký.",
        "Conversations in the ward that someone reported. Each reading is written to the audit log.",
    ),
    "msg.mod.none": ("Không có cuộc trò chuyện nào cần xem xét.", "No conversation to look at."),
    "msg.mod.reported": ("báo cáo lúc {when} · {n} báo cáo", "reported at {when} · {n} report(s)"),
    "msg.mod.done": ("Đã ghi nhận quyết định.", "The decision is recorded."),
    "msg.mod.audited": ("Lần đọc này đã được ghi nhật ký.", "This reading is in the audit log."),
    "msg.mod.reports": ("Báo cáo", "Reports"),
    "msg.mod.decide": ("Quyết định", "Decision"),
    "msg.mod.close": ("Đóng cuộc trò chuyện", "Close the conversation"),
    "msg.mod.clear": ("Không có vi phạm: cho tiếp tục", "Nothing wrong: let it go on"),
    "msg.mod.outcome.closed": ("Phường đã đóng cuộc trò chuyện này.", "The ward closed this conversation."),
    "msg.mod.outcome.cleared": ("Phường đã xem và cho tiếp tục.", "The ward looked and let it go on."),
}
