"""A realistic synthetic population over HCMC's real wards, with known injected duplicates.

Households have 1-6 members with valid CCCD numbers (some also an old 9-digit CMND), one phone, and an
address in a real ward; some families share a boarding house, a landlord's or a neighbour's phone, which
are not duplicates. Each household registers once; a share registers again the ways real people
did in 2021: the same person with the old CMND and the name typed without diacritics, another member
from the household's phone, the same ID from a new phone, the name in another order with the address
abbreviated. Every registration carries the household it truly belongs to, so matching can be scored.

    python -m tools.synthetic_population --households 1000 --out population.jsonl
"""

import argparse
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from common.addresses import strip_diacritics
from domain.identity import province_codes
from services.geography import hcmc_units

FAMILY = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + [
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Trương",
        "Đinh",
    ]
)
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Anh", "Gia", "Hoàng"]
MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Kim", "Thu", "Minh", "Bảo", "Mỹ", "Hồng", "Phương"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khang",
    "Khánh",
    "Kiên",
    "Long",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phát",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thành",
    "Thắng",
    "Toàn",
    "Trí",
    "Trung",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Chi",
    "Diễm",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hằng",
    "Hiền",
    "Hoa",
    "Hương",
    "Lan",
    "Liên",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Nhung",
    "Oanh",
    "Phượng",
    "Quyên",
    "Tâm",
    "Thảo",
    "Thư",
    "Trang",
    "Vy",
    "Yến",
]
STREETS = [
    "Nguyễn Trãi",
    "Lê Lợi",
    "Hai Bà Trưng",
    "Trần Hưng Đạo",
    "Nguyễn Thị Minh Khai",
    "Cách Mạng Tháng Tám",
    "Lý Thường Kiệt",
    "Phan Đình Phùng",
    "Võ Văn Tần",
    "Điện Biên Phủ",
    "Nguyễn Văn Cừ",
    "Lê Văn Sỹ",
    "Huỳnh Tấn Phát",
    "Âu Cơ",
    "Lạc Long Quân",
    "Tôn Đức Thắng",
    "Bạch Đằng",
    "Phạm Văn Đồng",
    "Quang Trung",
    "Nguyễn Oanh",
    "Kinh Dương Vương",
    "Hậu Giang",
    "Tỉnh Lộ 10",
    "Lê Trọng Tấn",
]
CARRIERS = ["90", "91", "93", "94", "96", "97", "98", "70", "76", "77", "78", "79", "81", "83", "84", "85", "86"]
BOARDING_HOUSE_SHARE = 0.03
LANDLORD_PHONE_SHARE = 0.005
BORROWED_PHONE_SHARE = 0.01
DUPLICATE_KINDS = (
    "old_cmnd_no_diacritics",
    "other_member_same_phone",
    "same_id_new_phone",
    "reordered_abbreviated",
    "old_cmnd_new_phone_typed_address",
    "other_member_own_phone",
)


@dataclass(frozen=True)
class Registration:
    household: int  # the truth: which generated household this is
    duplicate_kind: str | None  # None for a household's first registration
    ward_code: str
    full_name: str
    national_id: str
    phone: str
    address: str
    household_size: int


@dataclass
class _Member:
    name: str
    cccd: str
    cmnd: str | None


