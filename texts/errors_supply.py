"""Refusals of donations, stock, place reports, allocation rounds and shipments, by error code ("err.<code>").

Codes other areas could also use (too_large, not_positive, unknown_item…) keep their code in the API and take a
text named for what it says here ("err.quantity_too_large"), so no area's words stand in for another's."""

TEXTS: dict[str, tuple[str, str]] = {
    # What was asked for is not there, or not the caller's to see.
    "err.supply_place_not_found": (
        "Không có điểm kho {place} trong phạm vi của bạn.",
        "There is no place {place} in your scope.",
    ),
    "err.no_supply_place_in_scope": (
        "Không có điểm kho nào trong phạm vi của bạn.",
        "There is no supply place in your scope.",
    ),
    "err.account_without_place": (
        "Tài khoản này chưa gắn với điểm kho nào.",
        "This account belongs to no place.",
    ),
    "err.donation_not_found": ("Không tìm thấy quyên góp này.", "There is no such donation."),
    "err.shipment_not_found": ("Không tìm thấy chuyến hàng này.", "There is no such shipment."),
    "err.allocation_round_not_found": ("Không có đợt phân bổ này.", "There is no such allocation round."),
    "err.adjustment_not_found": (
        "Không có điều chỉnh kiểm kê này trong phạm vi của bạn.",
        "There is no such count adjustment in your scope.",
    ),
    # Quantities, judged against the item's unit.
    "err.quantity_not_positive": ("Số lượng phải lớn hơn 0.", "The quantity must be more than 0."),
    "err.quantity_negative": ("Số lượng không được âm.", "A quantity cannot be negative."),
    "err.counted_negative": ("Số lượng đếm được không thể âm.", "A counted quantity cannot be negative."),
    "err.quantity_too_large": ("Số lượng quá lớn: tối đa {most}.", "The quantity is too large: at most {most}."),
    "err.quantity_too_large_line": (
        "Số lượng quá lớn: tối đa {most} {unit} mỗi dòng.",
        "Too large: at most {most} {unit} a line.",
    ),
    "err.quantity_not_whole": (
        "{item} được đếm theo {unit}: nhập số nguyên.",
        "{item} is counted in whole {unit}: enter a whole number.",
    ),
    "err.quantity_too_precise": ("Số lượng có tối đa 3 chữ số thập phân.", "At most 3 decimal places."),
    "err.unknown_supply_item": ("Mặt hàng này không có trong danh mục.", "There is no such item in the catalogue."),
    # The ledger's refusals (services/stock_errors.py).
    "err.insufficient_stock": (
        "Không đủ hàng: {place} chỉ còn {available} {item}, cần {wanted}.",
        "Not enough stock: {available} of {item} at {place}, {wanted} needed.",
    ),
    "err.lot_expired": (
        "Lô hàng đã quá hạn sử dụng, chỉ có thể hủy.",
        "The lot is past its expiry date and can only be written off.",
    ),
    "err.stock_key_reused": (
        "Mã thao tác {used_key} đã dùng cho một thao tác khác.",
        "The key {used_key} was already used for another movement.",
    ),
    # Warehouse staff's actions on their stock.
    "err.idempotency_key_missing": (
        "Thiếu mã thao tác (Idempotency-Key) để tránh làm hai lần.",
        "An Idempotency-Key is required, so a repeat moves stock once.",
    ),
    "err.insufficient_free_stock": (
        "Không đủ {item}: còn {free} {unit}, cần {wanted}.",
        "Not enough {item}: {free} {unit} free, {wanted} needed.",
    ),
    "err.insufficient_stock_bags_held": (
        "Không đủ hàng còn trống: túi đã giữ cho hộ dân không được tính.",
        "Not enough free stock: bags held for households stay on the shelf.",
    ),
    "err.unknown_lot": ("Lô hàng này không có trong kho của bạn.", "There is no such lot in your stock."),
    "err.lot_item_mismatch": ("Lô hàng này không phải mặt hàng đã chọn.", "This lot holds another item."),
    "err.not_an_assembly_place": (
        "Chỉ đóng túi tại kho quận hoặc điểm phát phường.",
        "Bags are assembled at a district warehouse or a ward point.",
    ),
    "err.too_many_bags": ("Tối đa {most} túi một lần.", "At most {most} bags at a time."),
    "err.unknown_write_off_cause": (
        "Chọn lý do: hư hỏng hoặc bể vỡ.",
        "Choose a cause: spoiled or damaged.",
    ),
    "err.write_off_reason_missing": ("Ghi rõ lý do hủy.", "Say why the goods are written off."),
    "err.unknown_receiving_place": ("Không có kho nhận này.", "There is no such receiving place."),
    "err.transfer_to_same_place": ("Kho nhận phải là kho khác.", "Send to another place."),
    "err.unknown_institution": (
        "Không có bệnh viện, khu cách ly hay bếp ăn nào với mã này.",
        "There is no hospital, quarantine area or kitchen with this code.",
    ),
    # Donations: the donor's announcement and the warehouse's receipt.
    "err.donor_phone_invalid": (
        "Số điện thoại không hợp lệ; số nước ngoài ghi kèm mã quốc gia, ví dụ +65…",
        "Not a valid phone number; write an overseas one with its country code, e.g. +65…",
    ),
    "err.estimated_value_negative": ("Giá trị ước tính không thể âm.", "The estimated value cannot be negative."),
    "err.estimated_value_too_large": ("Giá trị ước tính quá lớn.", "The estimated value is too large."),
    "err.donation_day_passed": ("Ngày mang hàng đến đã qua.", "That day has passed."),
    "err.donation_too_far_ahead": (
        "Chỉ nhận đăng ký trước tối đa {days} ngày.",
        "Donations are announced at most {days} days ahead.",
    ),
    "err.expiry_required_perishable": (
        "{item} là hàng tươi sống: cần hạn sử dụng.",
        "{item} is perishable: give its expiry date.",
    ),
    "err.expires_before_arrival": (
        "Hàng hết hạn trước ngày mang đến.",
        "The goods expire before the day they arrive.",
    ),
    "err.unknown_donation_line": ("Quyên góp không có dòng này.", "The donation has no such line."),
    "err.line_received_twice": ("Dòng này được nhận hai lần.", "This line is received twice."),
    "err.line_received_already": ("Dòng này đã được nhận.", "This line was received already."),
    "err.rejection_reason_required": ("Cần lý do từ chối.", "Give the reason for rejecting."),
    "err.accepted_not_positive": (
        "Hàng nhận phải có số lượng lớn hơn 0; nếu không có hàng, hãy từ chối dòng.",
        "Accepted goods have a quantity above zero; reject the line if nothing came.",
    ),
    "err.goods_expired": ("Hàng đã quá hạn sử dụng.", "The goods are past their expiry date."),
    "err.missing_lines": ("Thiếu dòng {lines}.", "Lines {lines} are missing."),
    # Shipments: the dispatch and the receipt.
    "err.plate_invalid": (
        "Biển số xe không hợp lệ, ví dụ 51C-123.45.",
        "Not a Vietnamese plate, e.g. 51C-123.45.",
    ),
    "err.driver_name_length": ("Họ tên từ {min} đến {max} ký tự.", "A name of {min} to {max} characters."),
    "err.unknown_shipment_line": ("Chuyến hàng không có dòng này.", "The shipment has no such line."),
    "err.line_counted_twice": ("Dòng này được đếm hai lần.", "This line is counted twice."),
    "err.received_too_large": (
        "Số đếm quá lớn: đã gửi {sent} {unit}, tối đa {most}.",
        "Too large: {sent} {unit} were sent, at most {most}.",
    ),
    # Places' daily reports and the adjustments a second person approves.
    "err.not_reporting": ("Điểm này không gửi báo cáo hằng ngày.", "This place does not file daily reports."),
    "err.report_filed_already": (
        "Báo cáo hôm nay đã được gửi; không gửi lại.",
        "Today's report was filed already; it is not filed again.",
    ),
    "err.empty_report": ("Báo cáo chưa có số liệu nào.", "The report has no count and no proposal."),
    "err.item_counted_twice": ("Mặt hàng được đếm hai lần.", "This item is counted twice."),
    "err.count_implausible": (
        "Số lượng quá lớn so với sổ kho: tối đa {most}.",
        "Far above the ledger: at most {most}.",
    ),
    "err.proposal_not_positive": ("Số lượng đề xuất phải lớn hơn 0.", "The proposed quantity must be more than 0."),
    "err.proposal_reason_required": ("Cần nêu lý do đề xuất.", "Give the proposal's reason."),
    "err.same_person_approves": (
        "Người đã kiểm đếm không tự duyệt được; cần một người khác.",
        "The person who counted cannot approve it: a second person must.",
    ),
    "err.adjustment_insufficient_stock": (
        "Kho không còn đủ hàng để ghi giảm; hãy kiểm kê lại.",
        "The place no longer holds enough to adjust down: count again.",
    ),
    # Edits of an allocation round's proposal, by the rule's code (domain/allocation_round.py).
    "err.round_edit.below_zero": ("Số lượng không được âm.", "A quantity cannot be below zero."),
    "err.round_edit.unknown_lot": ("Lô hàng không thuộc đợt này.", "The lot is not one of this round's."),
    "err.round_edit.unknown_destination": (
        "Nơi nhận không thuộc đợt này.",
        "The destination is not one of this round's.",
    ),
    "err.round_edit.same_place": ("Lô hàng đã ở nơi này.", "The lot is there already."),
    "err.round_edit.not_needed": (
        "Nơi nhận không cần mặt hàng này trong đợt.",
        "The destination has no need of this item this round.",
    ),
    "err.round_edit.line_twice": (
        "Một lô và một nơi nhận chỉ được sửa một lần.",
        "A lot and a destination are edited once.",
    ),
    "err.round_edit.beyond_lot": (
        "Vượt quá số lượng lô hàng còn: lô còn {holds}.",
        "More than the lot holds: it holds {holds}.",
    ),
}
