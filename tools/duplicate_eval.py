"""How well household matching catches duplicates, on a synthetic population with known truth.

Each registration is resolved as the admission step does it (services.household_matching). An exact
national-ID match would be refused by the entitlement rule; a probable duplicate goes to the ward. It
prints, per kind of injected duplicate, how many were refused or flagged, and the mistakes: a false
refusal (another household matched exactly) and a false flag (another household offered as probable).

    python -m tools.duplicate_eval --households 20000        # about 24,000 registrations
"""

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from db.base import transaction
from domain.identity import normalise_national_id, normalise_phone
from services.household_matching import SAME_ADDRESS, MatchKind, Person, SameAddress, lock_identity, resolve_household
from tools.scratch_database import scratch_database
from tools.synthetic_population import PopulationGenerator, Registration


@dataclass
class Evaluation:
    registrations: int = 0
    duplicates: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # caught by an exact ID match
    flagged: Counter[str] = field(default_factory=Counter)  # caught as a probable duplicate
    false_refusals: int = 0
    false_flags: int = 0
    seconds: float = 0.0

    @property
    def caught(self) -> int:
        return sum(self.refused.values()) + sum(self.flagged.values())

    @property
    def recall(self) -> float:
        return self.caught / max(1, sum(self.duplicates.values()))

    @property
    def precision(self) -> float:
        return self.caught / max(1, self.caught + self.false_refusals + self.false_flags)

    def report(self) -> str:
        lines = [
            f"registrations: {self.registrations}, injected duplicates: {sum(self.duplicates.values())}",
            f"caught: {self.caught} (refused exactly {sum(self.refused.values())}, "
            f"flagged for the ward {sum(self.flagged.values())})",
            f"recall: {self.recall:.4f}   precision: {self.precision:.4f}",
            f"false refusals (another household refused): {self.false_refusals}",
            f"false flags (another household offered as probable): {self.false_flags}",
            f"matching time: {1000 * self.seconds / max(1, self.registrations):.2f} ms per registration",
        ]
        for kind, total in sorted(self.duplicates.items()):
            lines.append(f"  {kind:28} {self.refused[kind] + self.flagged[kind]:6} of {total:6} caught")
        return "\n".join(lines)


async def evaluate(registrations: list[Registration], same_address: SameAddress = SAME_ADDRESS) -> Evaluation:
    result = Evaluation()
    truth_of: dict[UUID, int] = {}
    started = time.perf_counter()
    for r in registrations:
        # Normalised as the registration form does it.
        national_id, phone = normalise_national_id(r.national_id), normalise_phone(r.phone)
        person = Person(r.ward_code, r.full_name, national_id, phone, r.address, r.household_size)
        async with transaction() as session:
            await lock_identity(session, person)
            resolution = await resolve_household(session, person, same_address)
        result.registrations += 1
        kind = r.duplicate_kind
        if kind is not None:
            result.duplicates[kind] += 1
        if resolution.kind == MatchKind.NATIONAL_ID:
            if truth_of.get(resolution.household_id) == r.household:
                result.refused[kind or "?"] += 1
            else:
                result.false_refusals += 1
        else:
            truth_of[resolution.household_id] = r.household
        candidate = resolution.probable_duplicate_of
        if resolution.kind == MatchKind.NEW and candidate is not None:
            if truth_of.get(candidate) == r.household and kind is not None:
                result.flagged[kind] += 1
            else:
                result.false_flags += 1
    result.seconds = time.perf_counter() - started
    return result


async def run(households: int, duplicate_share: float, seed: int, same_address: SameAddress) -> Evaluation:
    registrations = list(PopulationGenerator(seed).registrations(households, duplicate_share))
    async with scratch_database():
        return await evaluate(registrations, same_address)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--duplicate-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--same-address",
        type=SameAddress,
        choices=list(SameAddress),
        default=SAME_ADDRESS,
        help="what makes a household at the same address a probable duplicate (the system's choice by default)",
    )
    args = parser.parse_args()
    print(asyncio.run(run(args.households, args.duplicate_share, args.seed, args.same_address)).report())


if __name__ == "__main__":
    main()
