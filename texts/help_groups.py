"""The help groups' texts (directory, a group's page, registration, the officials' queue), Vietnamese first
and English second: words, and tables of kinds, help, weekdays and states (texts/catalogue.py files them)."""

GROUP_KINDS: dict[str, tuple[str, str]] = {
    "charity": ("Nhóm thiện nguyện", "Charity group"),
    "free_meals": ("Bếp ăn 0 đồng", "Free-meal kitchen"),
    "medical_team": ("Đội y tế lưu động", "Mobile medical team"),
    "district_centre": ("Trung tâm An Sinh quận", "District An Sinh centre"),
    "other": ("Khác", "Other"),
}
HELP_KINDS: dict[str, tuple[str, str]] = {
    "food": ("Thực phẩm", "Food"),
    "medicine": ("Thuốc", "Medicine"),
    "transport": ("Đưa đón", "Transport"),
    "cash": ("Tiền mặt", "Cash"),
    "other": ("Khác", "Other"),
}
WEEKDAY_NAMES: dict[str, tuple[str, str]] = {
    "mon": ("Thứ Hai", "Monday"),
    "tue": ("Thứ Ba", "Tuesday"),
    "wed": ("Thứ Tư", "Wednesday"),
    "thu": ("Thứ Năm", "Thursday"),
    "fri": ("Thứ Sáu", "Friday"),
    "sat": ("Thứ Bảy", "Saturday"),
    "sun": ("Chủ Nhật", "Sunday"),
}
GROUP_STATES: dict[str, tuple[str, str]] = {
    "pending": ("Chờ quận xác minh", "Awaiting the district's verification"),
    "verified": ("Đã xác minh", "Verified"),
    "refused": ("Không được xác minh", "Refused"),
    "suspended": ("Đã bị đình chỉ", "Suspended"),
}

