"""The production topology's configuration, checked without Docker: it parses and hangs together."""

from pathlib import Path
from typing import Any

import pytest
import yaml

from devstack.temporal_server import CLI_TYPE_NAMES
from domain.names import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return dict(compose["services"])


def dependencies(service: dict[str, Any]) -> list[str]:
    depends_on = service.get("depends_on", [])
    return list(depends_on if isinstance(depends_on, list) else depends_on.keys())


def test_every_dependency_is_a_service(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for dependency in dependencies(service):
            assert dependency in services, f"{name} depends on unknown service {dependency}"


def test_api_worker_and_migration_share_one_image_and_configuration(services: dict[str, dict[str, Any]]) -> None:
    api, worker, migrate = services["api"], services["worker"], services["migrate"]
    assert api["image"] == worker["image"] == migrate["image"]
    assert api["environment"] == worker["environment"] == migrate["environment"]
    env = api["environment"]
    assert env["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert env["TEMPORAL_ADDRESS"] == "temporal:7233"
    assert env["ENVIRONMENT"] == "production"
    for secret in ("IDENTITY_HMAC_KEY", "TOKEN_SECRET"):
        assert env[secret].startswith("${"), f"{secret} must come from the environment"
    assert "alembic upgrade head" in " ".join(migrate["command"])


def test_api_and_workers_scale_and_wait_for_migrations_and_temporal(services: dict[str, dict[str, Any]]) -> None:
    for name in ("api", "worker"):
        assert "replicas" in services[name]["deploy"]
        assert {"migrate", "temporal-setup"} <= set(dependencies(services[name]))
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_temporal_runs_on_its_own_postgresql(services: dict[str, dict[str, Any]]) -> None:
    temporal = services["temporal"]
    assert temporal["environment"]["DB"] == "postgres12"
    assert temporal["environment"]["POSTGRES_SEEDS"] == "temporal-postgresql"
    assert "temporal-postgresql" in services
    assert services["temporal-ui"]["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"


def test_registered_search_attributes_match_the_code(services: dict[str, dict[str, Any]]) -> None:
    setup = services["temporal-setup"]
    assert setup["image"].startswith("temporalio/admin-tools:")
    registered = set(setup["environment"]["SEARCH_ATTRIBUTES"].split())
    assert registered == {f"{key.name}={CLI_TYPE_NAMES[key.indexed_value_type]}" for key in SEARCH_ATTRIBUTES}


def test_dockerfile_installs_the_project_on_python_311() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert "pip install ." in dockerfile
