"""Where a household's cash can go: the banks and e-wallets that receive NAPAS 247 transfers, as data.

Each is named by its NAPAS BIN (the six digits a VietQR code carries), with the short code and names people know
it by, and the shape of account number it takes. The list is the State Bank's BIN register as NAPAS 247
participants use it; a bank that was renamed keeps its BIN (OceanBank is MBV, DongA Bank is Vikki, LienVietPostBank
is LPBank, Viet Capital Bank is BVBank), so it appears once, under its name today.

Account numbers are digits only. A bank's own numbers have no one length (most banks sell chosen numbers, "số
đẹp", or a phone number, beside their standard ones), so a bank takes any length from 6 to the 19 that VietQR's
field holds: refusing a real household's account is worse than letting a typo through, which the holder name check
and the household's confirmation catch. An e-wallet's account is its holder's mobile number: exactly ten digits.
"""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

ACCOUNT_MAX_DIGITS = 19  # VietQR's beneficiary account field holds at most 19 characters
ACCOUNT_MIN_DIGITS = 6


class BankKind(StrEnum):
    BANK = "bank"
    EWALLET = "ewallet"


class Bank(BaseModel):
    model_config = ConfigDict(frozen=True)

    bin: str = Field(pattern=r"^[0-9]{6}$")
    code: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    short_name: str
    name: str
    kind: BankKind = BankKind.BANK
    account_min_digits: int = Field(default=ACCOUNT_MIN_DIGITS, ge=1, le=ACCOUNT_MAX_DIGITS)
    account_max_digits: int = Field(default=ACCOUNT_MAX_DIGITS, ge=1, le=ACCOUNT_MAX_DIGITS)

    @model_validator(mode="after")
    def _length_range(self) -> "Bank":
        if self.account_min_digits > self.account_max_digits:
            raise ValueError("an account number's shortest length is above its longest")
        return self


def _bank(bin_: str, code: str, short_name: str, name: str) -> Bank:
    return Bank(bin=bin_, code=code, short_name=short_name, name=name)


def _ewallet(bin_: str, code: str, short_name: str, name: str) -> Bank:
    # A wallet's account is its holder's mobile number: ten digits since 2018's renumbering.
    return Bank(
        bin=bin_,
        code=code,
        short_name=short_name,
        name=name,
        kind=BankKind.EWALLET,
        account_min_digits=10,
        account_max_digits=10,
    )


