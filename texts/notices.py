"""What people are told at each event of a request, a donation, a pledge or a place's report (notifications),
keyed by audience and event: "notice.citizen.<event>" to the household, "notice.staff.<event>" to officials and
a place's staff, "notice.donor.<event>", "notice.<audience>.pledge.<event>" (helper, citizen, ward) and
"notice.<audience>.place_report.<kind>" (place, district, city). Also why a registration was refused, said to the
household in its answer and its message, and what the answer adds."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- to the household, at each event of its request (services/transitions.py) ---
    "notice.citizen.verification_requested": (
        "Yêu cầu {code} đã được tiếp nhận và đang chờ phường xác minh.",
        "Request {code} was received and is waiting for the ward's verification.",
    ),
    "notice.citizen.verification_skipped": (
        "Yêu cầu {code} đã được tiếp nhận; hộ đã được phường xác minh, đang sắp xếp giao hàng.",
        "Request {code} was received; the ward has already verified the household, and a delivery is being arranged.",
    ),
    "notice.citizen.refused": (
        "Yêu cầu {code} không được tiếp nhận. {reason_text}",
        "Request {code} was not accepted. {reason_text}",
    ),
    "notice.citizen.approved": (
        "Yêu cầu {code} đã được phường xác minh, đang sắp xếp giao hàng.",
        "Request {code} was verified by the ward; a delivery is being arranged.",
    ),
    "notice.citizen.rejected": (
        "Yêu cầu {code} không được phường chấp thuận. Lý do: {reason}",
        "Request {code} was not approved by the ward. Reason: {reason}",
    ),
    "notice.citizen.expired": (
        "Yêu cầu {code} đã hết hạn vì chưa được xác minh kịp thời. Vui lòng đăng ký lại hoặc gọi {hotline}.",
        "Request {code} expired because it was not verified in time. Please register again or call {hotline}.",
    ),
    "notice.citizen.courier_assigned": (
        "Yêu cầu {code} đã được phân công cho người giao túi; túi an sinh sắp được mang đến.",
        "Request {code} was assigned to a courier; your food bag is on its way soon.",
    ),
    "notice.citizen.escalated": (
        "Yêu cầu {code} đang được cấp quận/huyện xử lý để không bị chậm trễ.",
        "Request {code} is now handled by the district so that it is not delayed.",
    ),
    "notice.citizen.delivery_failed": (
        "Giao hàng cho yêu cầu {code} chưa thành công: {reason}. Chúng tôi sẽ thử lại.",
        "The delivery for request {code} did not succeed: {reason}. We will try again.",
    ),
    "notice.citizen.returned_to_ward": (
        "Giao hàng cho yêu cầu {code} không thành công nhiều lần; phường sẽ liên hệ lại.",
        "The delivery for request {code} failed several times; the ward will contact you.",
    ),
    "notice.citizen.registration_expired": (
        "Yêu cầu {code} chưa được ghi nhận đầy đủ do sự cố hệ thống nên đã đóng. "
        "Vui lòng đăng ký lại hoặc gọi {hotline}.",
        "Request {code} could not be fully recorded because of a system fault and was closed. "
        "Please register again or call {hotline}.",
    ),
    "notice.citizen.dispatch_expired": (
        "Yêu cầu {code} đã hết hạn vì chưa sắp xếp được người giao hàng kịp thời. Hộ đã được xác minh: "
        "vui lòng đăng ký lại hoặc gọi {hotline}.",
        "Request {code} expired because no courier could be arranged in time. The household is verified: "
        "please register again or call {hotline}.",
    ),
    "notice.citizen.delivery_overdue": (
        "Túi an sinh của yêu cầu {code} chưa được giao đúng hạn; phường sẽ liên hệ lại để sắp xếp.",
        "The food bag for request {code} was not delivered in time; the ward will contact you to arrange it.",
    ),
    "notice.citizen.delivered": (
        "Yêu cầu {code} đã được giao thành công. Cảm ơn bạn.",
        "Request {code} was delivered. Thank you.",
    ),
    "notice.citizen.cancelled": ("Yêu cầu {code} đã được hủy.", "Request {code} was cancelled."),
    "notice.citizen.stock_awaited": (
        "Yêu cầu {code} đã được phường xác minh. Đang chờ hàng về điểm phát của phường; túi an sinh sẽ được giao "
        "ngay khi có hàng.",
        "Request {code} was verified by the ward. The ward's distribution point is waiting for stock; your food bag "
        "goes out as soon as it arrives.",
    ),
    "notice.citizen.stock_escalated": (
        "Điểm phát của phường chưa có hàng cho yêu cầu {code}; cấp quận/huyện đang điều hàng về.",
        "The ward's distribution point has no stock yet for request {code}; the district is sending some.",
    ),
    "notice.citizen.bag_reserved": (
        "Hàng đã về điểm phát: túi an sinh của yêu cầu {code} đã được giữ, đang sắp xếp giao hàng.",
        "Stock has arrived: the food bag for request {code} is held for you, and a delivery is being arranged.",
    ),
    "notice.citizen.stock_expired": (
        "Yêu cầu {code} đã hết hạn vì điểm phát của phường không có hàng kịp thời. Hộ đã được xác minh: "
        "vui lòng đăng ký lại hoặc gọi {hotline}.",
        "Request {code} expired because the ward's distribution point had no stock in time. The household is "
        "verified: please register again or call {hotline}.",
    ),
    "notice.citizen.need_published": (
        "Yêu cầu {code} đã được phường xác minh và công bố cho cộng đồng (không kèm tên, số điện thoại, địa chỉ "
        "hay số tài khoản). Khi có tiền chuyển đến, hãy xác nhận trên trang yêu cầu.",
        "Request {code} was verified by the ward and published to the community (without name, phone, address or "
        "account number). When money arrives, confirm it on the request's page.",
    ),
    "notice.citizen.need_withdrawn": (
        "Yêu cầu {code} không nhận thêm cam kết hỗ trợ mới; các khoản đã cam kết vẫn được chuyển và chờ hộ xác nhận.",
        "Request {code} takes no new pledges; the amounts already pledged are still transferred and wait for your "
        "confirmation.",
    ),
    "notice.citizen.supported": (
        "Yêu cầu {code} đã hoàn tất: hộ đã xác nhận nhận {amount_text} hỗ trợ. Cảm ơn bạn.",
        "Request {code} is complete: the household confirmed receiving {amount_text} of support. Thank you.",
    ),
    "notice.citizen.support_expired": (
        "Yêu cầu {code} đã hết thời gian công bố mà chưa nhận được hỗ trợ. Vui lòng đăng ký lại hoặc gọi {hotline}.",
        "Request {code} reached the end of its publication without support. Please register again or call {hotline}.",
    ),
    # Someone registered the household again while a request is open (services/admission.py).
    "notice.citizen.registration_attempt": (
        "Có người vừa đăng ký túi an sinh cho hộ của bạn trong khi yêu cầu {code} đang được xử lý. "
        "Nếu không phải bạn, hãy gọi {hotline}.",
        "Someone has just registered your household for a food bag while request {code} is in progress. "
        "If it was not you, call {hotline}.",
    ),
    # --- why a registration was refused (in the answer, the refusal's message and the API's next step) ---
    "refusal.reason.already_received": (
        "Hộ gia đình đã nhận {support} ngày {last_delivered_on}; có thể đăng ký lại từ ngày {eligible_again_on}.",
        "The household received {support} on {last_delivered_on}; it can register again from {eligible_again_on}.",
    ),
    "refusal.reason.already_in_progress": (
        "Hộ gia đình này đang có một yêu cầu chưa hoàn tất; chúng tôi đã nhắn tin đến số điện thoại của hộ. "
        "Hãy tra cứu yêu cầu đó bằng số điện thoại ấy thay vì đăng ký mới.",
        "This household already has a request in progress; we sent a message to the household's phone. "
        "Look that request up with that phone instead of registering again.",
    ),
    "refusal.reason.other": ("Yêu cầu không được tiếp nhận.", "The request was not accepted."),
    "refusal.support.food_bag": ("túi an sinh", "a food bag"),
    "refusal.support.cash": ("hỗ trợ tiền mặt", "cash support"),
    "reg.answer.keep_code": ("Hãy ghi lại mã {code} để tra cứu.", "Note the code {code} to look it up."),
    # --- to the ward's or the district's officials, at each event of a request ---
    "notice.staff.verification_requested": (
        "Yêu cầu {code} cần phường xác minh trước {deadline}.",
        "Request {code} needs the ward's verification by {deadline}.",
    ),
    "notice.staff.verification_reminder": (
        "Nhắc việc: yêu cầu {code} vẫn chờ xác minh, hạn {deadline}.",
        "Reminder: request {code} is still waiting for verification, due {deadline}.",
    ),
    "notice.staff.escalated": (
        "Yêu cầu {code} đã quá hạn ở cấp phường và được chuyển lên quận/huyện.",
        "Request {code} is overdue at the ward and was escalated to the district.",
    ),
    "notice.staff.dispatch_reminder": (
        "Yêu cầu {code} đã xác minh nhưng chưa có người giao hàng.",
        "Request {code} is verified but has no courier yet.",
    ),
    "notice.staff.delivery_reminder": (
        "Nhắc việc: yêu cầu {code} chưa được giao.",
        "Reminder: request {code} is not delivered yet.",
    ),
    "notice.staff.returned_to_ward": (
        "Yêu cầu {code} giao thất bại nhiều lần, cần phường xem lại.",
        "Request {code} failed delivery several times; the ward needs to look at it again.",
    ),
    "notice.staff.dispatch_expired": (
        "Yêu cầu {code} đã hết hạn vì không được phân công người giao hàng.",
        "Request {code} expired because no courier was assigned.",
    ),
    "notice.staff.delivery_overdue": (
        "Yêu cầu {code} quá hạn giao hàng và được trả về phường: cần liên hệ người giao hàng và xem lại.",
        "Request {code} is overdue for delivery and back at the ward: contact the courier and look at it again.",
    ),
    "notice.staff.stock_awaited": (
        "Yêu cầu {code} đã xác minh nhưng điểm phát của phường hết túi an sinh: cần nhập hàng hoặc đóng túi.",
        "Request {code} is verified but the ward's point has no food bags: receive stock or assemble bags.",
    ),
    "notice.staff.stock_reminder": (
        "Nhắc việc: yêu cầu {code} vẫn chờ hàng về điểm phát của phường, hạn {deadline}.",
        "Reminder: request {code} is still waiting for stock at the ward's point, due {deadline}.",
    ),
    "notice.staff.stock_escalated": (
        "Điểm phát của phường hết túi an sinh, yêu cầu {code} đã chờ quá hạn: quận/huyện cần điều hàng về phường.",
        "The ward's point has no food bags and request {code} has waited past its deadline: the district needs to "
        "send stock to the ward.",
    ),
    "notice.staff.stock_expired": (
        "Yêu cầu {code} đã hết hạn vì điểm phát của phường không có túi an sinh.",
        "Request {code} expired because the ward's point had no food bags.",
    ),
    # The household said its delivered bag never came (services/delivery_findings.py), to the ward.
    "notice.staff.delivery_not_received": (
        "Hộ của yêu cầu {code} báo chưa nhận được túi an sinh: cần phường xem lại bằng chứng giao hàng và ghi kết quả.",
        "The household of request {code} says its food bag never arrived: the ward needs to review the proof of "
        "delivery and record its finding.",
    ),
    # An allocation round nobody approved in time (services/allocation_rounds.py), to the city's officials.
    "notice.staff.round_escalated": (
        "Phiên phân bổ hàng ngày {day} chưa được duyệt quá hạn: cần giám đốc trung tâm xem và duyệt trước khi hết hạn.",
        "The allocation round of {day} is overdue for approval: the centre's director needs to review and approve "
        "it before it lapses.",
    ),
    # A helper who let pledges expire unpaid (services/pledge_steps.py), to the city's officials.
    "notice.staff.helper_flagged": (
        "Người hỗ trợ của cam kết {code} đã để {expired} cam kết hết hạn mà không chuyển khoản: cần thành phố xem xét.",
        "The helper of pledge {code} has let {expired} pledges expire without transferring: the city needs to "
        "look into it.",
    ),
    # The spoilage watch (services/spoilage.py), to the place's staff and the city's officials.
    "notice.staff.stock_expiring": (
        "Lô {item} tại {place} hết hạn ngày {expires_on} (còn {quantity} {unit}): cần dùng hoặc điều chuyển trước hạn.",
        "The lot of {item} at {place} expires on {expires_on} ({quantity} {unit} left): use it or move it before then.",
    ),
    "notice.staff.stock_write_off": (
        "Lô {item} tại {place} đã hết hạn ngày {expires_on} và bị khóa (còn {quantity} {unit}): cần ghi hủy.",
        "The lot of {item} at {place} expired on {expires_on} and is blocked ({quantity} {unit} left): write it off.",
    ),
    # --- to a donor, about their donation, by its code only (their follow link shows the rest) ---
    "notice.donor.donation_announced": (
        "Cảm ơn bạn! Quyên góp {code} đã được ghi nhận; xin mang hàng đến {place} ngày {day}.",
        "Thank you! Donation {code} is recorded; please bring the goods to {place} on {day}.",
    ),
    "notice.donor.donation_reminder": (
        "Nhắc lịch: quyên góp {code} được {place} chờ nhận ngày {day}.",
        "Reminder: {place} expects donation {code} on {day}.",
    ),
    "notice.donor.donation_stocked": (
        "{place} đã nhận quyên góp {code} và nhập kho. Cảm ơn bạn đã chung tay.",
        "{place} received donation {code} and put it in stock. Thank you for helping.",
    ),
    "notice.donor.donation_rejected": (
        "{place} đã kiểm tra quyên góp {code} nhưng không nhận được hàng; xem lý do trong đường dẫn theo dõi.",
        "{place} inspected donation {code} but could not accept the goods; see why on your follow link.",
    ),
    "notice.donor.donation_expired": (
        "Quyên góp {code} đã hết hạn vì hàng chưa đến {place}. Bạn có thể đăng ký lại bất cứ lúc nào.",
        "Donation {code} expired because the goods did not reach {place}. You can announce it again at any time.",
    ),
    "notice.donor.donation_cancelled": (
        "Quyên góp {code} đã được hủy theo yêu cầu của bạn.",
        "Donation {code} was cancelled as you asked.",
    ),
    # --- about a pledge, by its code and amount only (their pages show the rest) ---
    "notice.helper.pledge.pledged": (
        "Cảm ơn bạn đã cam kết hỗ trợ {amount} (mã {code}). Xin chuyển khoản trong {hours} giờ với nội dung "
        "ANSINH {code}, rồi bấm «Tôi đã chuyển khoản».",
        "Thank you for pledging {amount} (code {code}). Please transfer within {hours} hours with the reference "
        "ANSINH {code}, then press «I have transferred».",
    ),
    "notice.citizen.pledge.pledged": (
        "Một người hỗ trợ đã cam kết gửi {amount} cho hộ (nội dung chuyển khoản ANSINH {code}).",
        "A helper pledged {amount} to the household (transfer reference ANSINH {code}).",
    ),
    "notice.citizen.pledge.transferred": (
        "Người hỗ trợ báo đã chuyển {amount} với nội dung ANSINH {code}. Xin kiểm tra tài khoản và bấm "
        "«Đã nhận được» hoặc «Chưa nhận được».",
        "The helper says {amount} was transferred with the reference ANSINH {code}. Please check the account and "
        "press «Received» or «Not received».",
    ),
    "notice.helper.pledge.released": (
        "Cam kết {code} đã được hủy; số tiền được mở lại cho người khác hỗ trợ.",
        "Pledge {code} was withdrawn; the amount is open to other helpers again.",
    ),
    "notice.citizen.pledge.released": (
        "Cam kết {amount} (ANSINH {code}) đã được người hỗ trợ hủy; số tiền được mở lại cho người khác.",
        "The pledge of {amount} (ANSINH {code}) was withdrawn by its helper; the amount is open to others again.",
    ),
    "notice.helper.pledge.expired": (
        "Cam kết {code} đã hết hạn vì chưa báo chuyển khoản trong {hours} giờ; số tiền được mở lại.",
        "Pledge {code} expired because no transfer was reported within {hours} hours; the amount is open again.",
    ),
    "notice.citizen.pledge.expired": (
        "Cam kết {amount} (ANSINH {code}) đã hết hạn; số tiền được mở lại cho người khác hỗ trợ.",
        "The pledge of {amount} (ANSINH {code}) expired; the amount is open to other helpers again.",
    ),
    "notice.citizen.pledge.confirm_reminder": (
        "Nhắc: người hỗ trợ đã báo chuyển {amount} (ANSINH {code}). Xin xác nhận đã nhận được hay chưa.",
        "Reminder: the helper reported transferring {amount} (ANSINH {code}). Please confirm whether it arrived.",
    ),
    "notice.ward.pledge.ward_asked": (
        "Hộ chưa xác nhận khoản hỗ trợ {amount} (ANSINH {code}) đã được báo chuyển: cần phường liên hệ hộ "
        "và quyết định.",
        "The household has not confirmed the reported transfer of {amount} (ANSINH {code}): the ward needs to "
        "contact the household and decide.",
    ),
    "notice.helper.pledge.confirmed": (
        "Hộ đã xác nhận nhận được {amount} (ANSINH {code}). Cảm ơn bạn đã chung tay.",
        "The household confirmed receiving {amount} (ANSINH {code}). Thank you for helping.",
    ),
    "notice.helper.pledge.disputed": (
        "Hộ báo chưa nhận được {amount} (ANSINH {code}); phường sẽ xem xét. Xin giữ biên lai chuyển khoản.",
        "The household says {amount} (ANSINH {code}) has not arrived; the ward will look into it. Please keep the "
        "transfer receipt.",
    ),
    "notice.ward.pledge.disputed": (
        "Hộ báo chưa nhận được khoản hỗ trợ {amount} (ANSINH {code}): cần phường xem xét và quyết định.",
        "The household says the support of {amount} (ANSINH {code}) has not arrived: the ward needs to look into it "
        "and decide.",
    ),
    "notice.helper.pledge.resolved_arrived": (
        "Phường xác nhận khoản {amount} (ANSINH {code}) đã đến hộ. Cảm ơn bạn.",
        "The ward confirmed that {amount} (ANSINH {code}) reached the household. Thank you.",
    ),
    "notice.citizen.pledge.resolved_arrived": (
        "Phường xác nhận khoản hỗ trợ {amount} (ANSINH {code}) đã đến tài khoản của hộ.",
        "The ward confirmed that the support of {amount} (ANSINH {code}) reached the household's account.",
    ),
    "notice.helper.pledge.resolved_never_arrived": (
        "Phường kết luận khoản {amount} (ANSINH {code}) chưa đến hộ; cam kết đã đóng.",
        "The ward concluded that {amount} (ANSINH {code}) never reached the household; the pledge is closed.",
    ),
    "notice.citizen.pledge.resolved_never_arrived": (
        "Phường kết luận khoản {amount} (ANSINH {code}) chưa đến; số tiền được mở lại cho người khác.",
        "The ward concluded that {amount} (ANSINH {code}) never arrived; the amount is open to others again.",
    ),
    # --- a place's daily report (workflows/place_report.py): the reminder, then at the deadline the escalation ---
    "notice.place.place_report.reminder": (
        "Nhắc việc: {place} chưa gửi báo cáo tồn kho và đề xuất ngày {day}, hạn {deadline}.",
        "Reminder: {place} has not sent its stock report and request for {day}, due {deadline}.",
    ),
    "notice.place.place_report.missing": (
        "{place} chưa gửi báo cáo ngày {day} (hạn {deadline}): vẫn có thể gửi muộn, xin gửi ngay.",
        "{place} has not sent its report for {day} (due {deadline}): it can still be sent late; please send it now.",
    ),
    "notice.district.place_report.missing": (
        "{place} chưa gửi báo cáo tồn kho ngày {day} (hạn {deadline}): cần liên hệ đơn vị.",
        "{place} has not sent its stock report for {day} (due {deadline}): contact the place.",
    ),
    "notice.city.place_report.missing": (
        "{place} chưa gửi báo cáo tồn kho ngày {day} (hạn {deadline}).",
        "{place} has not sent its stock report for {day} (due {deadline}).",
    ),
}
