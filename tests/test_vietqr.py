"""The VietQR code a helper scans to pay a household: the payload field by field and its CRC against NAPAS's
published examples, every bad input refused, the drawn code scanned back to its payload; and the catalogue of
banks the money can go to."""

import re
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from common.qr_image import qr_svg
from domain.banks import Bank, BankKind, account_number_valid, all_banks, bank_by_bin, bank_by_code
from domain.vietqr import crc16_ccitt, encode_payload, parse_payload, transfer_payload

# NAPAS's VietQR specification for transfers through NAPAS 247 (v1.5.2): its example of a dynamic QR for a transfer
# to an account (Sacombank 970403, account 0011012345678, 180,000 VND, bill number NPS6869, purpose "thanh toan don
# hang"). Quoted verbatim, with this CRC, by the tests of many independent VietQR libraries.
NAPAS_DYNAMIC_TO_ACCOUNT = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN"
    "62340107NPS68690819thanh toan don hang63042E2E"
)
# The same specification's worked CRC example (a static QR to the same account). As printed, the account's length
# reads 12 for 13 digits, a typo in the spec that the CRC was computed over: it parses as nothing, its CRC holds.
NAPAS_CRC_EXAMPLE = "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
# xuannghia/vietnam-qr-pay, README and test/test-quick-gen-qr.spec.ts: an independent builder's dynamic QR to an
# ACB account, the same shape as ours (no bill number).
INDEPENDENT_DYNAMIC = (
    "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN"
    "62150811Chuyen tien630453E6"
)
# xuannghia/vietnam-qr-pay, test/test-vietqr.spec.ts: codes from banks' apps, one (Techcombank) whose CRC has a
# leading zero, one (MB) whose app writes the CRC in lower case.
TECHCOMBANK_APP = "00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283"
MB_APP_LOWER_CASE_CRC = "00020101021138540010A00000072701240006970422011003523509170208QRIBFTTA53037045802VN630479db"


def _without_crc(fields: dict) -> dict:
    return {field_id: value for field_id, value in fields.items() if field_id != "63"}


# CRC


def test_crc16_ccitt_false_has_its_standard_check_value() -> None:
    assert crc16_ccitt(b"123456789") == 0x29B1
    assert crc16_ccitt(b"") == 0xFFFF


@pytest.mark.parametrize(
    "example",
    [NAPAS_DYNAMIC_TO_ACCOUNT, NAPAS_CRC_EXAMPLE, INDEPENDENT_DYNAMIC, TECHCOMBANK_APP, MB_APP_LOWER_CASE_CRC],
)
def test_crc_of_published_examples(example: str) -> None:
    assert f"{crc16_ccitt(example[:-4].encode('ascii')):04X}" == example[-4:].upper()


# The builder against the examples


def test_napas_example_field_by_field() -> None:
    assert parse_payload(NAPAS_DYNAMIC_TO_ACCOUNT) == {
        "00": "01",
        "01": "12",
        "38": {"00": "A000000727", "01": {"00": "970403", "01": "0011012345678"}, "02": "QRIBFTTA"},
        "53": "704",
        "54": "180000",
        "58": "VN",
        "62": {"01": "NPS6869", "08": "thanh toan don hang"},
        "63": "2E2E",
    }


@pytest.mark.parametrize("example", [NAPAS_DYNAMIC_TO_ACCOUNT, INDEPENDENT_DYNAMIC, TECHCOMBANK_APP])
def test_encoding_the_examples_fields_gives_the_example_back(example: str) -> None:
    assert encode_payload(_without_crc(parse_payload(example))) == example


def test_transfer_payload_has_the_napas_examples_fields() -> None:
    ours = parse_payload(transfer_payload("970403", "0011012345678", 180_000, "thanh toan don hang"))
    napas = parse_payload(NAPAS_DYNAMIC_TO_ACCOUNT)
    for field_id in ("00", "01", "38", "53", "54", "58"):
        assert ours[field_id] == napas[field_id], field_id
    # The example also carries a bill number (62/01); a pledge's reference travels as the purpose alone.
    assert ours["62"] == {"08": "thanh toan don hang"}
    assert list(ours) == list(napas)


def test_transfer_payload_is_the_napas_example_without_its_bill_number() -> None:
    napas = _without_crc(parse_payload(NAPAS_DYNAMIC_TO_ACCOUNT))
    napas["62"] = {"08": "thanh toan don hang"}
    assert transfer_payload("970403", "0011012345678", 180_000, "thanh toan don hang") == encode_payload(napas)


def test_transfer_payload_is_what_an_independent_builder_writes() -> None:
    assert transfer_payload("970416", "257678859", 10_000, "Chuyen tien") == INDEPENDENT_DYNAMIC


