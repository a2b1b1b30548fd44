"""Configuration: a city sets its policy and secrets through the environment."""

from datetime import timedelta

import pytest
from pydantic import ValidationError

from common.settings import Settings
from domain.policy import Policy


def test_a_city_changes_the_policy_through_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICY", '{"entitlement_window": "P10D", "max_delivery_attempts": 2}')
    policy = Settings().policy
    assert policy.entitlement_window == timedelta(days=10)
    assert policy.max_delivery_attempts == 2
    assert policy.verification_expiry_after == Policy().verification_expiry_after


def test_timers_out_of_order_are_refused() -> None:
    with pytest.raises(ValidationError, match="reminder < escalation < expiry"):
        Policy(verification_reminder_after=timedelta(days=3), verification_escalation_after=timedelta(days=2))


def test_a_negative_registration_wait_is_refused_not_taken_for_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTRATION_MAX_WAIT", "-PT1S")
    with pytest.raises(ValidationError, match="registration_max_wait"):
        Settings()
    monkeypatch.setenv("REGISTRATION_MAX_WAIT", "PT0S")  # off, as documented
    assert Settings().registration_max_wait == timedelta(0)


def test_production_refuses_the_development_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ValidationError, match="must be set in production"):
        Settings()
    monkeypatch.setenv("IDENTITY_HMAC_KEY", "k" * 32)
    monkeypatch.setenv("TOKEN_SECRET", "t" * 32)
    with pytest.raises(ValidationError, match="PAYLOAD_KEYS must be set"):
        Settings()
    monkeypatch.setenv("PAYLOAD_KEYS", '{"k1": "' + "a" * 43 + '="}')
    monkeypatch.setenv("PAYLOAD_KEY_ID", "k1")
    with pytest.raises(ValidationError, match="ACTION_KEYS must be set"):
        Settings()
    monkeypatch.setenv("ACTION_KEYS", '{"a1": "' + "b" * 43 + '="}')
    monkeypatch.setenv("ACTION_KEY_ID", "a1")
    assert Settings().environment == "production"


def test_workers_keep_the_sandbox_unless_told_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    from temporalio.worker import UnsandboxedWorkflowRunner

    from worker import SANDBOXED_RUNNER, workflow_runner

    monkeypatch.delenv("WORKER_SANDBOX", raising=False)
    assert workflow_runner() is SANDBOXED_RUNNER
    monkeypatch.setenv("WORKER_SANDBOX", "off")
    assert isinstance(workflow_runner(), UnsandboxedWorkflowRunner)
    monkeypatch.setenv("WORKER_SANDBOX", "false")
    with pytest.raises(ValueError, match="'on' or 'off'"):
        workflow_runner()
