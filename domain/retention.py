"""What the retention purge takes and reports, between its schedule, workflow and activity."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PurgeReport(BaseModel):
    """How many closed requests, delivery photos, households, donors, helpers and ended emergencies lost their
    personal data."""

    model_config = ConfigDict(frozen=True)

    requests: int = 0
    photos: int = 0
    households: int = 0
    donors: int = 0  # absent from reports recorded before donations existed
    helpers: int = 0  # community helpers (cash pledges); absent from earlier reports
    emergencies: int = 0  # absent from reports recorded before emergencies were purged

    def __add__(self, other: "PurgeReport") -> "PurgeReport":
        return PurgeReport(
            requests=self.requests + other.requests,
            photos=self.photos + other.photos,
            households=self.households + other.households,
            donors=self.donors + other.donors,
            helpers=self.helpers + other.helpers,
            emergencies=self.emergencies + other.emergencies,
        )

    def full(self, batch_size: int) -> bool:
        """A batch that took as many as it could: more may be due."""
        return max(self.requests, self.donors, self.helpers, self.emergencies) >= batch_size


class PurgeBatchInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    now: datetime  # the run's start: what closed more than RETENTION_PERIOD before it is due
    batch_size: int = Field(gt=0)


class RetentionRun(BaseModel):
    """A run of the purge; `now` and `purged` carry over when a long run continues as new."""

    model_config = ConfigDict(frozen=True)

    now: datetime | None = None  # None: the run starts now
    batch_size: int = Field(500, gt=0)
    # A first run over years of requests continues as new after this many batches, keeping its history short.
    batches_per_run: int = Field(200, gt=0)
    purged: PurgeReport = PurgeReport()