class PopulationGenerator:
    def __init__(self, seed: int = 2021) -> None:
        self.rng = random.Random(seed)
        units = hcmc_units()
        self.wards = [(str(u["code"]), str(u["name"])) for u in units if u["level"] == "ward"]
        self.ward_district = {str(u["code"]): str(u["parent_code"]) for u in units if u["level"] == "ward"}
        self.district_names = {str(u["code"]): str(u["name"]) for u in units if u["level"] == "district"}
        self.provinces = sorted(province_codes())
        self.used_ids: set[str] = set()
        self.used_phones: set[str] = set()

    def registrations(self, households: int, duplicate_share: float) -> Iterator[Registration]:
        """First registrations of every household, then the duplicates, shuffled together in time."""
        out: list[Registration] = []
        homes: list[tuple[str, str, str, str]] = []  # ward code, ward name, address, phone
        for number in range(households):
            ward_code, ward_name = self.rng.choice(self.wards)
            members = [self._member() for _ in range(self.rng.choices([1, 2, 3, 4, 5, 6], [2, 3, 4, 4, 2, 1])[0])]
            phone = self._phone()
            address = f"{self.rng.randrange(1, 600)} {self.rng.choice(STREETS)}"
            # Hazards that are not duplicates: another family in the same boarding house, some using
            # the landlord's phone; a family borrowing a neighbour's phone.
            hazard = self.rng.random()
            if homes and hazard < BOARDING_HOUSE_SHARE:
                ward_code, ward_name, address, landlord_phone = self.rng.choice(homes)
                if hazard < LANDLORD_PHONE_SHARE:
                    phone = landlord_phone
            elif homes and hazard < BOARDING_HOUSE_SHARE + BORROWED_PHONE_SHARE:
                phone = self.rng.choice(homes)[3]
            homes.append((ward_code, ward_name, address, phone))
            first = Registration(
                number,
                None,
                ward_code,
                members[0].name,
                members[0].cccd,
                phone,
                f"{address}, {ward_name}",
                len(members),
            )
            out.append(first)
            if self.rng.random() < duplicate_share:
                out.append(self._duplicate(first, members, address, ward_name))
        # Duplicates come after their household's first registration, as in real life.
        firsts = [r for r in out if r.duplicate_kind is None]
        duplicates = [r for r in out if r.duplicate_kind is not None]
        self.rng.shuffle(firsts)
        self.rng.shuffle(duplicates)
        yield from firsts
        yield from duplicates

    def _duplicate(self, first: Registration, members: list[_Member], address: str, ward_name: str) -> Registration:
        kinds = [k for k in DUPLICATE_KINDS if not k.startswith("other_member") or len(members) > 1]
        kind = self.rng.choice(kinds)
        me = members[0]
        match kind:
            case "old_cmnd_no_diacritics" if me.cmnd:
                return Registration(
                    first.household,
                    kind,
                    first.ward_code,
                    strip_diacritics(me.name),
                    me.cmnd,
                    _local_format(first.phone),
                    _abbreviate(f"{address}, {ward_name}"),
                    first.household_size,
                )
            case "old_cmnd_new_phone_typed_address" if me.cmnd:
                # Only the name and the house tie it to the first: the address as people type it, on a new phone.
                return Registration(
                    first.household,
                    kind,
                    first.ward_code,
                    strip_diacritics(me.name),
                    me.cmnd,
                    self._phone(),
                    self._as_typed(address, ward_name, first.ward_code),
                    first.household_size,
                )
            case "other_member_same_phone":
                other = members[1]
                return Registration(
                    first.household,
                    kind,
                    first.ward_code,
                    other.name,
                    other.cccd,
                    first.phone,
                    f"{address}, {ward_name}",
                    first.household_size,
                )
            case "other_member_own_phone":
                # Another member of the family, with their own ID and their own phone: only the house ties them.
                other = members[1]
                return Registration(
                    first.household,
                    kind,
                    first.ward_code,
                    other.name,
                    other.cccd,
                    self._phone(),
                    f"{address}, {ward_name}",
                    first.household_size,
                )
            case "reordered_abbreviated":
                tokens = me.name.split()
                reordered = " ".join([tokens[-1], *tokens[:-1]])
                return Registration(
                    first.household,
                    kind,
                    first.ward_code,
                    reordered,
                    me.cccd,
                    _local_format(first.phone),
                    _abbreviate(f"{address}, {ward_name}"),
                    first.household_size,
                )
            case _:
                return Registration(
                    first.household,
                    "same_id_new_phone",
                    first.ward_code,
                    me.name,
                    me.cccd,
                    self._phone(),
                    f"{address}, {ward_name}",
                    first.household_size,
                )

    def _as_typed(self, address: str, ward_name: str, ward_code: str) -> str:
        """The address as people really type it: «Số», «Đ.», the ward as P./F./Ph., the district as Q1 or Q.1."""
        number, street = address.split(" ", 1)
        house = f"{self.rng.choice(['', 'Số ', 'số '])}{number} {self.rng.choice(['', 'Đ. ', 'Đường ', 'đ.'])}{street}"
        ward = ward_name.replace("Phường ", self.rng.choice(["P. ", "P.", "F.", "Ph. ", "phường "]))
        district = self.district_names[self.ward_district[ward_code]]
        district = re.sub(r"^Quận (\d+)$", lambda m: self.rng.choice(["Q", "Q.", "Q. ", "Quận "]) + m[1], district)
        return self.rng.choice([f"{house}, {ward}, {district}", f"{house} {ward} {district}", f"{house}, {ward}"])

    def _member(self) -> _Member:
        female = self.rng.random() < 0.5
        name = " ".join(
            [
                self.rng.choice(FAMILY),
                self.rng.choice(MIDDLE_F if female else MIDDLE_M),
                self.rng.choice(GIVEN_F if female else GIVEN_M),
            ]
        )
        year = self.rng.randrange(1940, 2006)
        province = "079" if self.rng.random() < 0.7 else self.rng.choice(self.provinces)
        century = (year // 100 - 19) * 2 + (1 if female else 0)
        cccd = self._unique(lambda: f"{province}{century}{year % 100:02d}{self.rng.randrange(10**6):06d}")
        cmnd = self._unique(lambda: f"02{self.rng.randrange(10**7):07d}") if year < 1995 else None
        return _Member(name, cccd, cmnd)

    def _phone(self) -> str:
        def draw() -> str:
            return f"+84{self.rng.choice(CARRIERS)}{self.rng.randrange(10**7):07d}"

        phone = draw()
        while phone in self.used_phones:
            phone = draw()
        self.used_phones.add(phone)
        return phone

    def _unique(self, draw: Callable[[], str]) -> str:
        value = draw()
        while value in self.used_ids:
            value = draw()
        self.used_ids.add(value)
        return value


def _local_format(e164: str) -> str:
    local = "0" + e164.removeprefix("+84")
    return f"{local[:4]} {local[4:7]} {local[7:]}"


def _abbreviate(address: str) -> str:
    return address.replace("Phường ", "P. ").replace("Xã ", "X. ").replace("Thị trấn ", "TT. ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=1000)
    parser.add_argument("--duplicate-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generator = PopulationGenerator(args.seed)
    with args.out.open("w", encoding="utf-8") as out:
        for registration in generator.registrations(args.households, args.duplicate_share):
            out.write(json.dumps(asdict(registration), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
