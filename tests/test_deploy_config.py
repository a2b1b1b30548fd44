"""The production topology's configuration, checked without Docker: it parses and hangs together."""

import re
import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from temporalio.client import TLSConfig

from common.settings import Settings
from common.temporal_client import tls_config
from devstack.temporal_server import CLI_TYPE_NAMES
from domain.names import SEARCH_ATTRIBUTES

ROOT = Path(__file__).resolve().parent.parent
FRONTEND_PORT = 7233
UI_PORT = 8080  # inside the temporal-ui container
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


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


def with_defaults(text: str) -> str:
    """A compose value with each `${VAR:-default}` replaced by its default, as when VAR is unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", text)


def port_range(text: str) -> range:
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1) if low else range(0)


def published(service: dict[str, Any]) -> list[tuple[str, range, range]]:
    """(host address, host ports, container ports) of each mapping the service publishes on the host."""
    found = []
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            host_ip, host_port = str(entry.get("host_ip", "0.0.0.0")), str(entry.get("published", ""))
            found.append((host_ip, port_range(host_port), port_range(str(entry["target"]))))
            continue
        *host, container = with_defaults(str(entry)).rsplit(":", 2)
        address, host_port = host if len(host) == 2 else ("0.0.0.0", *host) if host else ("0.0.0.0", "")
        found.append((address.strip("[]"), port_range(host_port), port_range(container.split("/")[0])))
    return found


def test_temporal_s_frontend_is_never_published_and_its_ui_only_on_loopback(
    services: dict[str, dict[str, Any]],
) -> None:
    assert "ports" not in services["temporal"], "the Temporal server must publish no port at all"
    for name, service in services.items():
        for address, host_ports, container_ports in published(service):
            assert FRONTEND_PORT not in (*host_ports, *container_ports), f"{name} publishes Temporal's gRPC"
            if name == "temporal-ui" or UI_PORT in container_ports:
                assert address in LOOPBACK, f"{name} publishes the Temporal UI on {address}"


def test_the_frontend_requires_a_client_certificate_from_our_ca(services: dict[str, dict[str, Any]]) -> None:
    temporal = services["temporal"]
    env = temporal["environment"]
    assert env["TEMPORAL_TLS_REQUIRE_CLIENT_AUTH"] == "true"
    mount = "./tls/server:/etc/temporal/tls:ro"
    assert mount in temporal["volumes"]
    for name in ("FRONTEND_CERT", "FRONTEND_KEY", "CLIENT1_CA_CERT", "SERVER_CERT", "SERVER_KEY", "SERVER_CA_CERT"):
        assert env[f"TEMPORAL_TLS_{name}"].startswith("/etc/temporal/tls/"), f"TEMPORAL_TLS_{name} not mounted"
    # The server's own system worker connects to its frontend: it must expect the certificate's name.
    assert env["TEMPORAL_TLS_FRONTEND_SERVER_NAME"] == "temporal"


def test_every_temporal_client_presents_a_certificate_and_checks_the_server_s(
    services: dict[str, dict[str, Any]],
) -> None:
    clients = {name for name, service in services.items() if "TEMPORAL_ADDRESS" in service.get("environment", {})}
    assert {"api", "worker", "migrate", "temporal-setup", "temporal-ui"} <= clients
    for name in clients:
        env, volumes = services[name]["environment"], services[name]["volumes"]
        assert "./tls/client:/etc/ansinh/tls:ro" in volumes, f"{name} has no client certificate mounted"
        for variable, file in (("CERT", "client.crt"), ("KEY", "client.key"), ("CA", "ca.crt")):
            assert env[f"TEMPORAL_TLS_{variable}"] == f"/etc/ansinh/tls/{file}", f"{name}: TEMPORAL_TLS_{variable}"
        assert env["TEMPORAL_TLS_SERVER_NAME"] == "temporal"
    assert services["temporal-ui"]["environment"]["TEMPORAL_TLS_ENABLE_HOST_VERIFICATION"] == "true"
    setup_command = " ".join(services["temporal-setup"]["command"])
    for flag in ("--tls-cert-path", "--tls-key-path", "--tls-ca-path", "--tls-server-name"):
        assert flag in setup_command


def test_the_ui_signs_in_through_the_city_s_identity_provider_and_cannot_write(
    services: dict[str, dict[str, Any]],
) -> None:
    env = services["temporal-ui"]["environment"]
    assert env["TEMPORAL_AUTH_ENABLED"] == "true"
    assert env["TEMPORAL_AUTH_TYPE"] == "oidc"
    for name in ("PROVIDER_URL", "CLIENT_ID", "CLIENT_SECRET", "CALLBACK_URL"):
        # `${VAR:?message}`: docker compose refuses to start while VAR is unset or empty.
        assert re.fullmatch(r"\$\{\w+:\?[^}]+\}", env[f"TEMPORAL_AUTH_{name}"]), f"TEMPORAL_AUTH_{name}"
    assert "openid" in with_defaults(env["TEMPORAL_AUTH_SCOPES"]).split(",")
    assert env["TEMPORAL_DISABLE_WRITE_ACTIONS"] == "true"
    assert env["TEMPORAL_BATCH_ACTIONS_DISABLED"] == "true"
    # The codec server reads a bearer token as its own: the UI's OIDC token must not be sent to it.
    assert env["TEMPORAL_CODEC_PASS_ACCESS_TOKEN"] == "false"


def test_certificates_enter_neither_the_repository_nor_the_image() -> None:
    assert "tls/" in (ROOT / ".gitignore").read_text().splitlines()
    assert "tls" in (ROOT / ".dockerignore").read_text().splitlines()


def test_the_client_connects_with_its_certificate_and_a_private_ca(tmp_path: Path) -> None:
    files = {name: tmp_path / name for name in ("client.crt", "client.key", "ca.crt")}
    for name, path in files.items():
        path.write_bytes(f"PEM of {name}".encode())
    config = tls_config(
        Settings(
            temporal_tls_cert=files["client.crt"],
            temporal_tls_key=files["client.key"],
            temporal_tls_ca=files["ca.crt"],
            temporal_tls_server_name="temporal",
        )
    )
    assert config == TLSConfig(
        server_root_ca_cert=b"PEM of ca.crt",
        domain="temporal",
        client_cert=b"PEM of client.crt",
        client_private_key=b"PEM of client.key",
    )
    only_ca = tls_config(Settings(temporal_tls_ca=files["ca.crt"]))
    assert only_ca == TLSConfig(server_root_ca_cert=b"PEM of ca.crt")
    assert tls_config(Settings()) is False


def _handshake(server: ssl.SSLContext, client: ssl.SSLContext) -> None:
    """A TLS handshake between the two contexts in memory, no sockets: raises as either side would."""
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    server_side = server.wrap_bio(to_server, to_client, server_side=True)
    client_side = client.wrap_bio(to_client, to_server, server_hostname="temporal")
    done = {"client": False, "server": False}
    for _ in range(10):
        for side, name in ((client_side, "client"), (server_side, "server")):
            try:
                side.do_handshake()
                done[name] = True
            except ssl.SSLWantReadError:
                pass
        if all(done.values()):
            server_side.write(b"?")  # TLS 1.3 refuses a client's certificate after the client's handshake ends
            client_side.read(1)
            return
    raise AssertionError("handshake did not finish")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="scripts/make-dev-certs needs openssl")
def test_make_dev_certs_makes_the_files_compose_mounts_and_they_make_mutual_tls(
    tmp_path: Path, services: dict[str, dict[str, Any]]
) -> None:
    tls = tmp_path / "tls"
    subprocess.run([ROOT / "scripts" / "make-dev-certs", tls], check=True, capture_output=True)
    mounts = {"/etc/temporal/tls/": tls / "server", "/etc/ansinh/tls/": tls / "client"}
    for name in ("temporal", "api", "temporal-ui"):
        for value in services[name]["environment"].values():
            for inside, outside in mounts.items():
                if str(value).startswith(inside):
                    assert (outside / str(value).removeprefix(inside)).is_file(), f"{name} mounts no {value}"
    assert not list((tls / "server").glob("ca.key")) and not list((tls / "client").glob("ca.key"))

    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tls / "server" / "server.crt", tls / "server" / "server.key")
    server.load_verify_locations(tls / "server" / "ca.crt")
    server.verify_mode = ssl.CERT_REQUIRED
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(tls / "client" / "ca.crt")
    anonymous = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    anonymous.load_verify_locations(tls / "client" / "ca.crt")
    client.load_cert_chain(tls / "client" / "client.crt", tls / "client" / "client.key")
    _handshake(server, client)
    with pytest.raises(ssl.SSLError):
        _handshake(server, anonymous)
