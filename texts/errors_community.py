"""Refusals of cash support, pledges, help groups and emergencies, by error code ("err.<code>").

A code shared by several kinds of refusal (the API's "length", "outside_city") takes its words from a key of its own
("err.group.name_length"), so each refusal says exactly what is wrong."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- one-time codes to helpers' and posters' phones
    "community.code_sent": (
        "Mã xác thực đã được gửi bằng SMS.",
        "A code was sent by SMS.",
    ),
    # --- cash needs and pledges
    "err.amount_not_whole": (
        "Số tiền phải là số nguyên đồng, ví dụ 500.000.",
        "The amount must be a whole number of VND, for example 500000.",
    ),
    "err.need_not_found": (
        "Không tìm thấy nhu cầu hỗ trợ này.",
        "No such need.",
    ),
    "err.pledge.need_not_open": (
        "Không tìm thấy nhu cầu hỗ trợ này, hoặc nhu cầu không còn nhận cam kết.",
        "No such need open to pledges.",
    ),
    "err.pledge.not_found": (
        "Không tìm thấy cam kết này.",
        "No such pledge.",
    ),
    "err.pledge.below_minimum": (
        "Số tiền cam kết tối thiểu là {minimum} đ.",
        "The smallest pledge is {minimum} VND.",
    ),
    "err.above_remaining": (
        "Số tiền vượt quá phần còn cần: hộ chỉ còn cần {remaining} đ.",
        "The amount is above what the household still needs: {remaining} VND.",
    ),
    "err.no_cash_need": (
        "Yêu cầu này không có nhu cầu tiền mặt.",
        "This request has no cash need.",
    ),
    # --- help groups
    "err.group.not_found": (
        "Không có nhóm hỗ trợ này.",
        "No such help group.",
    ),
    "err.group.none_registered": (
        "Bạn chưa đăng ký nhóm hỗ trợ nào.",
        "You have registered no help group.",
    ),
    "err.group.name_length": (
        "Tên nhóm cần từ {least} đến {most} ký tự.",
        "The group's name needs {least} to {most} characters.",
    ),
    "err.group.description_length": (
        "Mô tả cần từ {least} đến {most} ký tự.",
        "The description needs {least} to {most} characters.",
    ),
    "err.group.name_not_meaningful": (
        "Tên nhóm không rõ nghĩa: hãy viết tên thật của nhóm.",
        "The group's name says nothing readable: write the group's real name.",
    ),
    "err.group.description_not_meaningful": (
        "Mô tả không rõ nghĩa: hãy nói nhóm giúp gì.",
        "The description says nothing readable: say what the group does.",
    ),
    "err.hours_with_always_open": (
        "Nhóm mở 24/7 thì không cần nhập giờ.",
        "A group open 24/7 gives no hours.",
    ),
    "err.group.hours_missing": (
        "Nhập giờ mở cửa, hoặc chọn mở 24/7.",
        "Give the opening hours, or choose open 24/7.",
    ),
    "err.closes_before_opening": (
        "Giờ đóng cửa phải sau giờ mở cửa.",
        "Closing must come after opening.",
    ),
    "err.too_many_intervals": (
        "Tối đa {most} khoảng giờ mỗi ngày.",
        "At most {most} intervals a day.",
    ),
    "err.group.hours_overlap": (
        "Các khoảng giờ trong một ngày chồng lên nhau.",
        "Intervals on the same day overlap.",
    ),
    "err.too_many_units": (
        "Tối đa {most} quận và phường; chọn quận thay cho từng phường của quận.",
        "At most {most} districts and wards; pick a district instead of its wards.",
    ),
    "err.unknown_unit": (
        "Không có quận/phường mã {unit} trong thành phố.",
        "There is no district or ward {unit} in the city.",
    ),
    "err.group.already_registered": (
        "Số điện thoại này đã đại diện cho một nhóm.",
        "This phone already acts for a group.",
    ),
    "err.group.already_decided": (
        "Nhóm này đã được quyết định: {state}.",
        "This group was already decided: {state}.",
    ),
    "err.group.reason_required": (
        "Nêu lý do, từ {least} đến {most} ký tự.",
        "Give a reason of {least} to {most} characters.",
    ),
    "err.group.not_verified": (
        "Chỉ đình chỉ được nhóm đã xác minh; nhóm này: {state}.",
        "Only a verified group can be suspended; this one is {state}.",
    ),
    "err.group.unknown_district": (
        "Không có quận mã {district}.",
        "There is no district {district}.",
    ),
    "err.group.unknown_value": (
        "Giá trị không hợp lệ; chọn một trong: {choices}.",
        "Unknown value; choose one of: {choices}.",
    ),
    # --- emergencies
    "err.emergency.not_found": (
        "Không tìm thấy yêu cầu khẩn cấp này.",
        "No such emergency.",
    ),
    "err.already_claimed": (
        "Yêu cầu này đã có người nhận.",
        "This emergency is already claimed.",
    ),
    "err.outside_coverage": (
        "Yêu cầu này ở ngoài địa bàn nhóm của bạn.",
        "This emergency is outside your group's coverage.",
    ),
    "err.not_your_claim": (
        "Chỉ người đã nhận yêu cầu mới báo được là đã giúp.",
        "Only the person who claimed it can say help was brought.",
    ),
    "err.emergency.ward_outside_city": (
        "Phường/xã này không thuộc thành phố.",
        "This ward is not in the city.",
    ),
    "err.emergency.point_outside_city": (
        "Vị trí này nằm ngoài thành phố.",
        "This location is outside the city.",
    ),
    "err.emergency.bbox_out_of_range": (
        "Tọa độ ngoài phạm vi: vĩ độ trong ±90, kinh độ trong ±180.",
        "Coordinates out of range: latitude within ±90, longitude within ±180.",
    ),
    "err.emergency.bbox_inverted": (
        "Khung nhìn bị đảo ngược: nam phải nhỏ hơn bắc, tây nhỏ hơn đông.",
        "The box is inverted: south must be below north, west below east.",
    ),
    "err.description_too_short": (
        "Mô tả quá ngắn: ít nhất {least} ký tự.",
        "The description is too short: at least {least} characters.",
    ),
    "err.description_too_long": (
        "Mô tả quá dài: tối đa {most} ký tự.",
        "The description is too long: at most {most} characters.",
    ),
    "err.description_only_punctuation": (
        "Mô tả chỉ có dấu câu: hãy nói cần gì.",
        "The description is only punctuation: say what is needed.",
    ),
    "err.description_says_nothing": (
        "Mô tả không rõ nghĩa: hãy nói cần gì.",
        "The description says nothing: say what is needed.",
    ),
    "err.description_repeated_character": (
        "Mô tả có một ký tự lặp lại nhiều lần: hãy nói cần gì.",
        "One character is repeated many times: say what is needed.",
    ),
    "err.address_length": (
        "Nhập địa chỉ từ {least} đến {most} ký tự.",
        "Give an address of {least} to {most} characters.",
    ),
    "err.unknown_category": (
        "Loại yêu cầu không hợp lệ; chọn một trong: {choices}.",
        "Unknown kind of need; choose one of: {choices}.",
    ),
    "err.unknown_urgency": (
        "Mức khẩn cấp không hợp lệ; chọn một trong: {choices}.",
        "Unknown urgency; choose one of: {choices}.",
    ),
    "err.latitude_and_longitude": (
        "Cần cả vĩ độ và kinh độ, hoặc không có cả hai.",
        "Give both latitude and longitude, or neither.",
    ),
    "err.claim_over": (
        "Việc nhận giúp này đã kết thúc: không thể thêm ảnh nữa.",
        "This claim is over: no photo can be added now.",
    ),
    "err.emergency.no_photo": (
        "Yêu cầu này không có ảnh, hoặc ảnh đã được xóa theo thời hạn lưu trữ.",
        "This emergency has no photo, or it was deleted under the retention policy.",
    ),
}
