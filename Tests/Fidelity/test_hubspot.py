"""hubspot-api-client (HubSpot's published SDK) against the sandbox's HubSpot emulator."""
import http.server
import json
import queue
import threading
import time
import uuid

import pytest
import requests
from hubspot import HubSpot
from hubspot.crm.contacts import (
    BatchInputSimplePublicObjectBatchInputForCreate,
    BatchReadInputSimplePublicObjectId,
    Filter,
    FilterGroup,
    PublicObjectSearchRequest,
    SimplePublicObjectBatchInputForCreate,
    SimplePublicObjectId,
    SimplePublicObjectInput,
    SimplePublicObjectInputForCreate,
)
from hubspot.crm.contacts.exceptions import ApiException, NotFoundException
from hubspot.utils.signature import Signature
from urllib3.util.retry import Retry

DELIVERY_TIMEOUT_S = 15


def hubspot_client(sandbox, token=None):
    """The SDK pointed at the sandbox; retries 429s with backoff as HubSpot recommends (search allows 5/s)."""
    options = {"access_token": token or sandbox.credentials["hubspot"]["private_app_token"], "host": sandbox.url("hubspot"),
               "retry": Retry(total=5, backoff_factor=0.3, status_forcelist=(429,), allowed_methods=None)}
    if sandbox.ca_file:
        options["ssl_ca_cert"] = sandbox.ca_file
    return HubSpot(**options)


@pytest.fixture
def client(sandbox):
    return hubspot_client(sandbox)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_basic_api_create_get_update_archive(client):
    email = unique("ada") + "@example.com"
    created = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(
        properties={"email": email.upper(), "firstname": "Ada", "lastname": "Lovelace"}))
    assert created.id.isdigit()
    assert created.properties["email"] == email
    assert created.archived is False

    fetched = client.crm.contacts.basic_api.get_by_id(created.id, properties=["email", "firstname", "no_such_property"])
    assert fetched.properties["firstname"] == "Ada"
    assert "no_such_property" not in fetched.properties
    by_email = client.crm.contacts.basic_api.get_by_id(email, id_property="email")
    assert by_email.id == created.id

    updated = client.crm.contacts.basic_api.update(created.id, SimplePublicObjectInput(properties={"lastname": "King"}))
    assert updated.properties["lastname"] == "King"
    assert updated.updated_at >= created.updated_at

    client.crm.contacts.basic_api.archive(created.id)
    with pytest.raises(NotFoundException) as missing:
        client.crm.contacts.basic_api.get_by_id(created.id)
    body = json.loads(missing.value.body)
    assert body["category"] == "OBJECT_NOT_FOUND" and body["status"] == "error" and body["correlationId"]


def test_duplicate_email_is_a_409_conflict(client):
    email = unique("dup") + "@example.com"
    first = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": email}))
    with pytest.raises(ApiException) as conflict:
        client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": email}))
    assert conflict.value.status == 409
    assert json.loads(conflict.value.body)["message"] == f"Contact already exists. Existing ID: {first.id}"


def test_get_page_follows_paging_next_after(client):
    first = client.crm.contacts.basic_api.get_page(limit=5, properties=["email"])
    assert len(first.results) == 5
    assert first.paging.next.after
    second = client.crm.contacts.basic_api.get_page(limit=5, after=first.paging.next.after, properties=["email"])
    assert not {r.id for r in first.results} & {r.id for r in second.results}


def test_batch_api_create_and_read(client):
    marker = unique("batch")
    inputs = [SimplePublicObjectBatchInputForCreate(properties={"email": f"{marker}-{n}@example.com", "lastname": marker})
              for n in range(3)]
    created = client.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))
    assert created.status == "COMPLETE"
    ids = sorted(r.id for r in created.results)
    assert len(ids) == 3

    read = client.crm.contacts.batch_api.read(BatchReadInputSimplePublicObjectId(
        inputs=[SimplePublicObjectId(id=i) for i in ids], properties=["email", "lastname"], properties_with_history=[]))
    assert sorted(r.id for r in read.results) == ids
    assert {r.properties["lastname"] for r in read.results} == {marker}


