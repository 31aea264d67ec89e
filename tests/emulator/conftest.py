"""Every response an emulator gives during tests/emulator/* is checked against the OpenAPI files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.emulator import Emulator

from .contract import ContractRecorder, spec_dir


@pytest.fixture(scope="session")
def contract() -> ContractRecorder:
    spec_dir()  # fails with a clear message when the OpenAPI files are missing
    return ContractRecorder()


@pytest.fixture(autouse=True)
def validate_every_response(contract: ContractRecorder) -> Iterator[None]:
    def hook(response: httpx.Response) -> None:
        request = response.request
        contract.check(
            request.method, str(request.url), request.content, request.headers.get("content-type", ""), response
        )

    Emulator.response_hooks.append(hook)
    try:
        yield
    finally:
        Emulator.response_hooks.remove(hook)


def new_app(emulator: Emulator, name: str = "Shop", **attributes: Any) -> dict[str, Any]:
    """Create an app and return its `data` object."""
    body = {"data": {"type": "ppms/app", "attributes": {"name": name, "urls": ["https://shop.example"], **attributes}}}
    response = emulator.api("POST", "/api/apps/v2", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data
