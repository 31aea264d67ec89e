"""What no API answers and the user states: the attestations, and when a statement itself breaks the exemption."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field
from pydantic.dataclasses import dataclass

from .requirements import MAX_COOKIE_LIFETIME_SECONDS, MAX_RETENTION_MONTHS, Requirement

# The stack config and the components validate what the user states against these models: unknown keys refused.
STRICT = ConfigDict(extra="forbid")


def _real_date(text: str) -> str:
    date.fromisoformat(text)  # a ValueError names the impossible date (2026-02-30)
    return text


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty (a name or role, e.g. the DPO)")
    return text


#: The hosting regions #20 accepts: the EU, the EEA, and the ISO 3166 codes of their member states (EL is the EU's
#: own code for Greece).
EU_EEA_REGIONS: frozenset[str] = frozenset(
    (
        *("EU", "EEA"),
        *("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV"),
        *("LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"),
        *("IS", "LI", "NO"),
    )
)
#: A review of the durations older than the trackers' longest lifetime (13 months) is not periodic (#32).
REVIEW_MAX_AGE = timedelta(seconds=MAX_COOKIE_LIFETIME_SECONDS)

#: A calendar date as YYYY-MM-DD.
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]
#: A name or role.
Who = Annotated[str, AfterValidator(_not_blank)]


def _filled(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


#: A statement's text (a contact, why a tag needs no consent).
Text = Annotated[str, AfterValidator(_filled)]


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
    cookie_lifetime_not_extended: bool | None = None
    durations_reviewed_on: IsoDate | None = None
    headers_minimised: bool | None = None
    #: The processor's data-protection contact the DPA names (e.g. an e-mail address).
    dpa_processor_contact: Text | None = None
    #: Tags allowed to fire without consent although their template is not on #22's allow-list: tag id -> why
    #: (what the tag does, and why it needs no consent). Anything else firing without consent breaks #22.
    tags_without_consent: dict[str, Text] = Field(default_factory=dict)
    #: Who made these statements (a name or role, e.g. the DPO) and when (ISO date, YYYY-MM-DD): the evidence
    #: dossier prints both beside every attestation.
    attested_by: Who | None = None
    attested_on: IsoDate | None = None


def attestation_problem(requirement: Requirement, value: Any, today: date | None = None) -> str | None:
    """Why an attested value breaks ``requirement`` (shared by the component's refusals and the report)."""
    if value is False and requirement.refuse_false:
        return f"false, but the exemption needs: {requirement.title}"
    if value is None or value == "":
        return None  # not attested yet
    if requirement.key == "retention" and not 1 <= value <= MAX_RETENTION_MONTHS:
        return f"{value}; allowed: 1 to {MAX_RETENTION_MONTHS}"
    if requirement.key == "hosting" and str(value).strip().upper() not in EU_EEA_REGIONS:
        return f"{value!r} is outside the EU/EEA; allowed: EU, EEA or a member state's code ({_regions()})"
    if requirement.key == "durations-reviewed":
        reviewed, now = date.fromisoformat(str(value)), today or date.today()
        if now - reviewed > REVIEW_MAX_AGE:
            return f"last reviewed on {value}, more than 13 months ago; review the durations again"
    return None


def _regions() -> str:
    return ", ".join(sorted(EU_EEA_REGIONS - {"EU", "EEA"}))