_CATALOGUE: tuple[Bank, ...] = (
    # State-owned commercial banks
    _bank("970436", "VCB", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    _bank("970415", "ICB", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    _bank("970418", "BIDV", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    _bank("970405", "VBA", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    # Joint-stock commercial banks
    _bank("970422", "MB", "MB", "Ngân hàng TMCP Quân đội"),
    _bank("970407", "TCB", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    _bank("970416", "ACB", "ACB", "Ngân hàng TMCP Á Châu"),
    _bank("970432", "VPB", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    _bank("970423", "TPB", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    _bank("970403", "STB", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    _bank("970437", "HDB", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    _bank("970441", "VIB", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    _bank("970443", "SHB", "SHB", "Ngân hàng TMCP Sài Gòn - Hà Nội"),
    _bank("970431", "EIB", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    _bank("970426", "MSB", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    _bank("970448", "OCB", "OCB", "Ngân hàng TMCP Phương Đông"),
    _bank("970440", "SEAB", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    _bank("970449", "LPB", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    _bank("970425", "ABB", "ABBANK", "Ngân hàng TMCP An Bình"),
    _bank("970409", "BAB", "Bac A Bank", "Ngân hàng TMCP Bắc Á"),
    _bank("970438", "BVB", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    _bank("970454", "VCCB", "BVBank", "Ngân hàng TMCP Bản Việt"),
    _bank("970452", "KLB", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
    _bank("970428", "NAB", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    _bank("970419", "NCB", "NCB", "Ngân hàng TMCP Quốc Dân"),
    _bank("970430", "PGB", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    _bank("970412", "PVCB", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    _bank("970400", "SGICB", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    _bank("970429", "SCB", "SCB", "Ngân hàng TMCP Sài Gòn"),
    _bank("970427", "VAB", "VietABank", "Ngân hàng TMCP Việt Á"),
    _bank("970433", "VIETBANK", "Vietbank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    # Banks restructured under the State Bank, each now a single-member limited company
    _bank("970414", "MBV", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại"),
    _bank("970406", "VIKKI", "Vikki Bank", "Ngân hàng TNHH MTV Số Vikki"),
    _bank("970444", "CBB", "CBBank", "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam"),
    _bank("970408", "GPB", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu khí Toàn cầu"),
    # Cooperative, joint-venture and foreign-owned banks, foreign banks' branches
    _bank("970446", "COOPBANK", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
    _bank("970421", "VRB", "VRB", "Ngân hàng Liên doanh Việt - Nga"),
    _bank("970434", "IVB", "Indovina Bank", "Ngân hàng TNHH Indovina"),
    _bank("970424", "SHBVN", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    _bank("970457", "WVN", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
    _bank("970458", "UOB", "UOB", "Ngân hàng TNHH MTV United Overseas Bank (Việt Nam)"),
    _bank("970410", "SCVN", "Standard Chartered", "Ngân hàng TNHH MTV Standard Chartered Bank (Việt Nam)"),
    _bank("970439", "PBVN", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    _bank("970442", "HLBVN", "Hong Leong Bank", "Ngân hàng TNHH MTV Hong Leong Việt Nam"),
    _bank("458761", "HSBC", "HSBC", "Ngân hàng TNHH MTV HSBC (Việt Nam)"),
    _bank("422589", "CIMB", "CIMB", "Ngân hàng TNHH MTV CIMB Việt Nam"),
    _bank("970455", "IBKHN", "IBK Hà Nội", "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh Hà Nội"),
    _bank("970456", "IBKHCM", "IBK TP.HCM", "Ngân hàng Công nghiệp Hàn Quốc - Chi nhánh TP. Hồ Chí Minh"),
    _bank("970462", "KBHN", "Kookmin Hà Nội", "Ngân hàng Kookmin - Chi nhánh Hà Nội"),
    _bank("970463", "KBHCM", "Kookmin TP.HCM", "Ngân hàng Kookmin - Chi nhánh TP. Hồ Chí Minh"),
    _bank("801011", "NHBHN", "Nonghyup Bank", "Ngân hàng Nonghyup - Chi nhánh Hà Nội"),
    _bank("796500", "DBS", "DBS Bank", "Ngân hàng DBS - Chi nhánh TP. Hồ Chí Minh"),
    _bank("668888", "KBANK", "KBank", "Ngân hàng Đại chúng TNHH Kasikornbank - Chi nhánh TP. Hồ Chí Minh"),
    # Digital banks that receive under a BIN of their own
    _bank("546034", "CAKE", "CAKE", "Ngân hàng số CAKE by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    _bank("546035", "UBANK", "Ubank", "Ngân hàng số Ubank by VPBank - Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    _bank("963388", "TIMO", "Timo", "Ngân hàng số Timo by BVBank - Ngân hàng TMCP Bản Việt"),
    _bank("963369", "LIOBANK", "Liobank", "Ngân hàng số Liobank - Ngân hàng TMCP Phương Đông"),
    # E-wallets with a NAPAS BIN
    _ewallet("971005", "VTLMONEY", "Viettel Money", "Ví điện tử Viettel Money - Tổng Công ty Dịch vụ số Viettel"),
    _ewallet("971011", "VNPTMONEY", "VNPT Money", "Ví điện tử VNPT Money - Trung tâm Dịch vụ Tài chính số VNPT"),
)

_BY_BIN: dict[str, Bank] = {bank.bin: bank for bank in _CATALOGUE}
_BY_CODE: dict[str, Bank] = {bank.code: bank for bank in _CATALOGUE}
_SORTED: tuple[Bank, ...] = tuple(sorted(_CATALOGUE, key=lambda bank: bank.short_name.casefold()))


def all_banks() -> tuple[Bank, ...]:
    """Every bank and e-wallet, by short name: the order of a picker, which favours no one."""
    return _SORTED


def bank_by_bin(bin_: str) -> Bank | None:
    return _BY_BIN.get(bin_)


def bank_by_code(code: str) -> Bank | None:
    return _BY_CODE.get(code.strip().upper())


def account_number_valid(bank: Bank, number: str) -> bool:
    """Digits 0-9 only (no other script's digits, no spaces: the caller normalises what people type)."""
    return number.isascii() and number.isdigit() and bank.account_min_digits <= len(number) <= bank.account_max_digits