def test_search_api_pages_through_matches(client):
    marker = unique("search")
    inputs = [SimplePublicObjectBatchInputForCreate(properties={"email": f"{marker}-{n}@example.com", "lastname": marker,
                                                                "firstname": f"N{n:02d}"}) for n in range(7)]
    created = client.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=inputs))
    request = PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(property_name="lastname", operator="EQ", value=marker)])],
        sorts=[{"propertyName": "firstname", "direction": "ASCENDING"}], properties=["firstname", "email"], limit=3)
    names, ids, after, pages = [], set(), None, 0
    while True:
        request.after = after
        page = client.crm.contacts.search_api.do_search(request)
        assert page.total == 7
        names += [r.properties["firstname"] for r in page.results]
        ids |= {r.id for r in page.results}
        pages += 1
        if page.paging is None or page.paging.next is None:
            break
        after = page.paging.next.after
    assert pages == 3
    assert names == [f"N{n:02d}" for n in range(7)]
    assert ids == {r.id for r in created.results}


def test_search_refuses_too_many_filter_groups(client):
    groups = [FilterGroup(filters=[Filter(property_name="email", operator="HAS_PROPERTY")]) for _ in range(6)]
    with pytest.raises(ApiException) as refused:
        client.crm.contacts.search_api.do_search(PublicObjectSearchRequest(filter_groups=groups, limit=1))
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["category"] == "VALIDATION_ERROR"


def test_rate_limit_headers_on_api_calls(client):
    _, status, headers = client.crm.contacts.basic_api.get_page_with_http_info(limit=1)
    assert status == 200
    assert int(headers["X-HubSpot-RateLimit-Max"]) > 0
    assert 0 <= int(headers["X-HubSpot-RateLimit-Remaining"]) < int(headers["X-HubSpot-RateLimit-Max"])
    assert headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert int(headers["X-HubSpot-RateLimit-Daily-Remaining"]) < int(headers["X-HubSpot-RateLimit-Daily"])


def test_oauth_code_refresh_and_expiry(sandbox):
    creds = sandbox.credentials["hubspot"]
    oauth = hubspot_client(sandbox).oauth.tokens_api
    tokens = oauth.create(grant_type="authorization_code", code=creds["authorization_code"], redirect_uri="http://127.0.0.1:9/cb",
                          client_id=creds["client_id"], client_secret=creds["client_secret"])
    assert tokens.expires_in == 1800 and tokens.token_type == "bearer"
    client = hubspot_client(sandbox, tokens.access_token)
    assert client.crm.contacts.basic_api.get_page(limit=1).results

    sandbox.control("hubspot", "POST", "faults", {"expire_tokens": True})
    with pytest.raises(ApiException) as expired:
        client.crm.contacts.basic_api.get_page(limit=1)
    assert expired.value.status == 401
    assert json.loads(expired.value.body)["category"] == "EXPIRED_AUTHENTICATION"

    refreshed = oauth.create(grant_type="refresh_token", refresh_token=tokens.refresh_token,
                             client_id=creds["client_id"], client_secret=creds["client_secret"])
    assert refreshed.access_token != tokens.access_token
    assert hubspot_client(sandbox, refreshed.access_token).crm.contacts.basic_api.get_page(limit=1).results


