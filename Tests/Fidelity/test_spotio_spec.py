"""SPOTIO emulator against SPOTIO's own OpenAPI document (specs/spotio/spotio-swagger.json).

SPOTIO publishes no SDK, so the checks are: every request made here hits a path + method of the spec,
every answer's status is one the operation declares, and every JSON answer validates against the
operation's response schema (the spec's schemas are `additionalProperties: false`, so extra properties fail).
At the end, every request the sandbox logged for `spotio` must match a spec operation.
"""
import json
import pathlib
import re
import uuid

import pytest
import requests
from openapi_schema_validator import OAS30Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SPEC = json.loads((pathlib.Path(__file__).parent / "specs" / "spotio" / "spotio-swagger.json").read_text())
REGISTRY = Registry().with_resource("urn:spotio", Resource(contents=SPEC, specification=DRAFT4))
DEMO = {"client_id": "spotio-demo-client", "secret": "spotio-demo-secret",
        "email": "admin@spotio-demo.example.com", "password": "spotio-demo-password"}


def _template_regex(template):
    # ASP.NET routes match literal segments case-insensitively; parameters are one segment.
    parts = [("[^/]+" if p.startswith("{") else re.escape(p)) for p in template.split("/")]
    return re.compile("^" + "/".join(parts) + "$", re.IGNORECASE)


OPERATIONS = [(method.upper(), template, _template_regex(template))
              for template, item in SPEC["paths"].items() for method in item
              if method in ("get", "post", "put", "patch", "delete")]


def spec_operation(method, path):
    """The spec template for METHOD path: literal templates win over parameterised ones."""
    matches = [t for m, t, rx in OPERATIONS if m == method and rx.match(path)]
    assert matches, f"{method} {path} is not an operation of the SPOTIO spec"
    return max(matches, key=lambda t: sum(1 for p in t.split("/") if p and not p.startswith("{")))


