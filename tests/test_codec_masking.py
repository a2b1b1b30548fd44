"""The Temporal UI shows a decoded payload as the app shows it to supervisors: ID, phone and account numbers
masked, actors named."""

import base64
import json

import httpx
from google.protobuf import json_format
from temporalio.api.common.v1 import Payloads
from temporalio.contrib.pydantic import pydantic_data_converter

from api.codec_server import create_codec_app
from common.crypto import KeyRing
from common.payload_codec import EncryptionCodec
from common.settings import get_settings
from domain.messages import Actor, DeliveryProof
from domain.roles import Role
from tests.factories import WARD, make_staff
from usecases.trust.tokens import issue_staff_token


async def test_decoded_proof_masks_the_recipient_and_names_the_courier(db: None) -> None:
    settings = get_settings()
    courier = await make_staff(Role.COURIER, WARD, full_name="Lê Văn Giao")
    supervisor = await make_staff(Role.SUPERVISOR, "79")
    proof = DeliveryProof(
        actor=Actor(user_id=courier.id, role=Role.COURIER, ward_code=WARD),
        photo_path="ab/cd.jpg",
        photo_sha256="0" * 64,
        recipient_national_id="079287005678",
        recipient_phone="+84918765432",
    )
    payout = {"payout": {"bank_bin": "970436", "account_number": "0123456789"}}
    plain = pydantic_data_converter.payload_converter.to_payloads([proof, payout])
    encrypted = await EncryptionCodec(KeyRing.from_settings(settings)).encode(plain)
    body = json_format.MessageToJson(Payloads(payloads=encrypted))
    transport = httpx.ASGITransport(app=create_codec_app(settings), client=("127.0.0.1", 40002))
    async with httpx.AsyncClient(transport=transport, base_url="http://codec.test") as http:
        answer = await http.post(
            "/decode",
            content=body,
            headers={
                "Authorization": f"Bearer {issue_staff_token(settings, supervisor.id, supervisor.role)}",
                "Content-Type": "application/json",
            },
        )
    assert answer.status_code == 200, answer.text
    shown, shown_payout = (json.loads(base64.b64decode(p["data"])) for p in json.loads(answer.text)["payloads"])
    assert shown["recipient_national_id"] == "********5678"
    assert shown["recipient_phone"] == "0918***432"
    assert shown["actor"]["user_name"] == "Lê Văn Giao"
    assert shown["photo_path"] == "ab/cd.jpg"  # what is not personal stays as it is
    assert shown_payout == {"payout": {"bank_bin": "970436", "account_number": "******6789"}}
