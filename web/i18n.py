"""Every text of the pages, Vietnamese first and English second, in one catalogue.

`translate(lang, key, **values)` fills `{name}` placeholders. Texts that come from the domain as
"tiếng Việt (English)" (validation messages) are split by `pick`, so one language shows at a time.
"""

import re
from typing import Literal

from web.emergency_texts import EMERGENCY_MESSAGES
from web.i18n_help_groups import HELP_GROUP_MESSAGES
from web.shipment_texts import SHIPMENT_MESSAGES

Lang = Literal["vi", "en"]
LANGS: tuple[Lang, ...] = ("vi", "en")

# key: (Vietnamese, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("An Sinh", "An Sinh"),
    "app.tagline": ("Túi an sinh đến mỗi hộ một lần", "Relief that reaches every household once"),
    "nav.home": ("Trang chủ", "Home"),
    "nav.register": ("Đăng ký", "Register"),
    "nav.track": ("Tra cứu", "Track"),
    "nav.staff": ("Cán bộ", "Staff"),
    "nav.inbox": ("Việc cần xác minh", "Verifications"),
    "nav.round": ("Giao hàng", "Deliveries"),
    "nav.dashboard": ("Bảng điều khiển", "Dashboard"),
    "nav.ward": ("Danh sách & độ phủ", "Registry & coverage"),
    "nav.mine": ("Yêu cầu của tôi", "My requests"),
    "nav.sign_out": ("Đăng xuất", "Sign out"),
    "nav.pledges": ("Cam kết của tôi", "My pledges"),
    "nav.ward_pledges": ("Hỗ trợ tiền mặt", "Cash support"),
    "lang.switch": ("English", "Tiếng Việt"),
    # Private messages about a pledge, and the ward's moderation
    "nav.messages": ("Tin nhắn bị báo cáo", "Reported messages"),
    "msg.open": ("Nhắn tin", "Messages"),
    "msg.title": ("Tin nhắn về cam kết {code}", "Messages about pledge {code}"),
    "msg.with_helper": ("Trò chuyện với người hỗ trợ: {name}", "Conversation with the helper: {name}"),
    "msg.with_household": ("Trò chuyện với hộ nhận hỗ trợ", "Conversation with the household"),
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
    # Cash pledges: helpers, households and wards
    "pledge.sign_in.title": ("Đăng nhập để hỗ trợ", "Sign in to help"),
    "pledge.sign_in.intro": (
        "Nhập số điện thoại của bạn; chúng tôi gửi mã xác thực bằng SMS. Không cần đăng ký trước.",
        "Enter your phone number; we send a code by SMS. No registration needed first.",
    ),
    "pledge.sign_in.name": ("Tên hiển thị", "Display name"),
    "pledge.sign_in.name_hint": (
        "Tên của bạn hoặc của nhóm thiện nguyện, hộ nhận sẽ thấy.",
        "Your name or your help group's, as households will see it.",
    ),
    "pledge.sign_in.kind": ("Bạn hỗ trợ với tư cách", "You help as"),
    "pledge.kind.person": ("Cá nhân", "A person"),
    "pledge.kind.group": ("Nhóm thiện nguyện", "A help group"),
    "pledge.form.title": ("Cam kết hỗ trợ tiền mặt", "Pledge cash support"),
    "pledge.asked": ("Hộ cần", "Asked"),
    "pledge.remaining": ("Còn cần", "Still needed"),
    "pledge.form.amount": ("Số tiền (đồng)", "Amount (VND)"),
    "pledge.form.amount_hint": ("Từ {least} đến {most}, số nguyên đồng.", "From {least} to {most}, whole dong."),
    "pledge.form.promise": (
        "Bạn sẽ nhận mã VietQR để chuyển khoản thẳng cho hộ; An Sinh không giữ tiền.",
        "You will get a VietQR code to pay the household directly; An Sinh never holds the money.",
    ),
    "pledge.form.send": ("Cam kết", "Pledge"),
    "pledge.form.closed": ("Nhu cầu này không còn nhận cam kết.", "This need takes no more pledges."),
    "pledge.form.sign_in": ("Đăng nhập bằng số điện thoại để cam kết", "Sign in with your phone to pledge"),
    "pledge.mine.title": ("Cam kết của tôi", "My pledges"),
    "pledge.mine.none": ("Bạn chưa có cam kết nào.", "You have no pledges yet."),
    "pledge.one.title": ("Cam kết {code}", "Pledge {code}"),
    "pledge.pay.title": ("Chuyển khoản cho hộ", "Pay the household"),
    "pledge.pay.by": ("Hãy chuyển khoản trước {when}.", "Please pay before {when}."),
    "pledge.pay.scan": (
        "Quét mã bằng ứng dụng ngân hàng: số tiền và nội dung đã điền sẵn.",
        "Scan with your bank app: the amount and the reference are filled in.",
    ),
    "pledge.pay.bank": ("Ngân hàng", "Bank"),
    "pledge.pay.holder": ("Chủ tài khoản", "Account holder"),
    "pledge.pay.account": ("Số tài khoản", "Account number"),
    "pledge.pay.amount": ("Số tiền", "Amount"),
    "pledge.pay.reference": ("Nội dung chuyển khoản", "Transfer reference"),
    "pledge.pay.done": ("Tôi đã chuyển khoản", "I have paid"),
    "pledge.pay.release": ("Hủy cam kết", "Withdraw the pledge"),
    "pledge.state.pledged": ("Chờ chuyển khoản", "Awaiting payment"),
    "pledge.state.transferred": ("Đã báo chuyển, chờ hộ xác nhận", "Paid, awaiting the household"),
    "pledge.state.disputed": ("Hộ báo chưa nhận, phường đang xem xét", "Not received, with the ward"),
    "pledge.state.confirmed": ("Hộ đã nhận", "Received"),
    "pledge.state.expired": ("Đã hết hạn", "Expired"),
    "pledge.state.released": ("Đã hủy", "Withdrawn"),
    "pledge.household.title": ("Hỗ trợ tiền mặt đến hộ", "Cash support for the household"),
    "pledge.household.arrived": ("Đã nhận được", "It arrived"),
    "pledge.household.not_arrived": ("Chưa nhận được", "Not arrived"),
    "pledge.ward.title": ("Hỗ trợ tiền mặt cần phường quyết định", "Cash pledges for the ward to decide"),
    "pledge.ward.intro": (
        "Hộ báo chưa nhận được, hoặc chưa xác nhận khoản đã được báo chuyển. Liên hệ hộ rồi quyết định.",
        "The household says it has not arrived, or has not confirmed a reported payment. Call them, then decide.",
    ),
    "pledge.ward.none": ("Không có cam kết nào cần quyết định.", "No pledge needs a decision."),
    "pledge.ward.reported": ("báo chuyển ngày {day}", "reported paid on {day}"),
    "pledge.ward.question": ("Tiền đã đến tài khoản của hộ chưa?", "Did the money reach the household?"),
    "pledge.ward.yes": ("Đã đến", "It arrived"),
    "pledge.ward.no": ("Không đến", "It never arrived"),
    "pledge.ward.note": ("Ghi chú (không bắt buộc)", "Note (optional)"),
    "pledge.ward.decide": ("Quyết định", "Decide"),
    "pledge.ward.wait": (
        "Hộ còn thời gian để xác nhận; phường sẽ được hỏi nếu hộ không trả lời.",
        "The household still has time to confirm; the ward is asked if it does not answer.",
    ),
    "pledge.ward.choose": ("Chọn tiền đã đến hay không.", "Choose whether the money arrived."),
    "skip": ("Bỏ qua đến nội dung", "Skip to content"),
    "hotline": ("Tổng đài hỗ trợ: 1900 633 996", "Hotline: 1900 633 996"),
    # Home
    "home.title": ("Đăng ký nhận túi an sinh", "Ask for a welfare food bag"),
    "home.intro": (
        "Mỗi hộ gia đình được nhận một túi an sinh trong 14 ngày. Đăng ký, rồi theo dõi yêu cầu bằng mã.",
        "Each household may receive one food bag every 14 days. Register, then follow your request by its code.",
    ),
    "home.register": ("Đăng ký mới", "Register a request"),
    "home.track": ("Tra cứu yêu cầu", "Track a request"),
    "home.staff": ("Cán bộ, người giao hàng đăng nhập", "Staff and couriers: sign in"),
    # Donations: donors (no account) and warehouse staff
    "home.donate": ("Quyên góp hàng hóa", "Donate goods"),
    "nav.donate": ("Quyên góp", "Donate"),
    "nav.warehouse": ("Hàng sắp đến", "Due at the warehouse"),
    "don.title": ("Đăng ký quyên góp", "Announce a donation"),
    "don.intro": (
        "Cho chúng tôi biết bạn mang gì đến, kho nào và ngày nào. Không cần tài khoản: bạn sẽ nhận một đường dẫn"
        " để theo dõi và xem hàng đã đến những quận nào.",
        "Tell us what you bring, to which warehouse and when. No account needed: you get a link to follow it and"
        " to see which districts your goods reached.",
    ),
    "don.donor": ("Người quyên góp", "Donor"),
    "don.kind": ("Bạn là", "You are"),
    "don.kind.organisation": ("Tổ chức, doanh nghiệp", "An organisation"),
    "don.kind.person": ("Cá nhân", "A person"),
    "don.origin": ("Ở", "Based"),
    "don.origin.domestic": ("Trong nước", "In Vietnam"),
    "don.origin.overseas": ("Nước ngoài", "Overseas"),
    "don.name": ("Tên tổ chức hoặc họ tên", "Organisation or full name"),
    "don.contact_name": ("Người liên hệ (không bắt buộc)", "Contact person (optional)"),
    "don.phone": ("Số điện thoại", "Phone"),
    "don.phone_hint": ("Số nước ngoài ghi kèm mã quốc gia, ví dụ +65…", "Overseas numbers with their code, e.g. +65…"),
    "don.email": ("Email (không bắt buộc)", "Email (optional)"),
    "don.place": ("Kho nhận hàng", "Warehouse"),
    "don.expected_on": ("Ngày mang hàng đến", "Day the goods arrive"),
    "don.goods": ("Hàng hóa", "Goods"),
    "don.line": ("Dòng {n}", "Line {n}"),
    "don.item": ("Mặt hàng", "Item"),
    "don.item_none": ("— không dùng dòng này —", "— line not used —"),
    "don.quantity": ("Số lượng", "Quantity"),
    "don.expires_on": ("Hạn sử dụng (bắt buộc với hàng tươi sống)", "Expiry date (required for fresh goods)"),
    "don.value": ("Giá trị ước tính (đồng, không bắt buộc)", "Estimated value (VND, optional)"),
    "don.submit": ("Gửi đăng ký quyên góp", "Announce the donation"),
    "don.follow_title": ("Quyên góp {code}", "Donation {code}"),
    "don.keep_link": (
        "Hãy lưu đường dẫn của trang này: đó là cách duy nhất để theo dõi quyên góp.",
        "Keep this page's address: it is the only way to follow your donation.",
    ),
    "don.stage": ("Tình trạng", "Status"),
    "don.stage.announced": ("Đang chờ hàng đến", "Waiting for the goods"),
    "don.stage.stocked": ("Đã nhận và nhập kho", "Received and in stock"),
    "don.stage.rejected": ("Đã kiểm tra, không nhận", "Inspected and refused"),
    "don.stage.expired": ("Hết hạn: hàng chưa đến", "Expired: the goods never came"),
    "don.stage.cancelled": ("Đã hủy", "Cancelled"),
    "don.where": ("Hàng của bạn đã đến", "Where your goods went"),
    "don.where_none": ("Chưa có hàng nào được phát.", "Nothing has been handed out yet."),
    "don.where_district": ("Nơi nhận", "Where"),
    "don.where_households": ("Số hộ", "Households"),
    "don.announced": ("Đăng ký", "Announced"),
    "don.received": ("Đã nhận", "Received"),
    "don.inspection.accepted": ("Nhận", "Accepted"),
    "don.inspection.rejected": ("Không nhận", "Rejected"),
    "don.cancel": ("Hủy quyên góp", "Cancel the donation"),
    "don.cancel_reason": ("Lý do (không bắt buộc)", "Reason (optional)"),
    "don.cancelled_notice": ("Quyên góp đã được hủy.", "The donation was cancelled."),
    "don.due_title": ("Hàng quyên góp sắp đến", "Donations due"),
    "don.due_empty": ("Không có quyên góp nào đang chờ.", "No donation is due."),
    "don.open": ("Nhận hàng", "Receive"),
    "don.receive_title": ("Nhận quyên góp {code}", "Receive donation {code}"),
    "don.received_quantity": ("Số lượng thực nhận", "Quantity received"),
    "don.inspection": ("Kiểm tra", "Inspection"),
    "don.reason": ("Lý do không nhận", "Why it is rejected"),
    "don.receive_submit": ("Ghi nhận và nhập kho", "Record and stock"),
    "don.received_notice": (
        "Đã ghi nhận quyên góp {code}: {lots} lô nhập kho.",
        "Donation {code} recorded: {lots} lots.",
    ),
    # Registration
    "reg.title": ("Đăng ký túi an sinh", "Register for a food bag"),
    "reg.step": ("Bước {n}/2", "Step {n} of 2"),
    "reg.where": ("Bạn ở phường/xã nào?", "Which ward do you live in?"),
    "reg.by_address": ("Tìm theo địa chỉ", "Find by address"),
    "reg.address_hint": ("Ví dụ: 45 Lê Lợi, Phường Bến Nghé, Quận 1", "E.g. 45 Lê Lợi, Phường Bến Nghé, Quận 1"),
    "reg.find": ("Tìm phường", "Find my ward"),
    "reg.or_pick": ("Hoặc chọn từ danh sách", "Or pick from the list"),
    "reg.district": ("Quận/huyện", "District"),
    "reg.pick_district": ("Chọn quận/huyện", "Choose the district"),
    "reg.ward": ("Phường/xã", "Ward"),
    "reg.next": ("Tiếp tục", "Continue"),
    "reg.found": ("Có phải {ward}, {district}?", "Is it {ward}, {district}?"),
    "reg.found_hint": (
        "Vui lòng kiểm tra. Nếu sai, hãy chọn lại phường.",
        "Please check. If it is wrong, choose the ward again.",
    ),
    "reg.change_ward": ("Chọn phường khác", "Choose another ward"),
    "reg.not_found": (
        "Không tìm thấy phường/xã trong địa chỉ này; hãy chọn từ danh sách.",
        "No ward found in this address; please pick one from the list.",
    ),
    "reg.details": ("Thông tin hộ gia đình", "Household details"),
    "reg.full_name": ("Họ và tên người đăng ký", "Full name"),
    "reg.national_id": ("Số định danh cá nhân (CCCD)", "Personal ID number (CCCD)"),
    "reg.national_id_hint": ("9 hoặc 12 chữ số", "9 or 12 digits"),
    "reg.phone": ("Số điện thoại", "Phone number"),
    "reg.phone_hint": ("Để nhận tin nhắn và tra cứu", "To get messages and track your request"),
    "reg.address": ("Địa chỉ (số nhà, đường)", "Address (house number, street)"),
    "reg.household_size": ("Số người trong hộ", "People in the household"),
    "reg.submit": ("Gửi đăng ký", "Send"),
    "reg.errors": ("Vui lòng sửa các ô được đánh dấu.", "Please correct the marked fields."),
    # Field errors (pydantic error types)
    "err.missing": ("Vui lòng nhập ô này.", "Please fill this in."),
    "err.string_too_short": ("Quá ngắn.", "Too short."),
    "err.string_too_long": ("Quá dài.", "Too long."),
    "err.int_parsing": ("Vui lòng nhập một số.", "Please enter a number."),
    "err.greater_than_equal": ("Phải từ {ge} trở lên.", "Must be {ge} or more."),
    "err.less_than_equal": ("Không quá {le}.", "At most {le}."),
    "err.invalid": ("Giá trị không hợp lệ.", "Invalid value."),
    "err.csrf": (
        "Phiên làm việc đã hết hạn; vui lòng tải lại trang và thử lại.",
        "Your session has expired; reload the page and try again.",
    ),
    "err.photo_too_large": ("Ảnh quá lớn; hãy chụp lại với kích thước nhỏ hơn.", "The photo is too large."),
    "err.rate_limited": (
        "Quá nhiều lần thử; vui lòng thử lại sau {seconds} giây.",
        "Too many tries; try again in {seconds} seconds.",
    ),
    "reg.paused": (
        "Hệ thống đang nhận quá nhiều đăng ký. Đăng ký của bạn CHƯA được gửi; "
        "hãy bấm «Gửi đăng ký» lại sau {seconds} giây.",
        "Too many registrations are arriving. Yours has NOT been sent yet; press Send again in {seconds} seconds.",
    ),
    "err.unavailable": (
        "Hệ thống đang bận; vui lòng thử lại sau ít phút.",
        "The system is busy; please try again in a few minutes.",
    ),
    # Request page
    "req.title": ("Yêu cầu {code}", "Request {code}"),
    "req.code_note": ("Hãy ghi lại mã {code} để tra cứu.", "Keep the code {code} to track your request."),
    "req.stage": ("Trạng thái", "Status"),
    "req.next": ("Tiếp theo", "What happens next"),
    "req.timeline": ("Quá trình xử lý", "Timeline"),
    "req.notifications": ("Tin nhắn đã gửi cho bạn", "Messages sent to you"),
    "req.no_notifications": ("Chưa có tin nhắn.", "No messages yet."),
    "req.place": ("Nơi ở", "Place"),
    "req.refused_title": ("Chưa thể nhận túi an sinh", "Not yet: the household already received help"),
    "req.last_received": ("Lần nhận gần nhất", "Last bag received on"),
    "req.eligible_again": ("Có thể đăng ký lại từ ngày", "May ask again from"),
    "req.open_request": ("Yêu cầu đang xử lý", "Request in progress"),
    "req.applicant": ("Người đăng ký", "Applicant"),
    "req.phone": ("Điện thoại", "Phone"),
    "req.household": ("Hộ gia đình này", "This household"),
    "req.duplicate": ("Có thể trùng với hộ này", "Probable duplicate of this household"),
    "req.members": ("Thành viên", "Members"),
    "req.size": ("Số người", "People"),
    "req.categories": ("Diện", "Category"),
    "req.open_codes": ("Yêu cầu đang mở", "Open requests"),
    "req.never": ("chưa nhận lần nào", "never"),
    "req.deadline": ("Hạn xử lý", "Deadline"),
    "req.overdue": ("Quá hạn", "Overdue"),
    "req.escalated": ("Đã chuyển quận", "Escalated"),
    "req.workflow": ("Xem quy trình trong Temporal UI", "Open its workflow in the Temporal UI"),
    "req.photo": ("Ảnh giao hàng", "Delivery photo"),
    "req.photo_alt": ("Ảnh túi an sinh đã giao cho yêu cầu {code}", "Photo of the delivered bag for {code}"),
    # Verification
    "verify.title": ("Xác minh", "Verification"),
    "verify.approve": ("Chấp thuận", "Approve"),
    "verify.reject": ("Không chấp thuận", "Reject"),
    "verify.reason": ("Lý do (bắt buộc khi không chấp thuận)", "Reason (required to reject)"),
    "verify.same": ("Hai hộ có phải là một?", "Are the two households the same?"),
    "verify.same_yes": ("Cùng một hộ (gộp lại)", "The same household (merge)"),
    "verify.same_no": ("Hai hộ khác nhau", "Different households"),
    "verify.submit": ("Gửi quyết định", "Send decision"),
    "verify.need_reason": ("Vui lòng ghi lý do không chấp thuận.", "Please give the reason for rejecting."),
    "verify.need_same": (
        "Vui lòng cho biết hai hộ có phải là một không.",
        "Please say whether the two households are the same.",
    ),
    "verify.done": ("Đã ghi quyết định cho yêu cầu {code}.", "Decision recorded for {code}."),
    # The household's "not received", and the ward's finding on a delivery marked for review
    "notrec.title": ("Chưa nhận được túi?", "Did the bag not arrive?"),
    "notrec.hint": (
        "Nếu hộ chưa nhận được túi an sinh, hãy báo trước {when}; "
        "phường sẽ xem ảnh và thông tin giao hàng rồi trả lời.",
        "If your household did not receive the bag, say so before {when}; the ward looks at the photo and the proof "
        "and answers.",
    ),
    "notrec.note": ("Ghi chú (không bắt buộc)", "Note (optional)"),
    "notrec.submit": ("Tôi chưa nhận được túi", "We did not receive the bag"),
    "notrec.said": (
        "Hộ đã báo chưa nhận được túi lúc {when}; phường đang xem xét.",
        "You said on {when} that the bag did not arrive; the ward is looking into it.",
    ),
    "notrec.done": (
        "Đã ghi nhận: hộ chưa nhận được túi. Phường sẽ xem xét.",
        "Recorded: the bag did not arrive. The ward will look into it.",
    ),
    "notrec.found_received": (
        "Phường đã xem xét lúc {when}: túi đã được giao đến hộ.",
        "The ward found on {when} that the bag was delivered to the household.",
    ),
    "notrec.found_not_received": (
        "Phường đã xem xét lúc {when}: hộ chưa nhận được túi; phường sẽ liên hệ.",
        "The ward found on {when} that the bag did not reach the household; the ward will contact you.",
    ),
    "req.delivered_at": ("Giao lúc", "Delivered at"),
    "review.household_says": ("Hộ báo chưa nhận được túi", "The household says the bag did not arrive"),
    "review.decide": ("Kết luận của phường", "The ward's finding"),
    "review.received_yes": ("Hộ đã nhận túi", "The household received the bag"),
    "review.received_no": ("Hộ chưa nhận được túi", "The household did not receive the bag"),
    "review.note": ("Ghi chú của phường", "The ward's note"),
    "review.submit": ("Ghi kết luận", "Record the finding"),
    "review.found": ("{who} kết luận lúc {when}: {finding}", "{who} found on {when}: {finding}"),
    "review.done": ("Đã ghi kết luận xem xét giao hàng.", "The review's finding is recorded."),
    # Refusals of an action by the workflow
    "refused.WrongStage": (
        "Yêu cầu không còn ở bước này (có thể đã được xử lý); hãy tải lại trang.",
        "The request is no longer at this step (it may have been handled); reload the page.",
    ),
    "refused.OutOfScope": ("Việc này không thuộc phạm vi của bạn.", "This is not in your scope."),
    "refused.Busy": ("Đang xử lý thao tác khác; thử lại sau giây lát.", "Another action is in progress; try again."),
    "refused.Duplicate": ("Việc này đã được thực hiện.", "This was already done."),
    "refused.InvalidDecision": ("Quyết định chưa đủ thông tin.", "The decision is incomplete."),
    "refused.StepFailed": (
        "Hệ thống chưa ghi nhận được thao tác này; cán bộ giám sát đã được báo. Hãy xem lại trạng thái sau.",
        "The system could not record this now; a supervisor has been alerted. Check the status later.",
    ),
    # Inbox
    "inbox.title": ("Việc cần làm của phường", "The ward's tasks"),
    "inbox.district_title": ("Yêu cầu chuyển lên quận/huyện", "Requests escalated to the district"),
    "inbox.empty": ("Không có việc nào đang chờ.", "Nothing is waiting."),
    "inbox.registered": ("Đăng ký lúc", "Registered"),
    # Courier
    "round.title": ("Cần giao hôm nay", "Today's deliveries"),
    "round.empty": ("Không có túi nào cần giao.", "Nothing to deliver."),
    "round.open": ("Giao túi này", "Deliver this bag"),
    "deliver.title": ("Xác nhận đã giao", "Confirm delivery"),
    "deliver.photo": ("Ảnh chụp khi giao", "Photo at the door"),
    "deliver.photo_hint": ("Chụp túi an sinh cùng người nhận.", "Take a photo of the bag with the recipient."),
    "deliver.national_id": ("Số định danh cá nhân (CCCD) của người nhận", "Recipient's personal ID number (CCCD)"),
    "deliver.phone": ("Số điện thoại người nhận", "Recipient's phone"),
    "deliver.submit": ("Xác nhận đã giao", "Confirm delivered"),
    "deliver.done": ("Đã ghi nhận giao hàng cho yêu cầu {code}.", "Delivery recorded for {code}."),
    "failed.title": ("Giao không thành công", "Failed attempt"),
    "failed.reason": ("Lý do", "Reason"),
    "failed.submit": ("Báo giao không thành công", "Report failed attempt"),
    "failed.done": ("Đã ghi nhận lần giao không thành công.", "Failed attempt recorded."),
    # Reaching the recipient, and a recipient who is not a member of the household (the ward's review)
    "contact.title": ("Giao đến", "Deliver to"),
    "contact.call": ("Gọi {phone}", "Call {phone}"),
    "contact.phone": ("Điện thoại", "Phone"),
    "contact.map": ("Xem trên bản đồ", "Open the map"),
    "contact.preview": ("Ảnh sẽ gửi", "Photo to send"),
    "review.warn_title": ("Người nhận không có trong hộ này", "The recipient is not in this household"),
    "review.warn": (
        "Số định danh người nhận không khớp với thành viên nào của hộ. Hãy cho biết ai đã nhận túi, rồi chụp lại"
        " ảnh và gửi; lần giao này sẽ được phường xem lại.",
        "The recipient's ID number matches no member of the household. Say who received the bag, then take the"
        " photo again and send; the ward will review this delivery.",
    ),
    "review.relationship": ("Người nhận là ai với hộ?", "Who is the recipient to the household?"),
    "review.choose": ("— Chọn —", "— Choose —"),
    "review.rel.vợ/chồng": ("Vợ/chồng", "Spouse"),
    "review.rel.con": ("Con", "Child"),
    "review.rel.cha/mẹ": ("Cha/mẹ", "Parent"),
    "review.rel.anh/chị/em": ("Anh/chị/em", "Sibling"),
    "review.rel.hàng xóm": ("Hàng xóm", "Neighbour"),
    "review.rel.tổ trưởng tổ dân phố": ("Tổ trưởng tổ dân phố", "Head of the residential group"),
    "review.rel.khác": ("Khác (ghi lý do bên dưới)", "Other (give the reason below)"),
    "review.reason": ("Lý do hoặc ghi chú", "Reason or note"),
    "review.need": ("Chọn người nhận là ai hoặc ghi lý do", "Choose who received it or give a reason"),
    "review.title": ("Người nhận túi", "Who received the bag"),
    "review.badge": ("Cần phường xem lại", "For the ward's review"),
    "review.stated": ("Theo người giao", "As the courier said"),
    "review.id_last4": ("Số định danh người nhận (4 số cuối)", "Recipient's ID number (last 4)"),
    "review.not_member": (
        "Người nhận không phải thành viên của hộ.",
        "The recipient is not a member of the household.",
    ),
    "review.belongs_to": (
        "Số định danh người nhận thuộc một hộ khác, có yêu cầu:",
        "The recipient's ID number belongs to another household, with requests:",
    ),
    "review.for_others": (
        "Số định danh của một thành viên hộ này đã được dùng để nhận túi của hộ khác, yêu cầu:",
        "The ID number of a member of this household was used to receive another household's bag, request:",
    ),
    "review.dash_column": ("Cần xem lại", "For review"),
    # Sign-in and lookup
    "login.title": (
        "Đăng nhập: cán bộ, nhân viên kho, người giao túi",
        "Sign in: officials, warehouse staff, couriers",
    ),
    "login.username": ("Tên đăng nhập", "Username"),
    "login.password": ("Mật khẩu", "Password"),
    "login.submit": ("Đăng nhập", "Sign in"),
    "login.wrong": (
        "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
        "Wrong username or password, or the account is disabled.",
    ),
    "login.needed": ("Vui lòng đăng nhập để xem trang này.", "Please sign in to see this page."),
    "track.title": ("Tra cứu yêu cầu", "Track a request"),
    "track.intro": (
        "Nhập số điện thoại đã đăng ký; chúng tôi gửi mã xác thực bằng tin nhắn SMS.",
        "Enter the phone you registered with; we send you a one-time code by SMS.",
    ),
    "track.code": ("Mã yêu cầu (nếu có)", "Request code (if you have it)"),
    "track.send": ("Gửi mã xác thực", "Send me a code"),
    "track.sent": (
        "Nếu số điện thoại đã đăng ký, mã xác thực đã được gửi. Mã có hiệu lực {minutes} phút.",
        "If the phone is registered, a code was sent. It is valid for {minutes} minutes.",
    ),
    "track.otp": ("Mã xác thực (6 chữ số)", "One-time code (6 digits)"),
    "track.verify": ("Xem yêu cầu", "See my requests"),
    "track.wrong": ("Mã sai hoặc đã hết hạn; hãy yêu cầu mã mới.", "The code is wrong or has expired."),
    "mine.title": ("Yêu cầu của hộ gia đình", "Your household's requests"),
    "mine.empty": ("Chưa có yêu cầu nào.", "No requests yet."),
    # Ward registry and coverage
    "ward.title": ("{ward}: danh sách hộ và độ phủ", "{ward}: registry and coverage"),
    "ward.coverage": ("Độ phủ {days} ngày qua", "Coverage over the last {days} days"),
    "ward.on_registry": ("Hộ trong danh sách", "Households on the list"),
    "ward.reached": ("Đã nhận túi", "Received a bag"),
    "ward.unreached": ("Chưa được tiếp cận", "Not reached"),
    "ward.stuck": ("Yêu cầu quá hạn", "Requests past deadline"),
    "ward.outreach": ("Tải danh sách hộ chưa tiếp cận (CSV)", "Download the households not reached (CSV)"),
    "ward.import": ("Nhập danh sách hộ cần hỗ trợ", "Import the list of households in need"),
    "ward.file": ("Tệp CSV hoặc Excel (.xlsx)", "CSV or Excel (.xlsx) file"),
    "ward.import_submit": ("Nhập danh sách", "Import"),
    "ward.report": ("Kết quả nhập", "Import report"),
    "ward.report_counts": (
        "{imported} dòng hợp lệ, {rejected} dòng bị từ chối.",
        "{imported} valid rows, {rejected} rows refused.",
    ),
    "ward.line": ("Dòng", "Line"),
    "ward.reasons": ("Lý do", "Reasons"),
    "ward.already": ("Tệp này đã được nhập trước đây; không có gì thay đổi.", "This file was imported before."),
    # Dashboard
    "dash.title": ("Bảng điều khiển", "Dashboard"),
    "dash.by_stage": ("Số yêu cầu theo trạng thái", "Requests by stage"),
    "dash.by_unit": ("Theo địa bàn", "By area"),
    "dash.per_day": ("Túi đã giao mỗi ngày (14 ngày)", "Bags delivered per day (14 days)"),
    "dash.overdue": ("Yêu cầu quá hạn hoặc đã chuyển quận", "Overdue or escalated requests"),
    "dash.none_overdue": ("Không có yêu cầu quá hạn.", "No overdue requests."),
    "dash.total": ("Tổng", "Total"),
    "dash.open": ("Đang xử lý", "Open"),
    "dash.delivered": ("Đã giao", "Delivered"),
    "dash.unit": ("Địa bàn", "Area"),
    "dash.count": ("Số lượng", "Count"),
    "dash.day": ("Ngày", "Day"),
    "dash.chart_table": ("Xem dạng bảng", "Show as a table"),
    "dash.requests_of": ("Yêu cầu của {unit}", "Requests of {unit}"),
    "dash.back": ("Quay lại", "Back"),
    "dash.refused": ("Từ chối (trùng)", "Refused (duplicate)"),
    "dash.closed": ("Đóng khác", "Closed otherwise"),
    "dash.crumbs": ("Vị trí", "You are here"),
    "dash.city": ("Toàn thành phố", "Whole city"),
    "dash.cash": ("Hỗ trợ tiền mặt từ cộng đồng", "Cash support from the community"),
    "dash.cash_needs": ("Số hộ cần", "Needs"),
    "dash.cash_asked": ("Số tiền cần", "Asked"),
    "dash.cash_pledged": ("Đang cam kết", "Pledged, not yet confirmed"),
    "dash.cash_confirmed": ("Hộ đã xác nhận nhận", "Confirmed received"),
    "dash.cash_expired": ("Cam kết quá hạn", "Pledges expired unpaid"),
    "dash.ward_filter": ("Tìm phường", "Find a ward"),
    "dash.filter": ("Lọc", "Filter"),
    "dash.no_ward": ("Không có phường nào khớp.", "No ward matches."),
    "dash.spoiled": ("Hàng hư hỏng đã ghi hủy mỗi tuần (8 tuần)", "Spoiled goods written off per week (8 weeks)"),
    "dash.none_spoiled": ("Không có hàng nào bị ghi hủy trong 8 tuần qua.", "Nothing written off in the last 8 weeks."),
    "dash.week": ("Tuần", "Week"),
    "dash.place": ("Kho / điểm phát", "Warehouse / point"),
    "dash.spoiled_units": ("Đơn vị khác (hộp, gói, lít, túi…)", "Other units (cans, packs, litres, bags…)"),
    "table.code": ("Mã", "Code"),
    "table.stage": ("Trạng thái", "Status"),
    "table.address": ("Địa chỉ", "Address"),
    "table.name": ("Người nhận", "Recipient"),
    "table.people": ("Số người", "People"),
    # Stock: warehouse staff's place, the officials' stock by place, the public's totals
    "nav.stock": ("Kho của tôi", "My stock"),
    "nav.stock_overview": ("Tồn kho", "Stock"),
    "nav.public_stock": ("Hàng cứu trợ", "Relief goods"),
    "unit.kg": ("kg", "kg"),
    "unit.L": ("lít", "L"),
    "unit.pack": ("gói", "packs"),
    "unit.can": ("hộp", "cans"),
    "unit.piece": ("quả", "pieces"),
    "unit.box": ("hộp", "boxes"),
    "unit.bottle": ("chai", "bottles"),
    "unit.bag": ("túi", "bags"),
    "unit.bar": ("bánh", "bars"),
    "stock.errors": ("Có lỗi cần sửa", "There is a problem"),
    "stock.choose": ("— Chọn —", "— Choose —"),
    "stock.bags": ("Túi an sinh", "Food bags"),
    "stock.free_bags": ("Túi còn trống", "Free bags"),
    "stock.cover": ("Đủ phát (ngày)", "Days of cover"),
    "stock.by_item": ("Tồn kho theo mặt hàng", "Stock by item"),
    "stock.by_place": ("Tồn kho theo điểm và mặt hàng", "Stock by place and item"),
    "stock.pick_district": (
        "Kho thành phố và kho quận; chọn một kho quận để xem các điểm phát của quận.",
        "City and district warehouses; choose a district's warehouse to see its ward points.",
    ),
    "stock.place": ("Điểm kho", "Place"),
    "stock.item": ("Mặt hàng", "Item"),
    "stock.on_hand": ("Tồn", "On hand"),
    "stock.reserved": ("Đã giữ", "Reserved"),
    "stock.free": ("Còn trống", "Free"),
    "stock.empty": ("Chưa có hàng.", "No stock yet."),
    "stock.lot": ("Lô hàng", "Lot"),
    "stock.lots": ("Các lô hàng (hết hạn trước ở trên)", "Lots (soonest expiry first)"),
    "stock.expires": ("HSD", "Expires"),
    "stock.no_expiry": ("không hạn", "no expiry"),
    "stock.expired": ("đã quá hạn", "expired"),
    "stock.quantity": ("Số lượng", "Quantity"),
    "stock.assemble": ("Đóng túi an sinh", "Assemble food bags"),
    "stock.bags_to_make": ("Số túi", "Bags"),
    "stock.assemble_hint": (
        "Lấy hàng hết hạn trước; đủ cho tất cả các túi hoặc không đóng túi nào.",
        "Takes the soonest-expiring goods first; all the bags or none.",
    ),
    "stock.assemble_submit": ("Đóng túi", "Assemble"),
    "stock.count": ("Kiểm kê một lô", "Count a lot"),
    "stock.counted": ("Số đếm được", "Counted"),
    "stock.count_hint": ("Chênh lệch với sổ sẽ được ghi điều chỉnh.", "The difference is recorded as an adjustment."),
    "stock.count_submit": ("Ghi kiểm kê", "Record the count"),
    "stock.write_off": ("Hủy hàng hỏng", "Write off"),
    "stock.cause": ("Nguyên nhân", "Cause"),
    "stock.cause.spoiled": ("Hư hỏng, ôi thiu", "Spoiled"),
    "stock.cause.damaged": ("Bể vỡ, móp méo", "Damaged"),
    "stock.reason": ("Lý do cụ thể", "Reason"),
    "stock.write_off_submit": ("Hủy hàng", "Write off"),
    "stock.transfer": ("Chuyển hàng sang kho khác", "Transfer to another place"),
    "stock.fefo_hint": ("Lấy lô hết hạn trước.", "Soonest-expiring lots go first."),
    "stock.to_place": ("Kho nhận", "Receiving place"),
    "stock.transfer_submit": ("Chuyển hàng", "Transfer"),
    "stock.issue": ("Xuất cho bệnh viện, khu cách ly, bếp ăn", "Issue to a hospital, quarantine area or kitchen"),
    "stock.institution": ("Cơ sở nhận", "Receiving institution"),
    "stock.issue_submit": ("Xuất hàng", "Issue"),
    "stock.done.assembly": ("Đã đóng túi.", "Bags assembled."),
    "stock.done.count": ("Đã ghi kiểm kê.", "Count recorded."),
    "stock.done.write_off": ("Đã hủy hàng.", "Written off."),
    "stock.done.transfer": ("Đã chuyển hàng.", "Transferred."),
    "stock.done.issue": ("Đã xuất hàng.", "Issued."),
    "stock.overview": ("Tồn kho", "Stock"),
    "stock.near_expiry": (
        "Lô sắp hết hạn (trong {days} ngày) hoặc đã quá hạn",
        "Lots expiring within {days} days or past",
    ),
    "stock.none_near": ("Không có lô nào sắp hết hạn.", "No lot is near its expiry."),
    "stock.public": ("Hàng cứu trợ của thành phố", "The city's relief goods"),
    "stock.public_intro": (
        "Tổng hàng đã nhận, đã phát, còn tồn và đã hủy, theo mặt hàng và theo quận.",
        "Goods received, distributed, on hand and written off, by item and by district.",
    ),
    "stock.city_totals": ("Toàn thành phố", "Whole city"),
    "stock.received": ("Đã nhận", "Received"),
    "stock.distributed": ("Đã phát", "Distributed"),
    "stock.spoiled": ("Đã hủy", "Written off"),
    # Errors pages
    "error.401": ("Cần đăng nhập", "Sign-in needed"),
    "error.403": ("Không được phép", "Not allowed"),
    "error.404": ("Không tìm thấy", "Not found"),
    "error.404_text": (
        "Không có trang hoặc yêu cầu này trong phạm vi của bạn.",
        "There is no such page or request in your scope.",
    ),
    "error.generic": ("Có lỗi xảy ra", "Something went wrong"),
    # Form errors the GOV.UK way: a summary that links to each field, and messages that say what to do.
    "form.error_summary": ("Có lỗi cần sửa", "There is a problem"),
    "form.title_prefix": ("Lỗi: ", "Error: "),
    "err.missing.full_name": ("Nhập họ và tên", "Enter your full name"),
    "err.string_too_short.full_name": ("Nhập họ và tên", "Enter your full name"),
    "err.missing.national_id": (
        "Nhập số định danh cá nhân: CCCD 12 chữ số (hoặc CMND cũ 9 chữ số)",
        "Enter your personal ID number: 12 digits (or an old 9-digit CMND)",
    ),
    "err.missing.phone": (
        "Nhập số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678",
        "Enter a mobile number of 10 digits, e.g. 0912 345 678",
    ),
    "err.missing.address": ("Nhập địa chỉ: số nhà và tên đường", "Enter the address: house number and street"),
    "err.string_too_short.address": (
        "Nhập địa chỉ đầy đủ: số nhà và tên đường",
        "Enter the whole address: house number and street",
    ),
    "err.missing.household_size": ("Nhập số người trong hộ, ví dụ 4", "Enter how many people live there, e.g. 4"),
    "err.int_parsing.household_size": (
        "Nhập số người trong hộ bằng chữ số, ví dụ 4",
        "Enter how many people live there in digits, e.g. 4",
    ),
    "err.greater_than_equal.household_size": ("Số người trong hộ từ 1 đến 30", "Enter a number from 1 to 30"),
    "err.less_than_equal.household_size": ("Số người trong hộ từ 1 đến 30", "Enter a number from 1 to 30"),
    "err.missing.username": ("Nhập tên đăng nhập", "Enter your username"),
    "err.missing.password": ("Nhập mật khẩu", "Enter your password"),
    "err.missing.code": ("Nhập mã xác thực gồm 6 chữ số trong tin nhắn", "Enter the 6-digit code from the SMS"),
    "err.string_pattern_mismatch.code": (
        "Nhập mã xác thực gồm 6 chữ số trong tin nhắn",
        "Enter the 6-digit code from the SMS",
    ),
    "track.wrong_tries": (
        "Mã xác thực sai hoặc đã hết hạn. Bạn còn {tries} lần thử.",
        "The code is wrong or has expired. You have {tries} tries left.",
    ),
    "track.no_tries": (
        "Mã xác thực sai hoặc đã hết hạn, và không còn lần thử: hãy xin mã mới.",
        "The code is wrong or has expired, and no tries are left: ask for a new code.",
    ),
    "track.tries": ("Bạn được nhập sai tối đa {tries} lần.", "You can get the code wrong at most {tries} times."),
    "track.resend_h": ("Không nhận được mã?", "No code?"),
    "track.resend_wait": (
        "Bạn có thể xin mã mới {seconds} giây sau lần gửi trước; mã mới thay mã cũ.",
        "You can ask for a new code {seconds} seconds after the last one; the new code replaces the old.",
    ),
    "track.resend": ("Gửi lại mã", "Send a new code"),
    "track.too_soon": (
        "Vui lòng chờ {seconds} giây nữa rồi xin mã mới.",
        "Please wait {seconds} more seconds before asking for a new code.",
    ),
    # After registering, and why a registration was not taken: one badge and explanation per reason.
    "done.title": ("Đã gửi đăng ký", "Registration sent"),
    "done.your_code": ("Mã yêu cầu của bạn", "Your request code"),
    "done.keep": (
        "Hãy ghi lại mã này hoặc chụp màn hình: bạn cần nó để tra cứu.",
        "Write this code down or take a screenshot: you need it to track your request.",
    ),
    "done.sms": (
        "Chúng tôi nhắn tin đến số điện thoại bạn đã đăng ký khi yêu cầu sang bước mới.",
        "We send a message to the phone you registered when the request moves on.",
    ),
    "done.door": (
        "Người giao hàng mang túi đến địa chỉ của bạn; người nhận đưa CCCD để đối chiếu.",
        "A courier brings the bag to your address; whoever receives it shows their ID.",
    ),
    "cancel.title": ("Không cần túi nữa?", "No longer need the bag?"),
    "cancel.text": (
        "Bạn có thể hủy yêu cầu này; túi sẽ dành cho hộ khác.",
        "You can cancel this request; the bag goes to another household.",
    ),
    "cancel.submit": ("Hủy yêu cầu", "Cancel the request"),
    "cancel.done": ("Yêu cầu {code} đã được hủy.", "Request {code} was cancelled."),
    "refusal.received_badge": ("Đã nhận túi gần đây", "Received a bag recently"),
    "refusal.received_text": (
        "Hộ gia đình này đã nhận túi an sinh gần đây. Mỗi hộ nhận một túi trong mỗi đợt; "
        "từ ngày dưới đây hộ có thể đăng ký lại.",
        "This household received a bag recently. Each household gets one bag per round; "
        "it can register again from the date below.",
    ),
    "refusal.in_progress_badge": ("Đang có yêu cầu khác", "Another request in progress"),
    "refusal.in_progress_text": (
        "Hộ gia đình này đã có một yêu cầu đang được xử lý; không cần đăng ký lại.",
        "This household already has a request in progress; there is no need to register again.",
    ),
    "refusal.open_link": ("Xem yêu cầu {code} đang ở bước nào", "See where request {code} is"),
    "refusal.in_progress_track": (
        "Xem yêu cầu đó đang ở bước nào bằng số điện thoại đã đăng ký:",
        "See where that request is with the phone it was registered with:",
    ),
}