def _schema(node):
    """Points `$ref`s at the registered spec document (the spec percent-encodes generic type names)."""
    if isinstance(node, dict):
        return {k: ("urn:spotio" + v if k == "$ref" else _schema(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_schema(v) for v in node]
    return node


def check(response, method, path):
    """Asserts that the exchange matches the spec and returns the decoded JSON (or None)."""
    template = spec_operation(method, path)
    operation = SPEC["paths"][template][method.lower()]
    declared = operation["responses"].get(str(response.status_code))
    assert declared is not None, (f"{method} {template} answered {response.status_code}, "
                                  f"which the spec does not declare ({sorted(operation['responses'])})")
    body = response.json() if response.content else None
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    if schema is not None and body is not None:
        errors = sorted(OAS30Validator(_schema(schema), registry=REGISTRY).iter_errors(body), key=lambda e: list(e.path))
        assert not errors, f"{method} {template} {response.status_code}: " + "; ".join(
            f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5])
    return body


class Spotio:
    """A thin requests client that checks every exchange against the spec."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.base = sandbox.url("spotio")
        self.credentials = {**DEMO, **sandbox.credentials.get("spotio", {})}
        self.http = requests.Session()
        token = self.call("POST", "/api/users/apitoken",
                          json={"clientId": self.credentials["client_id"], "secret": self.credentials["secret"]})
        self.http.headers["Authorization"] = "Bearer " + token["accessToken"]

    def raw(self, method, path, **kwargs):
        return self.http.request(method, self.base + path, timeout=30, **kwargs)

    def call(self, method, path, expect=200, **kwargs):
        response = self.raw(method, path, **kwargs)
        body = check(response, method, path)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text[:300]}"
        return body


@pytest.fixture(scope="module")
def spotio(sandbox):
    start = sandbox.control("spotio", "GET", "requests")["last_seq"]
    client = Spotio(sandbox)
    client.first_seq = start
    return client


def test_token_endpoints(spotio):
    login = spotio.call("POST", "/api/auth/token",
                        json={"email": spotio.credentials["email"], "password": spotio.credentials["password"]})
    assert login["accessToken"] and login["refreshToken"] and login["tokenExpiresIn"] > 0
    refreshed = spotio.call("POST", "/api/auth/token", json={"refreshToken": login["refreshToken"]})
    assert refreshed["accessToken"] != login["accessToken"]
    wrong = requests.post(spotio.base + "/api/users/apitoken", json={"clientId": "x", "secret": "y"}, timeout=30)
    check(wrong, "POST", "/api/users/apitoken")
    assert wrong.status_code == 401
    anonymous = requests.get(spotio.base + "/api/users", timeout=30)
    check(anonymous, "GET", "/api/users")
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")


def test_workflow_configuration(spotio):
    types = spotio.call("GET", "/api/workflow/dataObjects")
    assert types
    for object_type in types:
        spotio.call("GET", f"/api/workflow/dataObjects/{object_type['id']}")
        stages = spotio.call("GET", f"/api/workflow/dataObjects/{object_type['id']}/stages")
        assert stages["active"]["stages"]
        fields = spotio.call("GET", f"/api/workflow/dataobjects/{object_type['id']}/fields")
        assert all(f["id"].isdigit() for f in fields)
    full = spotio.call("GET", "/api/workflow/dataObjects/full")
    assert {t["id"] for t in full} == {t["id"] for t in types}
    spotio.call("GET", "/api/workflow")
    spotio.call("GET", "/api/workflow/activityTemplates")


def _lead_type(spotio):
    definition = spotio.call("GET", "/api/workflow/dataObjects/full")[0]
    fields = {f.get("systemRole") or f["name"]: f for f in definition["fields"]}
    return definition, fields


def test_data_object_lifecycle_and_deleted_feed(spotio):
    definition, fields = _lead_type(spotio)
    marker = uuid.uuid4().hex[:8]
    created = spotio.call("POST", "/api/DataObjects", json={
        "dataObject": {"typeId": int(definition["id"]), "externalDataObjectId": "fid-" + marker,
                       "fields": [{"fieldId": fields["Company"]["id"], "value": "Fidelity " + marker},
                                  {"fieldId": fields["Email"]["id"], "value": f"{marker}@example.com"}],
                       "pin": {"lat": 30.2, "lng": -97.7, "city": "Austin", "state": "TX"}},
        "activity": {"type": "Note", "notes": "created by the fidelity test"}},
        headers={"Content-Type": "application/json-patch+json"})
    record_id = created["id"]
    assert created["name"] == "Fidelity " + marker
    assert spotio.call("GET", f"/api/DataObjects/{record_id}")["emails"] == [f"{marker}@example.com"]
    stage = definition["stages"]["active"]["stages"][-1]["id"]
    patched = spotio.call("PATCH", f"/api/DataObjects/{record_id}/jsonp",
                          json=[{"op": "replace", "path": "/stageId", "value": int(stage)}])
    assert patched["stageId"] == stage
    spotio.call("PATCH", f"/api/DataObjects/{record_id}/jsonp/withActivity",
                json={"dataObject": [{"op": "replace", "path": "/source", "value": "Fidelity"}],
                      "activity": {"type": "Event", "title": "Visit", "done": True}})
    assert [r["id"] for r in spotio.call("GET", "/api/DataObjects/many", params={"dataObjectsIds": record_id})] == [record_id]
    spotio.call("DELETE", f"/api/DataObjects/{record_id}")
    spotio.call("GET", f"/api/DataObjects/{record_id}", expect=404)
    deleted, scroll = [], None
    while True:
        page = spotio.call("GET", "/api/DataObjects/deleted", params={"scrollId": scroll} if scroll else {})
        deleted += page["deletedDataObjects"]
        scroll = page["scrollId"]
        if not scroll:
            break
    assert record_id in {d["id"] for d in deleted}


def test_search_scrolls_until_null(spotio):
    seen, scroll, total = [], None, None
    while True:
        params = {"perPage": 20, "sortBy": "-updatedAt"}
        if scroll:
            params["scrollId"] = scroll
        page = spotio.call("GET", "/api/DataObjectsSearch", params=params)
        total = page["totalCount"]
        seen += [item["id"] for item in page["items"]]
        scroll = page["scrollId"]
        if not scroll:
            break
    assert len(seen) == len(set(seen)) == total
    posted = spotio.call("POST", "/api/DataObjectsSearch", json={"perPage": 5, "hasEmail": False})
    assert all(not item["emails"] for item in posted["items"])


def test_activities(spotio):
    record = spotio.call("GET", "/api/DataObjectsSearch", params={"perPage": 1})["items"][0]
    created = spotio.call("POST", "/api/ActivitiesV2", json={
        "dataObjectId": record["id"], "type": "Event", "title": "Door Knock", "done": False,
        "date": "2026-06-01T10:00:00+00:00", "duration": 15})
    activity = created["id"]
    spotio.call("GET", f"/api/ActivitiesV2/{activity}")
    done = spotio.call("PATCH", f"/api/ActivitiesV2/{activity}", json={"done": True},
                       headers={"Content-Type": "application/merge-patch+json"})
    assert done["done"] is True
    spotio.call("PUT", f"/api/v2/activities/{activity}", json={"dataObjectId": record["id"], "type": "Note", "notes": "n"})
    assert len(spotio.call("POST", "/api/ActivitiesV2/many", json=[{"dataObjectId": record["id"], "type": "Note"}])) == 1
    feed = spotio.call("GET", "/api/ActivitiesV2/feed", params={"StartDate": "2026-05-31T00:00:00Z", "IncludeCustomFieldIds": "*"})
    assert any(item["id"] == activity for item in feed["items"])


def test_users(spotio):
    assert spotio.call("GET", "/api/users")
    page = spotio.call("GET", "/api/v2/users/list", params={"pageSize": 2})
    assert len(page["items"]) <= 2
    spotio.call("GET", "/api/users/list")
    email = f"fidelity-{uuid.uuid4().hex[:8]}@example.com"
    user = spotio.call("POST", "/api/Users", json={"email": email, "firstName": "Fi", "lastName": "Delity"})
    assert spotio.call("PUT", f"/api/users/{user['id']}", json={"externalSystemUserId": "EXT-F"}) is True


def test_webhook_subscriptions(spotio):
    scopes = spotio.call("GET", "/api/Webhooks/scopes")
    assert "lead.added" in scopes
    endpoint = spotio.call("POST", "/api/Webhooks", json={"callback": "https://hooks.example.com/fidelity", "scopes": ["lead.added"],
                                                         "customHeaders": [{"name": "X-Test", "value": "1"}]})
    listed = spotio.call("GET", "/api/Webhooks")
    assert listed["secret"] and endpoint["id"] in {e["id"] for e in listed["endpoints"]}
    spotio.call("PUT", f"/api/Webhooks/{endpoint['id']}", json={"callback": endpoint["callback"], "scopes": scopes[:2], "active": False})
    spotio.call("DELETE", f"/api/Webhooks/{endpoint['id']}")


def test_rate_limit_fault_answers_429_with_retry_after(spotio, sandbox):
    sandbox.control("spotio", "POST", "faults", {"rate_limit_burst": 1, "retry_after_s": 3})
    response = spotio.raw("GET", "/api/users")
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert "errors" in response.json()
    sandbox.control("spotio", "DELETE", "faults")
    assert spotio.raw("GET", "/api/users").status_code == 200


def test_every_logged_request_is_a_spec_operation(spotio, sandbox):
    log = sandbox.control("spotio", "GET", f"requests?since={spotio.first_seq}")["requests"]
    served = [(r["method"], r["path"]) for r in log if not r["path"].startswith("/__sandbox") and r["status"] not in (404, 405)]
    assert len(served) > 30
    for method, path in served:
        spec_operation(method, path)