class _Receiver(http.server.BaseHTTPRequestHandler):
    """Records each POST (path, headers, body) into the server's queue and answers 204."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.deliveries.put((self.path, self.headers, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhook_v3_signature_verifies_with_the_sdk_helper(sandbox, client):
    receiver = http.server.HTTPServer(("127.0.0.1", 0), _Receiver)
    receiver.deliveries = queue.Queue()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{receiver.server_port}/hubspot/webhooks?portal=demo"
        sandbox.control("hubspot", "POST", "webhooks", {"url": target, "events": ["contact.creation"]})
        created = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(
            properties={"email": unique("hook") + "@example.com"}))
        while True:
            path, headers, body = receiver.deliveries.get(timeout=DELIVERY_TIMEOUT_S)
            events = json.loads(body)
            if any(e.get("objectId") == int(created.id) for e in events):
                break
        assert path == "/hubspot/webhooks?portal=demo"
        secret = sandbox.credentials["hubspot"]["webhook_signing_secret"]
        assert Signature.is_valid(signature=headers["X-HubSpot-Signature-v3"], client_secret=secret, request_body=body.decode(),
                                  http_uri=target, http_method="POST", signature_version="v3",
                                  timestamp=headers["X-HubSpot-Request-Timestamp"])
        assert Signature.is_valid(signature=headers["X-HubSpot-Signature"], client_secret=secret, request_body=body.decode(),
                                  signature_version="v1")
        event = next(e for e in events if e.get("objectId") == int(created.id))
        assert event["subscriptionType"] == "contact.creation"
        assert event["portalId"] == int(sandbox.credentials["hubspot"]["portal_id"])
        assert {"eventId", "subscriptionId", "appId", "occurredAt", "attemptNumber"} <= event.keys()
    finally:
        receiver.shutdown()


# ---- Issue 12: what a connector meets on a real portal ------------------------------------------------------------

SEARCH_VISIBLE_TIMEOUT_S = 15


def _search_email(client, email):
    return client.crm.contacts.search_api.do_search(PublicObjectSearchRequest(
        filter_groups=[FilterGroup(filters=[Filter(property_name="email", operator="EQ", value=email)])],
        properties=["email", "lastname"], limit=1))


def test_search_lags_behind_writes_when_turned_on(sandbox, client):
    """HubSpot's search index trails writes; with search_lag on, the sandbox does too (GET and batch read do not)."""
    sandbox.control("hubspot", "POST", "app/search_lag", {"ms": 1500})
    try:
        email = unique("lag") + "@example.com"
        created = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": email, "lastname": "Before"}))
        assert _search_email(client, email).total == 0
        assert client.crm.contacts.basic_api.get_by_id(created.id).id == created.id
        read = client.crm.contacts.batch_api.read(BatchReadInputSimplePublicObjectId(
            inputs=[SimplePublicObjectId(id=created.id)], properties=["email"], properties_with_history=[]))
        assert [r.id for r in read.results] == [created.id]
        deadline = time.monotonic() + SEARCH_VISIBLE_TIMEOUT_S
        while _search_email(client, email).total == 0:
            assert time.monotonic() < deadline, "the record never became searchable"
            time.sleep(0.25)
        client.crm.contacts.basic_api.update(created.id, SimplePublicObjectInput(properties={"lastname": "After"}))
        assert _search_email(client, email).results[0].properties["lastname"] == "Before"
        while _search_email(client, email).results[0].properties["lastname"] != "After":
            assert time.monotonic() < deadline + SEARCH_VISIBLE_TIMEOUT_S, "the update never reached search"
            time.sleep(0.25)
    finally:
        sandbox.control("hubspot", "POST", "app/search_lag", {"ms": 0, "flush": True})


def test_conflict_names_an_existing_contact_and_in_batch_duplicates_are_refused(client):
    email = unique("held") + "@example.com"
    holder = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": email}))
    with pytest.raises(ApiException) as conflict:
        client.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[
            SimplePublicObjectBatchInputForCreate(properties={"email": unique("new") + "@example.com"}),
            SimplePublicObjectBatchInputForCreate(properties={"email": email.upper()})]))
    body = json.loads(conflict.value.body)
    assert conflict.value.status == 409 and body["category"] == "CONFLICT"
    assert body["message"] == f"Contact already exists. Existing ID: {holder.id}"
    twice = unique("twice") + "@example.com"
    with pytest.raises(ApiException) as duplicate:
        client.crm.contacts.batch_api.create(BatchInputSimplePublicObjectBatchInputForCreate(inputs=[
            SimplePublicObjectBatchInputForCreate(properties={"email": twice}),
            SimplePublicObjectBatchInputForCreate(properties={"email": twice})]))
    assert duplicate.value.status == 400
    assert json.loads(duplicate.value.body)["category"] == "VALIDATION_ERROR"
    later = client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": twice}))
    assert int(later.id) > int(holder.id)


