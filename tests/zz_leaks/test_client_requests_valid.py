"""After the suite: every request the client sent to an emulator validates against its OpenAPI operation, every
invalid one was refused on purpose by a test that says so, and every response the emulator gave matches its
response schema.

The emulators of the whole suite wrote down what they received and answered (tests/fixtures/request_contract.py).
`make test` runs this module after the suite, in a pytest run of its own pointed at the suite's base temp dir
(``--suite-basetemp``), so that it reads the files of both pytest-xdist workers once both have finished; in a
serial run of the whole suite it reads its own session's and runs last (pytest collects directories
alphabetically; tests/fixtures/suite_material.py). It drives no client of its own: the material is the suite's,
and the check refuses to pass on too little of it — fewer capture files, operations or requests than the whole
suite produces — so that, run alone or after a small part of the suite, it fails and says why. It is marked
``engine``: the providers' requests, most of the material, come from the engine tests.
"""

from __future__ import annotations

import pytest

from tests.fixtures.request_contract import EXPECTED_REFUSALS, validate_captures
from tests.fixtures.suite_material import SuiteMaterial

pytestmark = pytest.mark.engine

#: What the whole suite (`make test`) leaves at least: capture files (one per emulator process: about 46 module
#: pools and 35 started by tests), distinct published operations the client used, and client requests validated.
#: Every test but the engine tests (`-m "not engine"`) leaves 48 files, 29 operations and about 520 requests;
#: the acceptance cycles and the local stack alone 4 files and about 420 requests.
MIN_CAPTURE_FILES = 55
MIN_OPERATIONS = 28
MIN_REQUESTS = 1500


def test_every_request_the_client_sent_matches_its_openapi_operation(suite_material: SuiteMaterial) -> None:
    tally = validate_captures(suite_material.root)
    print(
        f"\nclient requests validated against the OpenAPI request schemas: {tally.total} "
        f"({len(tally.validated)} operations, from {tally.files} emulator capture files of "
        f"{len(suite_material.sessions)} pytest sessions under {suite_material.root}); "
        f"invalid: {len(tally.invalid)}; on unpublished (emulator-own) paths: {sum(tally.unpublished.values())}; "
        f"invalid on purpose and refused by the emulator: {len(tally.refused)} "
        f"(unexpected: {len(tally.unexpected_refusals)}); responses validated: {len(tally.responses.validated)}, "
        f"with an allowed undocumented status: {len(tally.responses.allowed)}, "
        f"not matching their schema: {len(tally.response_violations)}"
    )
    for refused in tally.refused:
        print(f"  refused: {refused.text[:300]}")
    for key, count in sorted(tally.validated.items()):
        print(f"  {count:6d}  {key}")
    assert tally.invalid == [], "\n".join(tally.invalid[:20])
    assert tally.unexpected_refusals == [], "invalid requests refused, but on no test's expected list:\n" + "\n".join(
        r.text[:600] for r in tally.unexpected_refusals[:20]
    )
    assert tally.expected_not_seen == [], f"expected refusals that did not happen: {tally.expected_not_seen}"
    assert tally.response_violations == [], "\n".join(tally.response_violations[:20])
    # Not vacuous: the material of the whole suite, not of one module (module docstring).
    whole_suite = "run this module after the whole suite (`make test`), not alone"
    assert tally.files >= MIN_CAPTURE_FILES, f"{tally.files} capture files < {MIN_CAPTURE_FILES}: {whole_suite}"
    assert len(tally.validated) >= MIN_OPERATIONS, f"{sorted(tally.validated)}: {whole_suite}"
    assert tally.total >= MIN_REQUESTS, f"{tally.total} requests < {MIN_REQUESTS}: {whole_suite}"
    assert len(tally.refused) >= len(EXPECTED_REFUSALS), whole_suite
