"""Temporal holds only ciphertext of what people typed; the codec server opens it for supervisors only."""

import base64
import json

import httpx
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from api.codec_server import create_codec_app
from common.crypto import KeyRing
from common.payload_codec import ENCODING, EncryptionCodec
from common.settings import get_settings
from domain import names
from domain.identity import mask_national_id, mask_phone
from domain.policy import Policy
from domain.roles import Role
from domain.stages import RequestKind
from tests.factories import DISTRICT, WARD, applicant, make_staff
from usecases.relief import workflow_gateway as gateway
from usecases.trust.tokens import issue_staff_token

NATIONAL_ID, PHONE = "079287001234", "+84918123456"


async def test_the_raw_history_holds_no_national_id_or_phone(client: Client, task_queue: str) -> None:
    who = applicant(national_id=NATIONAL_ID, phone=PHONE)
    inp, _ = await gateway.register(
        client,
        task_queue=task_queue,
        kind=RequestKind.FOOD_BAG,
        ward_code=WARD,
        district_code=DISTRICT,
        applicant=who,
        policy=Policy(),
    )
    # The same server, read by a client without our codec: what the server, its database and the UI hold.
    raw_client = Client(client.service_client, namespace=client.namespace, data_converter=pydantic_data_converter)
    raw = await raw_client.get_workflow_handle(names.workflow_id(inp.code)).fetch_history()
    stored = b"".join(event.SerializeToString() for event in raw.events)
    local = "0" + PHONE.removeprefix("+84")
    for secret in (NATIONAL_ID, PHONE, local, who.full_name, who.address):
        assert secret.encode() not in stored, secret
    assert ENCODING in stored and b"encryption-key-id" in stored

    # Decoded with the key ring, the same history holds them: the check above is not vacuous.
    started = raw.events[0].workflow_execution_started_event_attributes.input
    decoded = await EncryptionCodec(KeyRing.from_settings(get_settings())).decode(list(started.payloads))
    assert NATIONAL_ID.encode() in decoded[0].data and PHONE.encode() in decoded[0].data

    # The codec server: supervisors and the city read it, others are refused.
    settings = get_settings()
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    city = await make_staff(Role.CITY_OFFICIAL, "79")
    courier = await make_staff(Role.COURIER, WARD)
    body = json_format.MessageToJson(Payloads(payloads=list(started.payloads)))
    app = create_codec_app(settings)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40001))
    async with httpx.AsyncClient(transport=transport, base_url="http://codec.test") as http:

        async def decode(who_token: str | None) -> httpx.Response:
            headers = {"Content-Type": "application/json", "X-Namespace": "default"}
            if who_token:
                headers["Authorization"] = f"Bearer {who_token}"
            return await http.post("/decode", content=body, headers=headers)

        for reader in (supervisor, city):
            answer = await decode(issue_staff_token(settings, reader.id, reader.role))
            assert answer.status_code == 200, answer.text
            shown = base64.b64decode(json.loads(answer.text)["payloads"][0]["data"])
            # What the app shows supervisors: the ID and phone masked (api/codec_masking.py), the rest readable.
            assert NATIONAL_ID.encode() not in shown and PHONE.encode() not in shown
            assert mask_national_id(NATIONAL_ID).encode() in shown and mask_phone(PHONE).encode() in shown
        assert (await decode(issue_staff_token(settings, courier.id, courier.role))).status_code == 403
        assert (await decode(None)).status_code == 401
        assert (await decode("not-a-token")).status_code == 401

        # The Temporal UI's origin may call it from the browser; another origin may not.
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
        ui = await http.options("/decode", headers={"Origin": settings.temporal_ui_url, **preflight})
        assert ui.headers.get("access-control-allow-origin") == settings.temporal_ui_url
        evil = await http.options("/decode", headers={"Origin": "https://evil.example", **preflight})
        assert "access-control-allow-origin" not in evil.headers


async def test_old_unencrypted_payloads_still_decode_and_keys_rotate() -> None:
    plain = await pydantic_data_converter.encode(["hello"])
    old_ring = KeyRing({"k1": b"1" * 32}, "k1")
    codec = EncryptionCodec(old_ring)
    assert await codec.decode(plain) == plain  # histories from before encryption replay unchanged
    encrypted_with_k1 = await codec.encode(plain)
    rotated = EncryptionCodec(KeyRing({"k1": b"1" * 32, "k2": b"2" * 32}, "k2"))
    assert await rotated.decode(encrypted_with_k1) == plain
    fresh = await rotated.encode(plain)
    assert fresh[0].metadata["encryption-key-id"] == b"k2"


async def test_the_raw_history_holds_no_account_number_or_holder_name(client: Client, task_queue: str) -> None:
    """A cash need's account and holder ride in the workflow's input and the admission step's: as ciphertext."""
    from tests.cash_helpers import ACCOUNT, cash_need, register_cash

    holder = "TRAN VAN BINH"
    inp, _ = await register_cash(client, task_queue, applicant(), cash_need(holder=holder))
    raw_client = Client(client.service_client, namespace=client.namespace, data_converter=pydantic_data_converter)
    raw = await raw_client.get_workflow_handle(names.workflow_id(inp.code)).fetch_history()
    stored = b"".join(event.SerializeToString() for event in raw.events)
    for secret in (ACCOUNT, holder):
        assert secret.encode() not in stored, secret
    started = raw.events[0].workflow_execution_started_event_attributes.input
    decoded = await EncryptionCodec(KeyRing.from_settings(get_settings())).decode(list(started.payloads))
    assert ACCOUNT.encode() in decoded[0].data and holder.encode() in decoded[0].data