STAGES: dict[str, tuple[str, str]] = {
    "registered": ("Đã tiếp nhận", "Registered"),
    "awaiting_verification": ("Chờ phường xác minh", "Waiting for the ward's verification"),
    "awaiting_dispatch": ("Chờ phân công giao hàng", "Waiting for a courier"),
    "out_for_delivery": ("Đang giao hàng", "Out for delivery"),
    "delivered": ("Đã giao túi an sinh", "Delivered"),
    "refused": ("Không tiếp nhận (đã nhận gần đây)", "Refused (received recently)"),
    "rejected": ("Phường không chấp thuận", "Rejected by the ward"),
    "expired": ("Hết hạn", "Expired"),
    "cancelled": ("Đã hủy", "Cancelled"),
    "registration_expired": ("Đóng do không ghi nhận được đăng ký", "Closed: the registration could not be recorded"),
    "dispatch_expired": ("Hết hạn phân công người giao hàng", "Expired: no courier was assigned in time"),
    "delivery_overdue": ("Quá hạn giao hàng, trả về phường", "Delivery overdue: back to the ward"),
}

EVENTS: dict[str, tuple[str, str]] = {
    "registered": ("Đã tiếp nhận đăng ký", "Registration received"),
    "refused": ("Không tiếp nhận (trùng lặp)", "Refused (duplicate)"),
    "verification_skipped": ("Hộ đã được xác minh trước, bỏ qua bước xác minh", "Household already verified"),
    "verification_requested": ("Chờ phường xác minh", "Waiting for the ward's verification"),
    "verification_reminder": ("Nhắc phường xác minh", "Ward reminded to verify"),
    "escalated": ("Chuyển lên quận/huyện do quá hạn", "Escalated to the district"),
    "approved": ("Phường đã xác minh", "Verified by the ward"),
    "rejected": ("Phường không chấp thuận", "Rejected by the ward"),
    "expired": ("Hết hạn xác minh", "Verification expired"),
    "courier_assigned": ("Đã phân công cho người giao túi", "Assigned to a courier"),
    "dispatch_reminder": ("Nhắc phân công người giao hàng", "Dispatch reminder"),
    "delivery_reminder": ("Nhắc giao hàng", "Delivery reminder"),
    "delivery_failed": ("Giao hàng chưa thành công", "Delivery attempt failed"),
    "returned_to_ward": ("Giao thất bại nhiều lần, trả về phường", "Returned to the ward"),
    "delivered": ("Đã giao túi đến hộ", "Bag delivered to the household"),
    "cancelled": ("Đã hủy", "Cancelled"),
}

