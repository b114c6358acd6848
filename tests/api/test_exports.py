"""GET /api/export.{csv,jsonl,geojson}: streamed, parseable, filtered like the list."""

from __future__ import annotations

import csv
import io
import json

from fastapi.testclient import TestClient


def _ids(client: TestClient, **params: str) -> set[str]:
    items = client.get("/api/incidents", params={**params, "limit": 500}).json()["items"]
    return {i["id"] for i in items}


def test_csv_export_parses_with_gtd_columns(client: TestClient) -> None:
    r = client.get("/api/export.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["eventid"] for row in rows} == _ids(client)
    somalia = next(row for row in rows if row["country"] == "SO")
    assert somalia["nkill"] == "14" and somalia["attacktype1_txt"] == "bombing_explosion"
    assert json.loads(somalia["evidence"])["killed"]


def test_jsonl_export_is_one_incident_per_line_with_filters(client: TestClient) -> None:
    r = client.get("/api/export.jsonl", params={"country": "SO"})
    assert r.status_code == 200
    lines = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in lines] == sorted(_ids(client, country="SO"))
    assert lines[0]["evidence"]["killed"] and lines[0]["claims"]


def test_geojson_export_has_point_features_with_properties(client: TestClient) -> None:
    r = client.get("/api/export.geojson")
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    collection = r.json()
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert features and {f["id"] for f in features} <= _ids(client)
    for f in features:
        lon, lat = f["geometry"]["coordinates"]
        assert f["geometry"]["type"] == "Point" and -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(f["properties"]) == {
            "id",
            "date",
            "country",
            "city",
            "killed",
            "wounded",
            "attack_types",
            "status",
        }
    mogadishu = next(f for f in features if f["properties"]["country"] == "SO")
    lon, lat = mogadishu["geometry"]["coordinates"]
    assert abs(lat - 2.04) < 0.5 and abs(lon - 45.34) < 0.5


def test_exports_refuse_bad_filters(client: TestClient) -> None:
    for kind in ("csv", "jsonl", "geojson"):
        assert client.get(f"/api/export.{kind}", params={"min_killed": -1}).status_code == 422
