"""The request-contract check itself (tests/fixtures/request_contract.py), on captures written here: an invalid
request fails it unless the emulator refused it for a test that has it on the expected list; a response that does
not match its schema fails it; captured requests are attributed to the test that ran when they arrived."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.emulator.contract import raw_specs
from tests.fixtures import request_contract
from tests.fixtures.request_contract import (
    WINDOWS_FILE,
    ExpectedRefusal,
    RunWindows,
    deep_objects,
    split_deep_objects,
    validate_captures,
)

AGENT = "piwik-resources/0.0 httpx"
TEST = "tests/api/test_integration_apps.py::test_a_refused_create"
APP_ID = "5f78b8ab-e0ae-4bda-939f-ee5f0d95aa04"


@pytest.fixture
def captures() -> Iterator[Path]:
    """A directory outside the session's base temp dir: the capture files written here are made up, and the
    end-of-suite check (tests/zz_leaks) reads every capture file under that base dir."""
    made = Path(tempfile.mkdtemp(prefix="request-contract-"))
    yield made
    shutil.rmtree(made, ignore_errors=True)


def entry(ts: float, status: int, name: str, *, agent: str = AGENT, response: Any = None) -> dict[str, Any]:
    body = {"data": {"type": "ppms/app", "attributes": {"name": name, "urls": ["https://a.example"]}}}
    return {
        "ts": ts,
        "status": status,
        "method": "POST",
        "path": "/api/apps/v2",
        "query": "",
        "content_type": "application/vnd.api+json",
        "user_agent": agent,
        "authorization": True,
        "body": json.dumps(body),
        "response": response,
    }


def write(root: Path, entries: list[dict[str, Any]], windows: list[tuple[str, float, float]]) -> Path:
    root.mkdir(exist_ok=True)
    (root / "emulator-state.db.requests.jsonl").write_text("".join(json.dumps(e) + "\n" for e in entries))
    path = root / WINDOWS_FILE
    path.parent.mkdir(parents=True)
    path.write_text("".join(json.dumps({"test": t, "start": a, "end": b}) + "\n" for t, a, b in windows))
    return root


TOO_LONG = "x" * 91  # the published maxLength of an app name is 90


def test_an_invalid_request_refused_for_a_test_not_on_the_list_fails(captures: Path) -> None:
    root = write(captures, [entry(10.5, 400, TOO_LONG), entry(11.5, 201, "Shop")], [(f"{TEST}[p]", 10, 11)])
    tally = validate_captures(root, responses=False)
    [refused] = tally.refused
    assert (refused.test, refused.operation, refused.status) == (TEST, "POST /api/apps/v2", 400)
    assert tally.unexpected_refusals == [refused]
    assert "is too long" in refused.text and f"test {TEST}" in refused.text
    assert tally.total == 1 and tally.invalid == []  # the valid create (between tests) is validated


def test_an_expected_refusal_passes_and_one_that_did_not_happen_is_reported(
    captures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = ExpectedRefusal(TEST, "POST /api/apps/v2", 400, "the name is longer than 90 characters")
    missing = ExpectedRefusal(TEST, "PATCH /api/apps/v2/{app_id}", 400, "an unknown anonymization mode")
    elsewhere = ExpectedRefusal("tests/other.py::test_not_run", "POST /api/apps/v2", 400, "not run this session")
    monkeypatch.setattr(request_contract, "EXPECTED_REFUSALS", (expected, missing, elsewhere))
    tally = validate_captures(write(captures, [entry(10.5, 400, TOO_LONG)], [(TEST, 10, 11)]), responses=False)
    assert tally.unexpected_refusals == []
    assert tally.expected_not_seen == [missing]


def test_the_same_request_answered_2xx_or_from_another_test_is_not_excused(
    captures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        request_contract, "EXPECTED_REFUSALS", (ExpectedRefusal(TEST, "POST /api/apps/v2", 400, "too long"),)
    )
    other = "tests/api/test_integration_apps.py::test_something_else"
    entries = [entry(10.5, 201, TOO_LONG), entry(20.5, 400, TOO_LONG), entry(30.5, 422, TOO_LONG)]
    tally = validate_captures(write(captures, entries, [(TEST, 10, 11), (other, 20, 21), (TEST, 30, 31)]))
    assert len(tally.invalid) == 1 and "answered 201" in tally.invalid[0]
    assert [(r.test, r.status) for r in tally.unexpected_refusals] == [(other, 400), (TEST, 422)]


def test_each_workers_captures_are_attributed_to_that_workers_tests(
    captures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make test` runs two pytest-xdist workers, each a session with its own base temp dir and windows: at the same
    # time, gw0 runs the test that expects the refusal and gw1 another test. gw1's refusal is not excused by gw0's.
    monkeypatch.setattr(
        request_contract, "EXPECTED_REFUSALS", (ExpectedRefusal(TEST, "POST /api/apps/v2", 400, "too long"),)
    )
    other = "tests/api/test_integration_apps.py::test_something_else"
    write(captures / "popen-gw0", [entry(10.5, 400, TOO_LONG)], [(TEST, 10, 11)])
    write(captures / "popen-gw1", [entry(10.6, 400, TOO_LONG)], [(other, 10.4, 10.8)])
    tally = validate_captures(captures, responses=False)
    assert tally.files == 2 and tally.tests_run == {TEST, other}
    assert [(r.test, r.status) for r in tally.refused] == [(TEST, 400), (other, 400)]
    assert [r.test for r in tally.unexpected_refusals] == [other]
    assert tally.expected_not_seen == []


def test_requests_of_other_agents_are_not_the_clients_but_their_responses_are_checked(captures: Path) -> None:
    def answer(body: Any) -> dict[str, Any]:
        return {"content_type": "application/vnd.api+json", "headers": {}, "body": json.dumps(body)}

    python = "python-httpx/0.28"
    entries = [entry(1, 400, TOO_LONG, agent=python, response=answer({"errors": "not a list"}))]
    entries.append(entry(2, 201, "Shop", agent=python, response=answer({"data": {"type": 5, "id": APP_ID}})))
    entries.append(entry(3, 201, "Shop", agent=python, response=answer({"data": {"type": "ppms/app", "id": APP_ID}})))
    entries.append(entry(4, 201, "Shop", agent=python, response=answer({"data": {"type": "ppms/app", "id": APP_ID}})))
    tally = validate_captures(write(captures, entries, []))
    assert tally.refused == [] and tally.total == 0
    assert [v.split(":", 1)[0] for v in tally.response_violations] == [
        "POST /api/apps/v2 -> 400",
        "POST /api/apps/v2 -> 201",
    ]
    assert "'not a list' is not of type 'array'" in tally.response_violations[0]
    assert tally.responses.validated == ["POST /api/apps/v2 -> 201"]  # the same answer twice is validated once


def test_windows_attribute_a_time_to_the_test_that_ran() -> None:
    windows = RunWindows([(10.0, 11.0, "a"), (12.0, 13.0, "b")])
    assert [windows.at(t) for t in (9.0, 10.0, 10.9, 11.5, 12.5, 14.0, None)] == [
        "(between tests)",
        "a",
        "a",
        "(between tests)",
        "b",
        "(between tests)",
        "(no time)",
    ]


AUDIT_FILTER = deep_objects(raw_specs()["api_audit-log_v1_entries.json"]["paths"]["/api/audit-log/v1/entries"]["get"])


def test_a_deep_object_filter_is_taken_out_of_the_query_and_checked_key_by_key() -> None:
    assert set(AUDIT_FILTER) == {"filter"}
    good = [("filter[type]", "app.added,app.edited"), ("filter[date_from]", "2020-01-01T00:00:00Z"), ("limit", "2")]
    assert split_deep_objects(good, AUDIT_FILTER) == ([("limit", "2")], [])
    assert split_deep_objects([("filter[ip]", "203.0.113.7,2001:db8::1")], AUDIT_FILTER) == ([], [])
    bad = [("filter[colour]", "red"), ("filter[date_to]", "yesterday"), ("filter[author_id]", "a,b")]
    rest, problems = split_deep_objects(bad, AUDIT_FILTER)
    assert rest == []
    assert problems[0] == "filter[colour]: 'colour' is not a published property of filter"
    assert problems[1] == "filter[date_to]: 'yesterday' is not a 'date-time'"
    assert problems[2:] == ["filter[author_id]: 'a' is not a 'uuid'", "filter[author_id]: 'b' is not a 'uuid'"]
    _, [ip_problem] = split_deep_objects([("filter[ip]", "localhost")], AUDIT_FILTER)
    assert ip_problem.startswith("filter[ip]: 'localhost' is not valid under any of the given schemas")