# Round trip


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "reference"),
    [
        ("970436", "1012345678901", 500_000, "AS-PLG-7K3M9Q"),
        ("970405", "123456", 1, "a"),
        ("970418", "1234567890123456789", 9_999_999_999_999, "X" * 25),
        ("971005", "0987654321", 1_500_000, "Ung ho ho gia dinh 12"),
    ],
)
def test_build_then_parse_gives_the_inputs_back(bank_bin: str, account: str, amount: int, reference: str) -> None:
    fields = parse_payload(transfer_payload(bank_bin, account, amount, reference))
    assert fields["01"] == "12"
    assert fields["38"] == {"00": "A000000727", "01": {"00": bank_bin, "01": account}, "02": "QRIBFTTA"}
    assert (fields["53"], fields["54"], fields["58"]) == ("704", str(amount), "VN")
    assert fields["62"] == {"08": reference}
    assert re.fullmatch(r"[0-9A-F]{4}", str(fields["63"]))


def test_parse_accepts_a_lower_case_crc() -> None:
    assert parse_payload(MB_APP_LOWER_CASE_CRC)["38"] == {
        "00": "A000000727",
        "01": {"00": "970422", "01": "0352350917"},
        "02": "QRIBFTTA",
    }


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (NAPAS_DYNAMIC_TO_ACCOUNT.replace("180000", "980000"), "CRC"),
        (NAPAS_DYNAMIC_TO_ACCOUNT[:-4] + "2E2F", "CRC"),
        (NAPAS_DYNAMIC_TO_ACCOUNT[:-8], "end with its CRC"),
        (NAPAS_CRC_EXAMPLE, "no field ID and length"),
        ("", "end with its CRC"),
        (encode_payload({"01": "12", "00": "01"}), "format indicator"),
        ("Ủ" + NAPAS_DYNAMIC_TO_ACCOUNT, "ASCII"),
    ],
)
def test_parse_refuses_what_is_not_a_whole_payload(payload: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_payload(payload)


def test_parse_refuses_a_field_given_twice() -> None:
    body = "000201" + "5802VN" + "5802VN" + "6304"
    with pytest.raises(ValueError, match="twice"):
        parse_payload(body + f"{crc16_ccitt(body.encode()):04X}")


def test_parse_refuses_a_length_longer_than_what_follows() -> None:
    body = "000201" + "5899VN" + "6304"
    with pytest.raises(ValueError, match="says 99 characters"):
        parse_payload(body + f"{crc16_ccitt(body.encode()):04X}")


# Bad input


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "reference", "message"),
    [
        ("970436", "1012345678901", 0, "AS-1", "above zero"),
        ("970436", "1012345678901", -50_000, "AS-1", "above zero"),
        ("970436", "1012345678901", 10**13, "AS-1", "more than 13 digits"),
        ("970436", "1012345678901", 1500.5, "AS-1", "whole number"),
        ("970436", "1012345678901", "150000", "AS-1", "whole number"),
        ("970436", "1012345678901", True, "AS-1", "whole number"),
        ("970499", "1012345678901", 1000, "AS-1", "not a NAPAS 247 participant"),
        ("VCB", "1012345678901", 1000, "AS-1", "not a NAPAS 247 participant"),
        ("970436", "10123-45678", 1000, "AS-1", "account number"),
        ("970436", "1012 3456 78901", 1000, "AS-1", "account number"),
        ("970436", "12345", 1000, "AS-1", "account number"),
        ("970436", "12345678901234567890", 1000, "AS-1", "account number"),
        ("970436", "١٠١٢٣٤٥٦٧٨٩", 1000, "AS-1", "account number"),
        ("970436", "", 1000, "AS-1", "account number"),
        ("971005", "987654321", 1000, "AS-1", "account number"),
        ("970436", "1012345678901", 1000, "", "empty"),
        ("970436", "1012345678901", 1000, "   ", "empty"),
        ("970436", "1012345678901", 1000, "X" * 26, "longer than 25"),
        ("970436", "1012345678901", 1000, "Ủng hộ", "ASCII"),
        ("970436", "1012345678901", 1000, "AS-1\nAS-2", "ASCII"),
        ("970436", "1012345678901", 1000, "AS\t1", "ASCII"),
    ],
)
def test_bad_input_is_refused(bank_bin: str, account: str, amount: int, reference: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as refused:
        transfer_payload(bank_bin, account, amount, reference)
    if account:
        assert account not in str(refused.value), "an account number is personal data: never in a message"


def test_encode_refuses_a_value_too_long_for_its_length_field_and_a_given_crc() -> None:
    with pytest.raises(ValueError, match="1 to 99 characters"):
        encode_payload({"00": "01", "62": {"08": "x" * 96}})
    with pytest.raises(ValueError, match="1 to 99 characters"):
        encode_payload({"00": "01", "59": ""})
    with pytest.raises(ValueError, match="computed"):
        encode_payload({"00": "01", "63": "ABCD"})


# The drawn code


def _modules(svg: str) -> list[list[bool]]:
    """The dark modules of segno's SVG: one path of moves (M, m) and horizontal runs (h) along module rows."""
    root = ElementTree.fromstring(svg)
    size = int(root.attrib["viewBox"].split()[2])
    dark = next(path for path in root.iter("path") if path.get("stroke") == "#000")
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    tokens = re.findall(r"[A-Za-z]|-?\d+(?:\.\d+)?", dark.attrib["d"])
    while tokens:
        command = tokens.pop(0)
        if command in ("M", "m"):
            dx, dy = float(tokens.pop(0)), float(tokens.pop(0))
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
        elif command == "h":
            run = float(tokens.pop(0))
            for column in range(int(x), int(x + run)):
                grid[int(y)][column] = True
            x += run
        else:
            raise AssertionError(f"path command {command} not expected from segno")
    return grid


def test_the_svg_scans_back_to_the_payload() -> None:
    payload = transfer_payload("970436", "1012345678901", 1_500_000, "AS-PLG-7K3M9Q")
    svg = qr_svg(payload)
    root = ElementTree.fromstring(svg)
    assert root.tag == "svg" and root.get("role") == "img"
    assert root.findtext("title") == "VietQR"
    _, _, width, height = root.attrib["viewBox"].split()
    assert width == height
    assert any(path.get("fill") == "#fff" for path in root.iter("path")), "a white ground of its own"

    scale = 6
    modules = _modules(svg)
    image = Image.new("L", (len(modules) * scale,) * 2, 255)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(modules):
        for column, dark in enumerate(line):
            if dark:
                draw.rectangle((column * scale, row * scale, (column + 1) * scale - 1, (row + 1) * scale - 1), fill=0)
    scanned = zxingcpp.read_barcodes(image)
    assert [(code.format, code.text) for code in scanned] == [(zxingcpp.BarcodeFormat.QRCode, payload)]


# The banks


def test_every_bin_is_six_digits_and_names_one_bank() -> None:
    banks = all_banks()
    assert len(banks) >= 50
    assert all(re.fullmatch(r"[0-9]{6}", bank.bin) for bank in banks)
    assert len({bank.bin for bank in banks}) == len(banks)
    assert len({bank.code for bank in banks}) == len(banks)
    assert all(bank.name and bank.short_name for bank in banks)


@pytest.mark.parametrize(
    ("bin_", "code", "short_name", "kind"),
    [
        ("970436", "VCB", "Vietcombank", BankKind.BANK),
        ("970415", "ICB", "VietinBank", BankKind.BANK),
        ("970418", "BIDV", "BIDV", BankKind.BANK),
        ("970405", "VBA", "Agribank", BankKind.BANK),
        ("970422", "MB", "MB", BankKind.BANK),
        ("970407", "TCB", "Techcombank", BankKind.BANK),
        ("970416", "ACB", "ACB", BankKind.BANK),
        ("970432", "VPB", "VPBank", BankKind.BANK),
        ("970423", "TPB", "TPBank", BankKind.BANK),
        ("970403", "STB", "Sacombank", BankKind.BANK),
        ("971005", "VTLMONEY", "Viettel Money", BankKind.EWALLET),
        ("971011", "VNPTMONEY", "VNPT Money", BankKind.EWALLET),
    ],
)
def test_lookup_by_bin_and_by_code(bin_: str, code: str, short_name: str, kind: BankKind) -> None:
    bank = bank_by_bin(bin_)
    assert bank is not None
    assert (bank.code, bank.short_name, bank.kind) == (code, short_name, kind)
    assert bank_by_code(code) == bank
    assert bank_by_code(f" {code.lower()} ") == bank


def test_unknown_bins_and_codes_find_nothing() -> None:
    assert bank_by_bin("970499") is None
    assert bank_by_bin("VCB") is None
    assert bank_by_code("970436") is None
    assert bank_by_code("NOPE") is None


def test_banks_are_listed_by_short_name() -> None:
    names = [bank.short_name.casefold() for bank in all_banks()]
    assert names == sorted(names)


def test_account_shapes() -> None:
    bank = bank_by_bin("970436")
    wallet = bank_by_bin("971005")
    assert bank is not None and wallet is not None
    assert account_number_valid(bank, "123456") and account_number_valid(bank, "1" * 19)
    assert not account_number_valid(bank, "12345")
    assert not account_number_valid(bank, "1" * 20)
    assert not account_number_valid(bank, "12345678a")
    assert not account_number_valid(bank, "１２３４５６７")  # full-width digits are digits to Python, not to a bank
    assert account_number_valid(wallet, "0987654321")
    assert not account_number_valid(wallet, "098765432")
    assert not account_number_valid(wallet, "09876543210")


def test_a_bank_whose_shortest_account_is_above_its_longest_is_refused() -> None:
    with pytest.raises(ValueError, match="shortest length"):
        Bank(bin="970999", code="XX", short_name="X", name="X", account_min_digits=12, account_max_digits=10)
