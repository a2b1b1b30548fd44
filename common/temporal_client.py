"""Connecting to Temporal the same way from the API, the worker and the tools: address, namespace, TLS,
and one data converter (pydantic JSON, encrypted by the payload codec, failure messages encoded too)."""

import dataclasses
import functools

from temporalio.client import Client, TLSConfig
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, DefaultFailureConverterWithEncodedAttributes
from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

from common.crypto import KeyRing
from common.payload_codec import EncryptionCodec
from common.settings import Settings


def data_converter(settings: Settings) -> DataConverter:
    """The converter of every client, worker, test environment and replayer: they must all agree."""
    return dataclasses.replace(
        pydantic_data_converter,
        payload_codec=EncryptionCodec(KeyRing.from_settings(settings)),
        # Failure messages and stack traces may quote what a person typed: encode them like payloads.
        failure_converter_class=DefaultFailureConverterWithEncodedAttributes,
    )


@functools.cache
def metrics_runtime(address: str) -> Runtime:
    """The SDK runtime that serves its metrics at `address`: one per process, as the address binds once."""
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=address, durations_as_seconds=True)))


def tls_config(settings: Settings) -> TLSConfig | bool:
    """TLS to the frontend when a client certificate or a private CA is configured; plain gRPC otherwise."""
    cert, key, ca = settings.temporal_tls_cert, settings.temporal_tls_key, settings.temporal_tls_ca
    client_cert = client_key = None
    if cert and key:
        client_cert, client_key = cert.read_bytes(), key.read_bytes()
    elif not ca:
        return False
    return TLSConfig(
        server_root_ca_cert=ca.read_bytes() if ca else None,
        domain=settings.temporal_tls_server_name,
        client_cert=client_cert,
        client_private_key=client_key,
    )


async def connect(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        tls=tls_config(settings),
        data_converter=data_converter(settings),
        runtime=metrics_runtime(settings.temporal_metrics_address) if settings.temporal_metrics_address else None,
    )