# What happens next, by stage; {who} is the ward or district, {by} the deadline.
NEXT: dict[str, tuple[str, str]] = {
    "registered": ("Hệ thống đang kiểm tra trùng lặp; vui lòng tải lại sau ít phút.", "Checking for duplicates."),
    "awaiting_verification": ("{who} sẽ xác minh hộ gia đình{by}.", "The {who} will verify the household{by}."),
    "awaiting_dispatch": (
        "{who} sẽ phân công người giao hàng; túi an sinh sẽ được giao{by}.",
        "The {who} will assign a courier; the bag will arrive{by}.",
    ),
    "out_for_delivery": (
        "Người giao hàng đang mang túi an sinh đến{by}; vui lòng chuẩn bị CCCD khi nhận.",
        "A courier is bringing the bag{by}; please have your ID ready.",
    ),
    "delivered": ("Đã giao túi an sinh; yêu cầu đã hoàn tất.", "The bag was delivered; the request is complete."),
    "refused": ("", ""),
    "rejected": (
        "Phường không chấp thuận yêu cầu; nếu hoàn cảnh thay đổi, hãy đăng ký lại hoặc gọi 1900 633 996.",
        "The ward rejected the request; if things change, register again or call 1900 633 996.",
    ),
    "expired": ("Yêu cầu đã hết hạn; vui lòng đăng ký lại.", "The request expired; please register again."),
    "cancelled": ("Yêu cầu đã được hủy; có thể đăng ký lại khi cần.", "The request was cancelled."),
}
# Waiting for a bag at the ward's distribution point (the supply ledger), in one block.
STAGES["awaiting_stock"] = ("Đang chờ hàng về điểm phát của phường", "Waiting for stock at the ward's point")
STAGES["stock_expired"] = ("Hết hạn chờ hàng về điểm phát", "Expired: no bag reached the ward's point in time")
EVENTS.update(
    {
        "stock_awaited": ("Đang chờ hàng về điểm phát của phường", "Waiting for stock at the ward's point"),
        "stock_reminder": ("Nhắc phường: vẫn chờ hàng về điểm phát", "Ward reminded: still waiting for stock"),
        "stock_escalated": (
            "Chuyển lên quận/huyện điều hàng về điểm phát",
            "Escalated to the district to send stock",
        ),
        "bag_reserved": ("Hàng đã về, đã giữ túi an sinh", "Stock arrived: a bag is held"),
        "stock_expired": ("Hết hạn chờ hàng về điểm phát", "Expired waiting for stock"),
    }
)
NEXT["awaiting_stock"] = (
    "Đang chờ hàng về điểm phát của phường; túi an sinh sẽ được giao ngay khi có hàng{by}.",
    "Waiting for stock at the ward's distribution point; the bag goes out as soon as it arrives{by}.",
)
# Cash support from the community (a cash_support request after the ward's approval), in one block.
STAGES["awaiting_support"] = ("Đang chờ cộng đồng hỗ trợ", "Waiting for support from the community")
STAGES["supported"] = ("Đã nhận hỗ trợ tiền mặt", "Cash support received")
EVENTS.update(
    {
        "need_published": ("Đã công bố nhu cầu cho cộng đồng", "Need published to the community"),
        "need_withdrawn": ("Ngừng nhận cam kết hỗ trợ mới", "No new pledges taken"),
        "supported": ("Đã nhận đủ hỗ trợ tiền mặt", "Cash support received"),
        "support_expired": (
            "Hết thời gian công bố, chưa nhận được hỗ trợ",
            "Publication ended without support received",
        ),
    }
)
NEXT["awaiting_support"] = (
    "Nhu cầu của hộ đã được công bố; người hỗ trợ chuyển khoản thẳng vào tài khoản của hộ{by}. "
    "Khi tiền đến, hãy xác nhận trên trang này.",
    "The household's need is published; helpers transfer straight to its account{by}. "
    "Confirm on this page when money arrives.",
)
NEXT["supported"] = (
    "Hộ đã xác nhận nhận tiền hỗ trợ; yêu cầu đã hoàn tất.",
    "The household confirmed the support arrived; the request is complete.",
)
# Why a household needs money now, as helpers and officials read it (domain.cash.SituationCategory).
SITUATIONS: dict[str, tuple[str, str]] = {
    "lost_income": ("Mất việc, mất thu nhập", "Lost work or income"),
    "illness": ("Có người ốm đau, bệnh nặng", "Illness in the household"),
    "elderly_alone": ("Người cao tuổi sống một mình", "Elderly person living alone"),
    "disability": ("Có người khuyết tật", "A person with a disability"),
    "children": ("Nuôi con nhỏ một mình, trẻ không có thu nhập", "Single parent or children without income"),
    "quarantine": ("Đang cách ly, phong tỏa", "In quarantine or lockdown"),
    "other": ("Hoàn cảnh khó khăn khác", "Other hardship"),
}
PAYOUT_METHODS: dict[str, tuple[str, str]] = {
    "bank_account": ("Tài khoản ngân hàng", "Bank account"),
    "ewallet": ("Ví điện tử (có mã NAPAS)", "E-wallet (with a NAPAS code)"),
}
MESSAGES.update(
    {
        "reg.cash_title": ("Đăng ký hỗ trợ tiền mặt", "Register for cash support"),
        "reg.cash_instead": ("Cần hỗ trợ tiền mặt thay vì túi an sinh?", "Need cash support instead of a food bag?"),
        "reg.bag_instead": ("Đăng ký túi an sinh thay vì tiền mặt", "Register for a food bag instead"),
        "reg.cash_need": ("Nhu cầu hỗ trợ tiền mặt", "Cash need"),
        "reg.cash_how": (
            "Người hỗ trợ trong cộng đồng chuyển khoản thẳng vào tài khoản của hộ; An Sinh không giữ tiền. "
            "Phường xác minh nhu cầu trước khi công bố.",
            "Helpers in the community transfer straight to the household's account; An Sinh never holds the "
            "money. The ward verifies the need before it is published.",
        ),
        "reg.amount": ("Số tiền cần (đồng)", "Amount needed (VND)"),
        "reg.amount_hint": ("Số nguyên, tối đa {cap} đồng", "A whole number, at most {cap} VND"),
        "reg.situation": ("Hoàn cảnh", "Situation"),
        "reg.payout_method": ("Nhận tiền qua", "Receive the money by"),
        "reg.bank": ("Ngân hàng hoặc ví điện tử", "Bank or e-wallet"),
        "reg.pick_bank": ("Chọn ngân hàng hoặc ví", "Choose a bank or wallet"),
        "reg.banks": ("Ngân hàng", "Banks"),
        "reg.wallets": ("Ví điện tử", "E-wallets"),
        "reg.account_number": ("Số tài khoản", "Account number"),
        "reg.account_hint": ("Chỉ gồm chữ số", "Digits only"),
        "reg.holder_name": ("Tên chủ tài khoản", "Account holder's name"),
        "reg.holder_hint": (
            "Như in trên thẻ hoặc ứng dụng ngân hàng; nên là người đăng ký",
            "As the bank shows it; preferably the person registering",
        ),
        "reg.consent": (
            "Tôi đồng ý công bố nhu cầu này cho cộng đồng (chỉ phường, quận, số người, hoàn cảnh và số tiền; "
            "không có tên, số điện thoại, địa chỉ hay số tài khoản).",
            "I agree that this need is published to the community (ward, district, household size, situation and "
            "amount only; no name, phone, address or account).",
        ),
        "reg.consent_why": (
            "Bắt buộc: cộng đồng chỉ hỗ trợ được nhu cầu đã công bố.",
            "Required: the community can only fund a published need.",
        ),
    }
)
# The community's pages of published cash needs.
MESSAGES.update(
    {
        "need.list_title": ("Hộ cần hỗ trợ tiền mặt", "Households needing cash support"),
        "need.list_intro": (
            "Mỗi nhu cầu đã được phường xác minh và hộ đồng ý công bố. Bạn chuyển khoản thẳng vào tài khoản của hộ; "
            "An Sinh không giữ tiền và không công bố tên, số điện thoại, địa chỉ hay số tài khoản.",
            "Each need was verified by its ward and published with the household's consent. You transfer straight "
            "to the household's account; An Sinh never holds the money and publishes no name, phone, address or "
            "account.",
        ),
        "need.all_districts": ("Tất cả quận/huyện", "All districts"),
        "need.oldest_first": (
            "Xếp theo thời gian chờ, lâu nhất trước: không hộ nào bị bỏ lại.",
            "Longest waiting first: nobody is left out.",
        ),
        "need.none": ("Hiện không có nhu cầu nào đang chờ hỗ trợ ở đây.", "No need is waiting for support here now."),
        "need.card_title": ("Nhu cầu {ref}", "Need {ref}"),
        "need.where": ("Nơi ở", "Where"),
        "need.people": ("Số người trong hộ", "People in the household"),
        "need.situation": ("Hoàn cảnh", "Situation"),
        "need.still_needed": ("Còn cần", "Still needed"),
        "need.waiting": ("Đã chờ", "Waiting"),
        "need.days": ("{n} ngày", "{n} days"),
        "need.how": (
            "Bấm cam kết, chọn số tiền, rồi chuyển khoản bằng mã VietQR; hộ sẽ xác nhận khi nhận được tiền.",
            "Pledge an amount, then transfer with the VietQR code; the household confirms when the money arrives.",
        ),
        "need.pledge": ("Cam kết hỗ trợ", "Pledge support"),
        "need.back": ("Xem các nhu cầu khác", "See other needs"),
        "need.pages": ("Trang", "Pages"),
        "need.previous": ("Trang trước", "Previous page"),
        "need.next": ("Trang sau", "Next page"),
    }
)
# A cash request's need on its page.
MESSAGES.update(
    {
        "cash.title": ("Nhu cầu hỗ trợ tiền mặt", "Cash need"),
        "done.cash_helpers": (
            "Khi phường xác minh xong, nhu cầu được công bố (không kèm tên, địa chỉ hay số tài khoản); người hỗ trợ "
            "chuyển khoản thẳng cho hộ và bạn xác nhận trên trang này khi nhận được tiền.",
            "Once the ward verifies it, the need is published (no name, address or account); helpers transfer "
            "straight to the household and you confirm on this page when money arrives.",
        ),
        "cancel.cash_title": ("Không cần hỗ trợ nữa?", "No longer need support?"),
        "cancel.cash_text": (
            "Hủy yêu cầu thì nhu cầu không nhận thêm cam kết mới; các khoản đã cam kết vẫn được chuyển đến.",
            "Cancelling stops new pledges; what helpers already pledged still comes.",
        ),
        "cash.asked": ("Số tiền cần", "Amount asked"),
        "cash.coming": ("Đang được chuyển đến", "Pledged, on its way"),
        "cash.confirmed": ("Hộ đã xác nhận nhận", "Confirmed received"),
        "cash.holder_mismatch": (
            "Tên chủ tài khoản khác tên người đăng ký: hãy hỏi hộ vì sao trước khi xác minh.",
            "The account holder's name differs from the applicant's: ask the household why before verifying.",
        ),
        "cash.shared_account": (
            "Số tài khoản này nhận tiền cho {n} hộ khác nhau: cần kiểm tra.",
            "This account receives for {n} different households: check it.",
        ),
        "cash.show_account": ("Xem đầy đủ số tài khoản", "Show the full account number"),
        "cash.show_account_hint": (
            "Mỗi lần xem được ghi vào nhật ký: ai xem và lúc nào.",
            "Each reading is recorded in the audit log: who and when.",
        ),
        "cash.public_card": ("Xem nhu cầu như cộng đồng thấy", "See the need as the community sees it"),
        "req.support_in_window": ("Đã nhận trong thời hạn", "Received within the window"),
        "req.support_amounts": ("{bags} túi an sinh; {cash} tiền mặt", "{bags} food bags; {cash} in cash"),
    }
)
# What officials read on the inbox and a request's page: written to them, not to the citizen.
MESSAGES.update(
    {
        "inbox.filter": ("Lọc danh sách", "Filter the list"),
        "inbox.stage": ("Bước", "Step"),
        "inbox.all_stages": ("Tất cả", "All"),
        "inbox.only_overdue": ("Chỉ yêu cầu quá hạn", "Overdue only"),
        "inbox.apply": ("Lọc", "Filter"),
        "inbox.clear": ("Bỏ lọc", "Clear"),
        "inbox.none_match": ("Không có yêu cầu nào khớp bộ lọc.", "No request matches the filter."),
        "inbox.people": ("{n} người", "{n} people"),
        "inbox.duplicate": ("Có thể trùng hộ", "Probable duplicate"),
        "inbox.due": ("Hạn: {day}, trước {hour} giờ", "Due {day}, before {hour}:00"),
        "official.next.awaiting_verification": (
            "{who} đối chiếu hộ gia đình rồi gửi quyết định{by}.",
            "The {who} checks the household and decides{by}.",
        ),
        "official.next.awaiting_dispatch": (
            "{who} phân công người giao hàng{by}.",
            "The {who} assigns a courier{by}.",
        ),
        "official.next.out_for_delivery": (
            "Người giao hàng đang mang túi đến hộ{by}.",
            "A courier is taking the bag{by}.",
        ),
        "official.next.awaiting_stock": (
            "Chờ hàng về điểm phát của phường; túi được giao ngay khi có hàng{by}.",
            "Waiting for stock at the ward's point; the bag goes out when it comes{by}.",
        ),
        "official.next.awaiting_support": (
            "Nhu cầu đã công bố; chờ người hỗ trợ chuyển khoản và hộ xác nhận{by}.",
            "The need is published; waiting for helpers' transfers and the household's confirmation{by}.",
        ),
        "official.next.rejected": ("Yêu cầu đã không được chấp thuận.", "The request was rejected."),
        "next.by_day": (" trước {hour} giờ ngày {day}", " by {hour}:00 on {day}"),
        "official.view_only": (
            "Yêu cầu này do {who} quyết định; bạn chỉ xem được.",
            "The {who} decides this request; you can only view it.",
        ),
        "official.courier": ("Người giao hàng", "Courier"),
        "official.decided_by": ("Người quyết định", "Decided by"),
        "official.by": ("bởi {name}", "by {name}"),
        "official.conflict.approved": (
            "Cán bộ {name} đã chấp thuận lúc {time}.",
            "Official {name} approved it at {time}.",
        ),
        "official.conflict.rejected": (
            "Cán bộ {name} đã không chấp thuận lúc {time}.",
            "Official {name} rejected it at {time}.",
        ),
        "official.conflict.refused": (
            "Cán bộ {name} đã quyết định lúc {time}; yêu cầu bị từ chối vì hộ đã nhận túi.",
            "Official {name} decided at {time}; the request was refused: the household had a bag.",
        ),
        "official.someone": ("khác", "another"),
        "req.merge_refused": (
            "Cán bộ xác định đây là cùng một hộ với hộ đã đăng ký trước; hộ này đã nhận túi ngày {day}, "
            "nên yêu cầu chuyển từ chấp thuận thành từ chối.",
            "An official found this is the same household as one registered before; that household received "
            "a bag on {day}, so the approval became a refusal.",
        ),
        "req.merge_refused_open": (
            "Cán bộ xác định đây là cùng một hộ với hộ đã đăng ký trước; hộ đó đang có yêu cầu {code}, "
            "nên yêu cầu chuyển từ chấp thuận thành từ chối.",
            "An official found this is the same household as one registered before, which has request {code} in "
            "progress, so the approval became a refusal.",
        ),
    }
)
# Places' daily reports (web/place_reports.py) and the dashboard's panel of them
MESSAGES.update(
    {
        "nav.place_report": ("Báo cáo ngày", "Daily report"),
        "nav.place_reports": ("Báo cáo các kho", "Places' reports"),
        "report.title": ("Báo cáo tồn kho và đề xuất hằng ngày", "Daily stock report and proposal"),
        "report.not_reporting": (
            "Điểm kho này không gửi báo cáo hằng ngày (chỉ kho quận/huyện, bệnh viện, khu cách ly và bếp ăn gửi).",
            "This place does not file daily reports (district warehouses, hospitals, quarantine areas and "
            "kitchens do).",
        ),
        "report.day": ("Ngày báo cáo", "Report day"),
        "report.due": ("Hạn gửi", "Due"),
        "report.stage": ("Tình trạng", "State"),
        "report.stage.open": ("Chưa gửi", "Not yet filed"),
        "report.stage.filed": ("Đã gửi đúng hạn", "Filed on time"),
        "report.stage.late": ("Gửi muộn", "Filed late"),
        "report.stage.missing": ("Quá hạn, chưa gửi", "Missing"),
        "report.filed_at": ("gửi lúc", "filed at"),
        "report.counts": ("Kiểm đếm và sử dụng", "Counted and consumed"),
        "report.counts_hint": (
            "Ghi số đếm thực tế của mặt hàng đã kiểm; bỏ trống mặt hàng không kiểm. Chênh lệch so với sổ kho cần một "
            "người thứ hai duyệt rồi mới ghi vào sổ.",
            "Enter what you counted of each item you checked; leave the others empty. A difference from the ledger "
            "is written only once a second person approves it.",
        ),
        "report.ledger": ("Sổ kho", "Ledger"),
        "report.counted": ("Đếm được", "Counted"),
        "report.consumed": ("Đã dùng", "Consumed"),
        "report.proposals": ("Đề xuất cho những ngày tới", "Proposal for the coming days"),
        "report.proposals_hint": (
            "Mỗi dòng: mặt hàng, số lượng cần trong số ngày, và lý do.",
            "Each line: the item, the quantity needed over the days, and why.",
        ),
        "report.proposal": ("Đề xuất", "Proposal"),
        "report.days": ("Trong số ngày", "Over days"),
        "report.days_short": ("ngày", "days"),
        "report.reason": ("Lý do", "Reason"),
        "report.submit": ("Gửi báo cáo", "File the report"),
        "report.count_required": ("Nhập số đếm được", "Enter what was counted"),
        "report.filed_notice": ("Đã gửi báo cáo hôm nay.", "Today's report is filed."),
        "report.approved_notice": ("Đã duyệt điều chỉnh; sổ kho đã được cập nhật.", "Approved: the ledger is updated."),
        "report.not_approved": ("Chưa duyệt được điều chỉnh", "The adjustment was not approved"),
        "report.adjustments": ("Chênh lệch kiểm đếm chờ duyệt", "Count differences awaiting approval"),
        "report.adjustments_hint": (
            "Một người khác với người đã đếm (nhân viên cùng kho hoặc cán bộ quận/huyện, thành phố) duyệt.",
            "Someone other than the person who counted (staff of the same place, or a district or city official) "
            "approves.",
        ),
        "report.no_adjustments": ("Không có chênh lệch nào chờ duyệt.", "No difference is waiting."),
        "report.awaiting_second": (
            "Bạn đã đếm: chờ người thứ hai duyệt.",
            "You counted it: waiting for a second person.",
        ),
        "report.approve": ("Duyệt và ghi sổ", "Approve into the ledger"),
        "reports.title": ("Báo cáo hằng ngày của các kho", "Places' daily reports"),
        "reports.missing_total": ("Báo cáo quá hạn chưa gửi", "Reports missing"),
        "reports.none": ("Không có điểm nào cần báo cáo trong phạm vi của bạn.", "No reporting place in your scope."),
        "reports.filed": ("Đã gửi", "Filed"),
        "reports.late": ("muộn", "late"),
        "reports.missing": ("quá hạn", "missing"),
        "reports.open": ("chưa đến hạn", "not yet due"),
        "reports.pending": ("Chờ duyệt", "Awaiting approval"),
        "dash.reports": ("Báo cáo kho hôm nay", "Places' reports today"),
        "dash.reports_line": (
            "{filed}/{expected} đã gửi ({late} muộn) · {missing} quá hạn chưa gửi",
            "{filed}/{expected} filed ({late} late) · {missing} missing",
        ),
        "dash.reports_link": ("Xem báo cáo theo quận/huyện", "See the reports by district"),
        "dash.shipments_late": (
            "{n} chuyến hàng trễ hoặc nhận lệch số lượng",
            "{n} shipments late or received with differences",
        ),
    }
)
# The centre's allocation rounds (web/allocation_rounds.py).
MESSAGES.update(
    {
        "round.title": ("Phân bổ hàng cứu trợ", "Allocation rounds"),
        "round.intro": (
            "Mỗi ngày một đợt: tính nhu cầu, đề xuất chuyến hàng từ kho thành phố, chờ Trung tâm duyệt.",
            "One round a day: need computed, shipments from the city's warehouses proposed, the centre approves.",
        ),
        "round.start_now": ("Chạy đợt hôm nay ngay", "Start today's round now"),
        "round.none": ("Chưa có đợt phân bổ nào.", "No allocation round yet."),
        "round.one": ("Đợt phân bổ {day}", "Allocation round {day}"),
        "round.stage.solving": ("Đang tính", "Solving"),
        "round.stage.proposed": ("Chờ duyệt", "Waiting for approval"),
        "round.stage.waiting_for_person": ("Cần người xử lý", "Waiting for a person"),
        "round.stage.approved": ("Đã duyệt, đang giao", "Approved, shipping"),
        "round.stage.lapsed": ("Quá hạn, không gửi", "Lapsed, nothing sent"),
        "round.escalated": ("Đã báo Giám đốc Trung tâm", "Escalated to the director"),
        "round.reason": ("Lý do", "Reason"),
        "round.proposal": ("Đề xuất phân bổ", "Proposed allocation"),
        "round.approved_lines": ("Phân bổ đã duyệt", "Approved allocation"),
        "round.no_lines": ("Không có dòng nào.", "No lines."),
        "round.from": ("Từ", "From"),
        "round.to": ("Đến", "To"),
        "round.quantity": ("Số lượng", "Quantity"),
        "round.reasons": ("Vì sao", "Why"),
        "round.why": ("Lý do sửa", "Reason for the change"),
        "round.was": ("Đề xuất {quantity}", "Proposed {quantity}"),
        "round.need": ("Nhu cầu", "Need"),
        "round.allocated": ("Được phân bổ", "Allocated"),
        "round.left": ("còn lại ở kho", "left in the warehouse"),
        "round.days_at_arrival": ("còn {days} ngày khi đến", "{days} days left on arrival"),
        "round.add_line": ("Thêm một dòng", "Add a line"),
        "round.lot": ("Lô hàng", "Lot"),
        "round.edit_hint": (
            "Sửa số lượng (0 để bỏ dòng) và ghi lý do; để nguyên nếu đồng ý với đề xuất.",
            "Change a quantity (0 removes the line) and give a reason; leave it as it is to agree.",
        ),
        "round.approve": ("Duyệt và giao hàng", "Approve and ship"),
        "round.solve_again": ("Tính lại", "Solve again"),
        "round.coverage": ("Nhu cầu và phân bổ theo quận", "Need and allocation by district"),
        "round.district": ("Quận", "District"),
        "round.household_days": ("Tính theo hộ-ngày.", "In household-days."),
        "round.lots": ("Lô hàng theo số ngày còn hạn", "Lots by days to expiry"),
        "round.days_left": ("Còn (ngày)", "Days left"),
        "round.how_computed": ("Nhu cầu được tính thế nào", "How the need was computed"),
        "round.bags": ("túi", "bags"),
        "round.gross": ("Cần", "Needed"),
        "round.net": ("Còn thiếu", "Still short"),
        "round.no_need": ("Không nơi nào thiếu hàng.", "No place is short."),
        "round.part.awaiting_stock": ("Yêu cầu đã duyệt chờ hàng", "Approved requests waiting for stock"),
        "round.part.unreached": ("Hộ trong danh sách chưa được nhận", "Households on the list not reached"),
        "round.part.ahead": ("Yêu cầu đang xét", "Requests being handled"),
        "round.part.proposal": ("Đề xuất của đơn vị", "The place's proposal"),
        "round.part.on_hand": ("Đang có", "On hand"),
        "round.part.in_transit": ("Đang chuyển đến", "In transit"),
        "round.done.duyet": ("Đã duyệt: các chuyến hàng đã được tạo.", "Approved: the shipments have started."),
        "round.done.giai-lai": ("Đang tính lại đợt này.", "The round is being solved again."),
        "place_kind.district_warehouse": ("Kho quận", "District warehouse"),
        "place_kind.hospital": ("Bệnh viện", "Hospital"),
        "place_kind.quarantine_area": ("Khu cách ly", "Quarantine area"),
        "place_kind.community_kitchen": ("Bếp cộng đồng", "Community kitchen"),
        "place_kind.ward_point": ("Điểm phát phường", "Ward point"),
        "nav.allocation": ("Phân bổ", "Allocation"),
    }
)
MESSAGES.update(SHIPMENT_MESSAGES)
# The community map of emergencies (web/emergency_map.py, static/emergency_map.js).
MESSAGES.update(
    {
        "map.title": ("Bản đồ yêu cầu khẩn cấp", "Map of emergency requests"),
        "map.intro": (
            "Các yêu cầu đang chờ giúp trong thành phố. Vị trí trên bản đồ là gần đúng (khoảng 200 m): địa chỉ chỉ "
            "hiện cho người nhận giúp và phường.",
            "Requests waiting for help across the city. Map positions are approximate (about 200 m): the address "
            "is shown only to whoever takes a request and to the ward.",
        ),
        "map.filters": ("Lọc", "Filter"),
        "map.category": ("Cần gì", "What is needed"),
        "map.urgency": ("Gấp đến đâu", "How urgent"),
        "map.age": ("Gửi trong vòng", "Posted within"),
        "map.any_age": ("Bất kỳ lúc nào", "Any time"),
        "map.hours": ("{n} giờ", "{n} hours"),
        "map.unclaimed": ("Chỉ yêu cầu chưa có người nhận", "Only requests nobody has taken"),
        "map.apply": ("Áp dụng", "Apply"),
        "map.label": ("Bản đồ yêu cầu khẩn cấp (vị trí gần đúng)", "Map of emergency requests (approximate)"),
        "map.loading": ("Đang tải bản đồ…", "Loading the map…"),
        "map.status": (
            "{shown} yêu cầu trong vùng đang xem, {total} trong toàn thành phố.",
            "{shown} requests in view, {total} across the city.",
        ),
        "map.error": (
            "Không tải được bản đồ; danh sách bên dưới vẫn dùng được.",
            "The map did not load; the list below still works.",
        ),
        "map.count": ("yêu cầu: phóng to để xem", "requests: zoom in to see them"),
        "map.claimed": ("đã có người nhận", "someone took it"),
        "map.minutes_ago": ("{n} phút trước", "{n} minutes ago"),
        "map.hours_ago": ("{n} giờ trước", "{n} hours ago"),
        "map.list": ("Danh sách", "List"),
        "map.list_intro": (
            "Chưa có người nhận trước, rồi cũ nhất trước. Tối đa {n} yêu cầu.",
            "Unclaimed first, then the oldest. At most {n} requests.",
        ),
        "map.none": ("Không có yêu cầu nào khớp bộ lọc.", "No request matches the filters."),
        "map.posted": ("Gửi lúc {time}", "Posted at {time}"),
        "nav.map": ("Bản đồ khẩn cấp", "Emergency map"),
    }
)
MESSAGES.update(HELP_GROUP_MESSAGES)
WHO: dict[str, tuple[str, str]] = {"ward": ("Phường", "ward"), "district": ("Quận/huyện", "district")}

MESSAGES.update(EMERGENCY_MESSAGES)

_BILINGUAL = re.compile(r"^(?P<vi>.+?)\s*\((?P<en>[^()]*)\)\s*(?P<rest>.*)$", re.DOTALL)


def normalise_lang(value: str | None) -> Lang:
    return "en" if value == "en" else "vi"


def translate(lang: Lang, key: str, **values: object) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key  # a missing key shows itself rather than failing a page
    text = pair[LANGS.index(lang)]
    return text.format(**values) if values else text


def label(table: dict[str, tuple[str, str]], lang: Lang, key: str) -> str:
    pair = table.get(key)
    return pair[LANGS.index(lang)] if pair else key


def pick(lang: Lang, text: str) -> str:
    """'tiếng Việt (English)' → the part in `lang`; other texts unchanged."""
    found = _BILINGUAL.match(text)
    if not found or not found.group("en").isascii():
        return text
    return found.group("vi") if lang == "vi" else found.group("en")
