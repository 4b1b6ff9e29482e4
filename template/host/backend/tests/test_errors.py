"""Shared error answers: a 422 never fails on the input it echoes."""

import math

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api.errors import install_error_handlers, json_safe


class Item(BaseModel):
    name: str


def test_json_safe_writes_non_finite_numbers_and_lone_surrogates_as_text() -> None:
    value = {"a": [math.nan, math.inf, -math.inf, 1.5], "b": {"c": None, "d": "é\ud800"}}

    assert json_safe(value) == {"a": ["nan", "inf", "-inf", 1.5], "b": {"c": None, "d": "é\\ud800"}}


def test_a_422_echoing_nan_or_a_lone_surrogate_is_still_a_422() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/items")
    def create(item: Item) -> Item:
        return item

    with TestClient(app) as client:
        response = client.post(
            "/items",
            content='{"name": NaN}',
            headers={"Content-Type": "application/json"},
        )
        surrogate = client.post(
            "/items",
            content='{"name": ["\\udcff"]}',
            headers={"Content-Type": "application/json"},
        )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert response.json()["detail"][0]["input"] == "nan"
    assert surrogate.status_code == 422
    assert surrogate.json()["detail"][0]["input"] == ["\\udcff"]
