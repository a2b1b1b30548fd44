"""A synthetic population over HCMC's real wards: one applicant per household, with a valid 12-digit CCCD,
a Vietnamese mobile number and an address unique in its ward, so each is one household to the matcher."""

import random
from dataclasses import dataclass

from services.geography import hcmc_units

# Mobile prefixes of Viettel, Vinaphone, Mobifone and Vietnamobile (all 10 digits with the leading 0).
_MOBILE_PREFIXES = (
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "35",
    "37",
    "39",
    "70",
    "77",
    "81",
    "83",
    "86",
)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Kim")
_GIVEN = ("An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Lan", "Long", "Mai", "Nam", "Phúc", "Tâm", "Vy")
_STREETS = ("Nguyễn Trãi", "Lê Lợi", "Hai Bà Trưng", "Cách Mạng Tháng Tám", "Điện Biên Phủ", "Lý Thường Kiệt")


@dataclass(frozen=True)
class Ward:
    code: str
    name: str
    district_code: str


@dataclass(frozen=True)
class Household:
    index: int
    ward: Ward
    full_name: str
    national_id: str
    phone: str
    address: str
    size: int

    def registration(self) -> dict[str, object]:
        return {
            "kind": "food_bag",
            "full_name": self.full_name,
            "national_id": self.national_id,
            "phone": self.phone,
            "address": self.address,
            "ward_code": self.ward.code,
            "household_size": self.size,
        }


def hcmc_wards() -> list[Ward]:
    return [Ward(str(u["code"]), str(u["name"]), str(u["parent_code"])) for u in hcmc_units() if u["level"] == "ward"]


def cccd(rng: random.Random, serial: int) -> str:
    """079 (born in HCMC), a century-and-sex digit (0-3: 1900s/2000s), the birth year, a 6-digit serial."""
    century_sex = rng.choice("0123")
    year = rng.randrange(0, 100) if century_sex in "01" else rng.randrange(0, 6)
    return f"079{century_sex}{year:02d}{serial % 1_000_000:06d}"


def population(size: int, seed: int = 3092021, wards: list[Ward] | None = None) -> list[Household]:
    """`size` distinct households spread over the wards (round robin, so every ward gets its share)."""
    rng = random.Random(seed)
    wards = wards or hcmc_wards()
    if size > 1_000_000:
        raise ValueError("the CCCD serial space here holds a million households")
    people = []
    for i in range(size):
        ward = wards[i % len(wards)]
        prefix = _MOBILE_PREFIXES[i % len(_MOBILE_PREFIXES)]
        phone = f"+84{prefix}{(i // len(_MOBILE_PREFIXES)) * 7919 % 10_000_000:07d}"
        people.append(
            Household(
                index=i,
                ward=ward,
                full_name=f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}",
                national_id=cccd(rng, i),
                phone=phone,
                # The household's index is in the address: unique in its ward, so no two households merge.
                address=f"{i}/{rng.randrange(1, 99)} {rng.choice(_STREETS)}, {ward.name}",
                size=rng.randrange(1, 8),
            )
        )
    return people
