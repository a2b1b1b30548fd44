"""Cash support end to end through the real HTTP API, worker and Temporal: a household asks, its ward verifies,
the need is published, a helper signs in with a phone code, pledges it all, pays by the VietQR code and says so,
the household confirms, and the request's workflow closes the need as supported."""

import httpx

from domain.roles import Role
from domain.vietqr import parse_payload
from tests.factories import WARD, make_staff
from tests.sms import last_code_sent_to
from tests.test_api_e2e import bearer, http, registration, sign_in, stack, wait_for_stage

__all__ = ["http", "stack"]  # the live stack's fixtures, shared with the API's story

ACCOUNT = "0071000123456"
HELPER_PHONE = "+84987650001"


async def test_a_household_is_supported_by_a_helper_through_the_api(http: httpx.AsyncClient) -> None:
    official = await sign_in(http, await make_staff(Role.WARD_OFFICIAL, WARD))
    asked = await http.post(
        "/requests",
        json=registration(
            kind="cash_support", amount_vnd="600.000", situation="lost_income", payout_method="bank_account",
            bank_bin="970436", account_number=ACCOUNT, holder_name="TRAN VAN BINH", consent_to_publish=True,
        ),
    )  # fmt: skip
    assert asked.status_code == 201, asked.text
    code, household = asked.json()["code"], bearer(asked.json()["citizen_token"])
    approved = await http.post(f"/requests/{code}/verification", json={"approve": True}, headers=official)
    assert approved.status_code == 200, approved.text
    await wait_for_stage(http, code, official, "awaiting_support")

    # The public sees the need, with nothing that names the household.
    need = (await http.get(f"/requests/{code}/cash-need", headers=household)).json()
    public = await http.get("/cash-needs", params={"district": "760"})
    card = next(c for c in public.json()["items"] if c["public_ref"] == need["public_ref"])
    assert card["amount_still_needed_vnd"] == 600_000
    for secret in (ACCOUNT, "Trần Văn Bình", "TRAN VAN BINH", "0912345678", "45 Lê Lợi", code):
        assert secret not in public.text

    # A helper signs in with a code sent to their phone and pledges the whole amount.
    assert (await http.post("/helper/otp", json={"phone": HELPER_PHONE})).status_code == 202
    signed = await http.post(
        "/helper/otp/verification",
        json={"phone": HELPER_PHONE, "code": await last_code_sent_to(HELPER_PHONE), "display_name": "Chị Lan"},
    )
    assert signed.status_code == 200, signed.text
    helper = bearer(signed.json()["access_token"])
    pledged = await http.post(f"/cash-needs/{need['public_ref']}/pledges", json={"amount_vnd": 600_000}, headers=helper)
    assert pledged.status_code == 201, pledged.text
    pledge = (await http.get(f"/helper/pledges/{pledged.json()['code']}", headers=helper)).json()
    qr = parse_payload(pledge["payment"]["qr_payload"])
    assert qr["54"] == "600000" and qr["62"] == {"08": f"ANSINH {pledge['code']}"}
    assert qr["38"] == {"00": "A000000727", "01": {"00": "970436", "01": ACCOUNT}, "02": "QRIBFTTA"}
    # Fully pledged: a second helper's pledge is refused with what remains.
    assert (await http.post("/helper/otp", json={"phone": "+84987650002"})).status_code == 202
    second = await http.post(
        "/helper/otp/verification",
        json={"phone": "+84987650002", "code": await last_code_sent_to("+84987650002"), "display_name": "Anh Tư"},
    )
    late = await http.post(
        f"/cash-needs/{need['public_ref']}/pledges",
        json={"amount_vnd": 50_000},
        headers=bearer(second.json()["access_token"]),
    )
    assert late.status_code in (404, 422), late.text

    paid = await http.post(f"/helper/pledges/{pledge['code']}/transfer", headers=helper)
    assert paid.status_code == 200, paid.text
    arrived = await http.post(
        f"/citizen/pledges/{pledge['code']}/confirmation", json={"arrived": True}, headers=household
    )
    assert arrived.status_code == 200, arrived.text
    view = await wait_for_stage(http, code, official, "supported")
    assert view["stage"] == "supported"
    closed = (await http.get(f"/requests/{code}/cash-need", headers=household)).json()
    assert closed["amount_confirmed_vnd"] == 600_000 and closed["state"] == "closed"

    # Within the window the household is told it was supported already.
    again = await http.post(
        "/requests",
        json=registration(
            kind="cash_support", amount_vnd=300_000, situation="lost_income", payout_method="bank_account",
            bank_bin="970436", account_number=ACCOUNT, holder_name="TRAN VAN BINH", consent_to_publish=True,
        ),
    )  # fmt: skip
    assert again.status_code == 201 and again.json()["refusal"] == "already_received", again.text