TEXTS: dict[str, tuple[str, str]] = {
    "nav.help_groups": ("Nhóm hỗ trợ", "Help groups"),
    "nav.my_group": ("Nhóm của tôi", "My group"),
    "nav.group_queue": ("Xác minh nhóm", "Verify groups"),
    "group.dir.title": ("Danh bạ nhóm hỗ trợ", "Directory of help groups"),
    "group.dir.intro": (
        "Các nhóm thiện nguyện, bếp ăn 0 đồng, đội y tế lưu động và trung tâm An Sinh của quận, đã được quận "
        "xác minh. Liên hệ trực tiếp theo đường dây nóng mà nhóm công bố.",
        "Charity groups, free-meal kitchens, mobile medical teams and districts' An Sinh centres, verified by a "
        "district. Contact them on the hotline they publish.",
    ),
    "group.dir.district": ("Quận/huyện", "District"),
    "group.dir.ward": ("Phường/xã", "Ward"),
    "group.dir.all": ("Tất cả", "All"),
    "group.dir.kind": ("Loại nhóm", "Kind of group"),
    "group.dir.help_kind": ("Hỗ trợ", "Help offered"),
    "group.dir.open_now": ("Đang mở cửa", "Open now"),
    "group.dir.text": ("Tên nhóm", "Group name"),
    "group.dir.search": ("Tìm", "Search"),
    "group.dir.none": ("Không có nhóm nào phù hợp.", "No group matches."),
    "group.dir.previous": ("Trang trước", "Previous page"),
    "group.dir.next": ("Trang sau", "Next page"),
    "group.dir.pages": ("Các trang", "Pages"),
    "group.dir.register": ("Nhóm của bạn muốn có tên ở đây? Đăng ký nhóm", "Want your group listed? Register it"),
    "group.open": ("Đang mở cửa", "Open now"),
    "group.closed": ("Đang đóng cửa", "Closed now"),
    "group.always_open": ("Mở cửa 24/7", "Open 24/7"),
    "group.verified_by": ("Đã được {unit} xác minh", "Verified by {unit}"),
    "group.hotline": ("Đường dây nóng", "Hotline"),
    "group.helped": (
        "Đã giúp {n} yêu cầu khẩn cấp qua An Sinh",
        "Helped with {n} emergency requests through An Sinh",
    ),
    "group.no_hotline": ("Nhóm không công bố số điện thoại.", "The group publishes no phone number."),
    "group.coverage": ("Khu vực hỗ trợ", "Where it helps"),
    "group.hours": ("Giờ mở cửa (giờ {city})", "Opening hours ({city} time)"),
    "group.help": ("Hỗ trợ", "Help offered"),
    "group.about": ("Giới thiệu", "About"),
    "group.whole_district": ("cả quận", "whole district"),
    "group.back": ("Về danh bạ", "Back to the directory"),
    "group.reg.title": ("Đăng ký nhóm hỗ trợ", "Register a help group"),
    "group.reg.intro": (
        "Số điện thoại bạn đã đăng nhập sẽ là tài khoản của nhóm. Cán bộ quận trong khu vực của nhóm xác minh "
        "trước khi nhóm có tên trong danh bạ.",
        "The phone you signed in with becomes the group's account. A district official of the group's area verifies "
        "it before it is listed.",
    ),
    "group.reg.sign_in": ("Đăng nhập bằng số điện thoại để đăng ký nhóm", "Sign in with your phone to register"),
    "group.reg.name": ("Tên nhóm", "Group name"),
    "group.reg.kind": ("Loại nhóm", "Kind of group"),
    "group.reg.help_kinds": ("Nhóm hỗ trợ gì", "Help offered"),
    "group.reg.description": ("Giới thiệu nhóm", "About the group"),
    "group.reg.description_hint": (
        "Nhóm làm gì, cho ai, nhận yêu cầu thế nào (ít nhất {least} ký tự).",
        "What the group does, for whom, how to ask (at least {least} characters).",
    ),
    "group.reg.districts": ("Cả quận", "Whole districts"),
    "group.reg.wards": ("Hoặc từng phường", "Or single wards"),
    "group.reg.wards_hint": (
        "Giữ Ctrl (hoặc chạm) để chọn nhiều phường; không cần chọn phường của quận đã chọn cả quận.",
        "Hold Ctrl (or tap) to pick several wards; no need for wards of a district picked whole.",
    ),
    "group.reg.coverage": ("Khu vực hỗ trợ", "Where the group helps"),
    "group.reg.always_open": ("Mở cửa 24/7", "Open 24/7"),
    "group.reg.hours_hint": (
        "Giờ mở và đóng cửa mỗi ngày (để trống nếu nghỉ), theo giờ {city}.",
        "Opening and closing time each day (empty if closed), in {city} time.",
    ),
    "group.reg.opens": ("Mở", "Opens"),
    "group.reg.closes": ("Đóng", "Closes"),
    "group.reg.hotline": ("Đường dây nóng công khai (không bắt buộc)", "Public hotline (optional)"),
    "group.reg.hotline_hint": (
        "Chỉ điền nếu nhóm muốn công bố số này trong danh bạ.",
        "Only if the group wants this number shown in the directory.",
    ),
    "group.reg.contact": ("Số điện thoại liên hệ với cán bộ", "Contact phone for officials"),
    "group.reg.contact_hint": (
        "Chỉ cán bộ quận xác minh thấy số này; không bao giờ công khai.",
        "Only the verifying district official sees it; never shown publicly.",
    ),
    "group.reg.send": ("Gửi đăng ký", "Register"),
    "group.reg.state": ("Trạng thái", "State"),
    "group.reg.reason": ("Lý do", "Reason"),
    "group.reg.again": ("Bạn có thể đăng ký lại với thông tin đã sửa.", "You may register again, corrected."),
    "group.reg.too_many": (
        "Số điện thoại này đã đăng ký nhiều lần hôm nay; hãy thử lại sau {seconds} giây.",
        "This phone registered many times today; try again in {seconds} seconds.",
    ),
    "group.queue.title": ("Xác minh nhóm hỗ trợ", "Verify help groups"),
    "group.queue.intro": (
        "Nhóm có khu vực hỗ trợ trong quận của bạn. Gọi số liên hệ để xác minh trước khi quyết định.",
        "Groups with coverage in your district. Call the contact phone to check before deciding.",
    ),
    "group.queue.none": ("Không có nhóm nào chờ xác minh.", "No group awaits verification."),
    "group.queue.contact": ("Số liên hệ (riêng)", "Contact phone (private)"),
    "group.queue.registered": ("Đăng ký lúc", "Registered at"),
    "group.queue.verify": ("Xác minh", "Verify"),
    "group.queue.refuse": ("Không xác minh", "Refuse"),
    "group.queue.suspend": ("Đình chỉ", "Suspend"),
    "group.queue.reason": ("Lý do (bắt buộc khi không xác minh hoặc đình chỉ)", "Reason (to refuse or suspend)"),
    "group.queue.verified": ("Nhóm đang hoạt động", "Verified groups"),
    "group.queue.done": ("Đã ghi nhận quyết định.", "The decision was recorded."),
}
