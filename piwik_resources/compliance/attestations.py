"""What no API answers and the user states: the attestations, and when a statement itself breaks the exemption."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field
from pydantic.dataclasses import dataclass

from .requirements import MAX_RETENTION_MONTHS, Requirement

# The stack config and the components validate what the user states against these models: unknown keys refused.
STRICT = ConfigDict(extra="forbid")


def _real_date(text: str) -> str:
    date.fromisoformat(text)  # a ValueError names the impossible date (2026-02-30)
    return text


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty (a name or role, e.g. the DPO)")
    return text


#: A calendar date as YYYY-MM-DD.
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
#: A name or role.
Who = Annotated[str, AfterValidator(_not_blank)]


@dataclass(frozen=True, config=STRICT)
class Attestations:
    """What no API can set or read: the user states it; the compliance report shows it as attested.

    ``None`` means "not yet attested" (a pending manual step); ``False`` is a refusal where the requirement says
    ``refuse_false``, because it says the exemption is broken.
    """

    dpa_signed: bool | None = None
    integrations_off: bool | None = None
    no_export_credentials: bool | None = None
    session_log_hidden: bool | None = None
    retention_months: int | None = None
    hosting_region: str | None = None
    privacy_policy_published: bool | None = None
    opt_out_form_published: bool | None = None
    referrer_host_only: bool | None = None
    reports_aggregated: bool | None = None
    no_vendor_reuse: bool | None = None
    audience_only_purpose: bool | None = None
    #: Who made these statements (a name or role, e.g. the DPO) and when (ISO date, YYYY-MM-DD): the evidence
    #: dossier prints both beside every attestation.
    attested_by: Who | None = None
    attested_on: IsoDate | None = None


def attestation_problem(requirement: Requirement, value: Any) -> str | None:
    """Why an attested value breaks ``requirement`` (shared by the component's refusals and the report)."""
    if value is False and requirement.refuse_false:
        return f"false, but the exemption needs: {requirement.title}"
    if requirement.key == "retention" and value is not None and not 1 <= value <= MAX_RETENTION_MONTHS:
        return f"{value}; allowed: 1 to {MAX_RETENTION_MONTHS}"
    return None
