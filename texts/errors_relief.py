"""Refusals of registration, verification, delivery, sign-in, registries and coverage, by error code ("err.<code>"),
and the words those areas write into what they keep or hand out (a registry import's report, the outreach list)."""

TEXTS: dict[str, tuple[str, str]] = {
    # Who a person is: the national ID and the phone, as citizens, officials and couriers type them.
    "err.national_id_digits": (
        "Số định danh cá nhân gồm 12 chữ số trên CCCD, hoặc 9 chữ số trên CMND cũ",
        "The personal ID number has 12 digits on a CCCD, or 9 on an old CMND",
    ),
    "err.national_id_province": (
        "Mã tỉnh {province} ở đầu số CCCD không tồn tại; hãy xem lại 3 chữ số đầu",
        "No province has the code {province} that starts this CCCD number; check its first 3 digits",
    ),
    "err.national_id_future_birth_year": (
        "Số CCCD này mang năm sinh ở tương lai; hãy xem lại các chữ số",
        "This CCCD number encodes a birth year in the future; check its digits",
    ),
    "err.national_id_birth_year_mismatch": (
        "Số CCCD không khớp với năm sinh đã khai; hãy xem lại số hoặc năm sinh",
        "The CCCD number does not match the stated birth year; check the number or the year",
    ),
    "err.phone_digits": (
        "Số điện thoại chỉ gồm chữ số 0-9, ví dụ 0912 345 678",
        "A phone number has the digits 0-9 only, e.g. 0912 345 678",
    ),
    "err.phone_invalid": (
        "Số điện thoại gồm 10 chữ số, ví dụ 0912 345 678 hoặc 028 3822 1234",
        "A phone number has 10 digits, e.g. 0912 345 678 or 028 3822 1234",
    ),
    "err.mobile_phone_invalid": (
        "Số điện thoại di động gồm 10 chữ số, ví dụ 0912 345 678",
        "A mobile number has 10 digits, e.g. 0912 345 678",
    ),
    "err.phone_landline": (
        "Đây là số máy bàn, không nhận được SMS: nhập số di động gồm 10 chữ số, ví dụ 0912 345 678",
        "This is a landline, which cannot receive SMS: enter a 10-digit mobile number, e.g. 0912 345 678",
    ),
    # Registering a request.
    "err.kind_emergency_elsewhere": (
        "Yêu cầu khẩn cấp gửi tại trang Cần giúp khẩn cấp, /khan-cap/moi, hoặc POST /api/v1/emergencies",
        "Post emergencies at /khan-cap/moi or POST /api/v1/emergencies",
    ),
    "err.kind_not_registrable": (
        "Loại hỗ trợ '{kind}' không đăng ký tại đây; chọn túi an sinh (food_bag) hoặc hỗ trợ tiền mặt (cash_support)",
        "'{kind}' cannot be registered here; choose food_bag or cash_support",
    ),
    "err.amount_not_positive": ("Nhập số tiền lớn hơn 0", "Enter an amount above zero"),
    "err.above_cap": (
        "Số tiền tối đa cho một hộ là {cap} đồng; nhập số tiền không quá mức này",
        "A household may ask at most {cap} VND; enter an amount no higher",
    ),
    "err.cash_field_required": (
        "Ô này bắt buộc khi đăng ký hỗ trợ tiền mặt",
        "This is required for a cash_support request",
    ),
    "err.cash_field_not_allowed": (
        "Ô này chỉ dùng khi đăng ký hỗ trợ tiền mặt; hãy bỏ trống",
        "This is only for a cash_support request; leave it out",
    ),
    "err.cash_consent_required": (
        "Hỗ trợ tiền mặt cần hộ đồng ý công bố nhu cầu, không kèm tên, địa chỉ hay số tài khoản: cộng đồng hỗ trợ "
        "từ đó",
        "A cash need must be published, without name, address or account: that is how the community funds it",
    ),
    "err.bank_unknown": (
        "Ngân hàng mã {bin} không có trong danh sách NAPAS; hãy chọn ngân hàng từ danh sách",
        "The bank BIN {bin} is not on the NAPAS list; pick the bank from the list",
    ),
    "err.bin_not_a_wallet": (
        "{bank} không phải là ví điện tử; hãy chọn cách nhận tiền phù hợp",
        "{bank} is not an e-wallet; pick the payout method that matches",
    ),
    "err.bin_not_a_bank": (
        "{bank} không phải là ngân hàng; hãy chọn cách nhận tiền phù hợp",
        "{bank} is not a bank; pick the payout method that matches",
    ),
    "err.account_number_shape": (
        "Số tài khoản không đúng dạng của {bank}; hãy xem lại số tài khoản",
        "The account number does not have the shape of a {bank} account; check it",
    ),
    "err.idempotency_key_reused": (
        "Khóa này đã dùng cho một đăng ký khác; hãy dùng khóa mới.",
        "This key was used for a different registration; send a new key.",
    ),
    # Places.
    "err.ward_not_found": (
        "Không tìm thấy phường/xã trong địa chỉ; hãy chọn từ danh sách.",
        "No ward was found in the address; pick it from the list.",
    ),
    "err.no_such_district": ("Không có quận/huyện mã {district}.", "There is no district with the code {district}."),
    "err.no_such_ward": ("Không có phường/xã mã {ward}.", "There is no ward with the code {ward}."),
    "err.ward_not_in_scope": (
        "Không có phường/xã này trong phạm vi của bạn.",
        "There is no such ward in your scope.",
    ),
    "err.district_not_in_scope": (
        "Không có quận/huyện này trong phạm vi của bạn.",
        "There is no such district in your scope.",
    ),
    "ward.confirm": (
        "Có phải {ward}, {district}? Vui lòng xác nhận trước khi đăng ký.",
        "Is it {ward}, {district}? Please confirm before registering.",
    ),
    # One request, and its delivery.
    "err.request_not_found": (
        "Không có yêu cầu {code}, hoặc bạn không có quyền xem.",
        "No request {code} is visible to you.",
    ),
    "err.photo_no_longer_kept": (
        "Ảnh giao túi của yêu cầu {code} không còn được lưu.",
        "The delivery photo of request {code} is no longer kept.",
    ),
    "err.courier_not_available": (
        "Người giao này không phải người giao đang hoạt động của phường {ward}; hãy chọn người khác.",
        "This courier is not an active courier of ward {ward}; pick another.",
    ),
    "err.recipient_not_member": (
        "Số định danh người nhận không thuộc thành viên nào của hộ; hãy cho biết người nhận là ai (quan hệ với hộ "
        "hoặc lý do).",
        "The recipient's ID number matches no member of the household; say who received the bag: their relationship "
        "to the household or a reason.",
    ),
    "err.photo_over_limit": (
        "Ảnh lớn hơn giới hạn {kib} KiB; hãy gửi ảnh nhỏ hơn.",
        "The photo is larger than the limit of {kib} KiB; send a smaller photo.",
    ),
    "err.photo_format": (
        "Không nhận ảnh định dạng {format}; hãy gửi ảnh JPEG, PNG hoặc WebP.",
        "Photo format {format} is not accepted; send JPEG, PNG or WebP.",
    ),
    "err.photo_too_many_pixels": (
        "Ảnh {width}x{height} điểm ảnh, quá giới hạn {limit} điểm ảnh; hãy gửi ảnh nhỏ hơn.",
        "The photo is {width}x{height} pixels; the limit is {limit} pixels; send a smaller photo.",
    ),
    "err.photo_declares_too_many_pixels": (
        "Ảnh khai báo quá nhiều điểm ảnh; giới hạn là {limit}; hãy chụp lại.",
        "The photo declares too many pixels; the limit is {limit}; take it again.",
    ),
    "err.photo_unreadable": (
        "Không đọc được ảnh; hãy gửi ảnh JPEG, PNG hoặc WebP.",
        "The photo is not a readable JPEG, PNG or WebP image; send one that is.",
    ),
    "err.photo_not_processed": (
        "Không xử lý được ảnh; hãy chụp lại.",
        "The photo could not be read; take it again.",
    ),
    "err.not_received_not_delivered": (
        "Chỉ hộ đã được giao túi mới báo được chưa nhận.",
        "Only the household of a delivered bag can say it never came.",
    ),
    "err.not_received_already_said": (
        "Hộ đã báo chưa nhận được túi; phường đang xem xét.",
        "The household has said so already; the ward is reviewing it.",
    ),
    "err.not_received_too_late": (
        "Đã quá thời hạn báo chưa nhận được túi; hãy gọi tổng đài {hotline}.",
        "The time to say the bag never came has passed; call the hotline {hotline}.",
    ),
    "err.not_waiting_for_review": (
        "Lần giao này không chờ xem xét.",
        "This delivery is not waiting for review.",
    ),
    # What a courier may say the recipient is to the household, kept as said (in Vietnamese).
    "relationship.spouse": ("vợ/chồng", "spouse"),
    "relationship.child": ("con", "child"),
    "relationship.parent": ("cha/mẹ", "parent"),
    "relationship.sibling": ("anh/chị/em", "sibling"),
    "relationship.neighbour": ("hàng xóm", "neighbour"),
    "relationship.group_head": ("tổ trưởng tổ dân phố", "head of the residential group"),
    "relationship.other": ("khác", "other"),
    # Signing in.
    "err.wrong_password": (
        "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa.",
        "Wrong username or password, or the account is locked.",
    ),
    "otp.sent": (
        "Nếu số điện thoại đã đăng ký, mã xác thực đã được gửi bằng SMS.",
        "If the phone is registered, a code was sent to it by SMS.",
    ),
    # Wards' lists of households.
    "err.registry_too_large": (
        "Tệp lớn hơn {mb} MB; hãy chia danh sách thành nhiều tệp.",
        "The file is larger than {mb} MB; split the list into several files.",
    ),
    "err.no_such_import": ("Không có lần nhập này.", "There is no such import."),
    "err.registry_no_header": (
        "Không tìm thấy dòng tiêu đề có đủ các cột bắt buộc ({columns}) trong {rows} dòng đầu.",
        "No header row with the required columns ({columns}) in the first {rows} rows.",
    ),
    "err.registry_not_csv": (
        "Tệp không phải văn bản CSV; hãy lưu danh sách dạng CSV hoặc Excel (.xlsx).",
        "The file is not CSV text; save the list as CSV or Excel (.xlsx).",
    ),
    "err.registry_bad_xlsx": (
        "Tệp Excel bị hỏng hoặc không đúng định dạng .xlsx; hãy lưu lại dạng .xlsx.",
        "The Excel file is broken or not .xlsx; save it again as .xlsx.",
    ),
    "import.new_household": ("hộ mới", "new household"),
    "import.same_national_id": (
        "trùng số CMND/CCCD với một thành viên của hộ đã có",
        "the ID number of a member of a known household",
    ),
    "import.same_contact": (
        "cùng số điện thoại hoặc địa chỉ và tên trùng khớp với hộ đã có",
        "the phone, or the address and name, of a known household",
    ),
    "import.name_missing": ("thiếu họ tên", "name missing"),
    "import.address_too_short": ("địa chỉ quá ngắn", "address too short"),
    "import.other_ward": (
        "phường/xã '{ward}' không phải phường đang nhập danh sách",
        "'{ward}' is not the ward whose list this is",
    ),
    "import.household_size": (
        "số nhân khẩu '{size}' không hợp lệ, cần từ 1 đến 30",
        "household size '{size}' is not a number from 1 to 30",
    ),
    "import.col.line": ("Dòng", "Line"),
    "import.col.result": ("Kết quả", "Result"),
    "import.col.reason": ("Lý do", "Reason"),
    "import.status.accepted": ("Đã nhận", "Accepted"),
    "import.status.merged": ("Gộp với hộ đã có", "Merged with a known household"),
    "import.status.rejected": ("Từ chối", "Refused"),
    # The outreach list for field teams.
    "outreach.col.address": ("Địa chỉ", "Address"),
    "outreach.col.members": ("Thành viên", "Members"),
    "outreach.col.categories": ("Diện", "Category"),
    "outreach.col.last_delivered": ("Lần nhận gần nhất", "Last received"),
    "outreach.col.household": ("Mã hộ", "Household"),
    # Deadlines, to the hour.
    "time.deadline": ("{hour} giờ ngày {day}", "{hour}:00 on {day}"),
}