def test_association_labels_are_read_not_hard_coded(client):
    from hubspot.crm.associations.v4.schema import PublicAssociationDefinitionCreateRequest, PublicAssociationDefinitionUpdateRequest
    labels = client.crm.associations.v4.schema.definitions_api
    built_in = {(l.type_id, l.category): l.label for l in labels.get_all("contacts", "companies").results}
    assert built_in[(279, "HUBSPOT_DEFINED")] is None and built_in[(1, "HUBSPOT_DEFINED")] == "Primary"
    assert 3 in {l.type_id for l in labels.get_all("deals", "contacts").results}
    made = labels.create("contacts", "companies", PublicAssociationDefinitionCreateRequest(
        label="Former employee", name=unique("former").replace("-", "_"), inverse_label="Former employer"))
    type_id = made.results[0].type_id
    assert [r.category for r in made.results] == ["USER_DEFINED", "USER_DEFINED"]
    labels.update("contacts", "companies", PublicAssociationDefinitionUpdateRequest(association_type_id=type_id, label="Alumnus"))
    assert "Alumnus" in {l.label for l in labels.get_all("contacts", "companies").results}
    labels.remove("contacts", "companies", type_id)
    assert type_id not in {l.type_id for l in labels.get_all("contacts", "companies").results}


@pytest.mark.parametrize("object_type", ["calls", "emails", "meetings", "notes", "tasks", "line_items", "products", "tickets", "quotes"])
def test_every_standard_object_has_properties(client, object_type):
    properties = client.crm.properties.core_api.get_all(object_type=object_type).results
    assert len(properties) >= 10
    assert "hs_object_id" in {p.name for p in properties}


def test_owners_page_and_schemas_list(client, sandbox):
    first = client.crm.owners.owners_api.get_page(limit=50)
    assert len(first.results) == 50 and first.paging.next.after
    second = client.crm.owners.owners_api.get_page(limit=50, after=first.paging.next.after)
    assert not {o.id for o in first.results} & {o.id for o in second.results}
    assert client.crm.schemas.core_api.get_all().results == []
    token = sandbox.credentials["hubspot"]["private_app_token"]
    legacy = requests.get(sandbox.url("hubspot", "/properties/v2/contacts/properties"), headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert legacy.status_code == 200 and len(legacy.json()) >= 190


def test_missing_scope_and_revoked_token(sandbox, client):
    sandbox.control("hubspot", "POST", "app/scopes", {"missing": ["crm.objects.contacts.write"]})
    try:
        assert client.crm.contacts.basic_api.get_page(limit=1).results is not None
        with pytest.raises(ApiException) as refused:
            client.crm.contacts.basic_api.create(SimplePublicObjectInputForCreate(properties={"email": unique("scope") + "@example.com"}))
        body = json.loads(refused.value.body)
        assert refused.value.status == 403 and body["category"] == "MISSING_SCOPES"
        assert body["errors"][0]["context"]["requiredGranularScopes"] == ["crm.objects.contacts.write"]
    finally:
        sandbox.control("hubspot", "POST", "app/scopes", {"missing": []})
    sandbox.control("hubspot", "POST", "app/token", {"revoked": True})
    try:
        with pytest.raises(ApiException) as revoked:
            client.crm.contacts.basic_api.get_page(limit=1)
        assert revoked.value.status == 401 and json.loads(revoked.value.body)["category"] == "INVALID_AUTHENTICATION"
    finally:
        sandbox.control("hubspot", "POST", "app/token", {"revoked": False})


def test_hundreds_of_properties_in_a_get_are_a_414(client):
    with pytest.raises(ApiException) as too_long:
        client.crm.contacts.basic_api.get_page(limit=1, properties=[f"custom_property_number_{n}" for n in range(700)])
    assert too_long.value.status == 414
    assert json.loads(too_long.value.body)["status"] == "error"


def test_paging_next_link_keeps_properties(sandbox, client):
    first = client.crm.contacts.basic_api.get_page(limit=2, properties=["email", "phone"])
    token = sandbox.credentials["hubspot"]["private_app_token"]
    followed = requests.get(first.paging.next.link, headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert set(followed["results"][0]["properties"]) >= {"email", "phone"}
    assert followed["results"][0]["id"] == first.paging.next.after
