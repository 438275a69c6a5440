"""Aritic PinPoint (Mautic 2.x REST) emulator driven by the published `mautic` 0.2.0 Python client.

The client covers list/get/create/edit/delete, company and segment membership (with the older
`/contact/add/{id}` routes) and Basic or OAuth 2 sessions; batch endpoints, the OAuth token endpoint and
webhooks are exercised with requests / requests-oauthlib the way their documentation describes them.
The base URL carries Aritic's `/ma` prefix, as a hosted tenant's does.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import threading
import uuid
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from mautic import Companies, Contacts, MauticBasicAuthClient, MauticException, MauticOauth2Client, Segments
from requests_oauthlib import OAuth2Session

DEMO = {"username": "admin", "password": "aritic-demo-password",
        "client_id": "1_aritic-demo-client", "client_secret": "aritic-demo-secret"}


@pytest.fixture(scope="module")
def aritic(sandbox):
    """The tenant base URL (with `/ma`) and its demo credentials; OAuth over the sandbox's plain HTTP allowed."""
    credentials = {**DEMO, **sandbox.credentials.get("aritic", {})}
    previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
    yield sandbox.url("aritic", "/ma"), credentials
    if previous is None:
        os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
    else:
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous


@pytest.fixture(scope="module")
def client(aritic):
    base, credentials = aritic
    return MauticBasicAuthClient(base_url=base, username=credentials["username"], password=credentials["password"])


def _error(exception):
    """The first entry of Mautic's `errors` envelope carried by a MauticException."""
    payload = exception.value.message
    assert isinstance(payload, dict) and payload.get("errors"), payload
    return payload["errors"][0]


def test_contact_list_is_keyed_by_id_in_the_requested_order(client):
    page = Contacts(client=client).get_list(limit=10, order_by="date_added", order_by_dir="DESC")
    assert int(page["total"]) >= 10
    contacts = page["contacts"]
    assert all(key == str(contact["id"]) for key, contact in contacts.items())
    added = [contact["dateAdded"] for contact in contacts.values()]
    assert added == sorted(added, reverse=True)
    first = next(iter(contacts.values()))
    assert set(first["fields"]) >= {"core", "social", "personal", "professional", "all"}
    assert first["fields"]["all"]["id"] == first["id"]
    minimal = Contacts(client=client).get_list(limit=1, minimal=True)
    assert "owner" not in next(iter(minimal["contacts"].values()))


def test_search_by_segment_and_membership(client):
    synced = Contacts(client=client).get_list(search="segment:salesforce-sync", limit=5)
    assert int(synced["total"]) > 0
    for contact_id in synced["contacts"]:
        lists = Contacts(client=client).get_contact_segments(contact_id)["lists"]
        assert "salesforce-sync" in {segment["alias"] for segment in lists.values()}
    assert "salesforce-sync" in {s["alias"] for s in Contacts(client=client).get_segments().values()}


def test_contact_create_edit_put_and_delete(client):
    api = Contacts(client=client)
    email = f"fidelity-{uuid.uuid4().hex[:8]}@example.com"
    created = api.create({"firstname": "Fi", "lastname": "Delity", "email": email, "company": "Fidelity Works"})["contact"]
    contact_id = created["id"]
    assert created["fields"]["core"]["email"]["value"] == email
    assert created["fields"]["all"]["company"] == "Fidelity Works"
    again = api.create({"email": email, "position": "Tester"})["contact"]
    assert again["id"] == contact_id  # Mautic's duplicate check: same e-mail updates the contact
    edited = api.edit(contact_id, {"city": "Lyon"})["contact"]
    assert edited["fields"]["all"]["city"] == "Lyon" and edited["fields"]["all"]["lastname"] == "Delity"
    replaced = api.edit(contact_id, {"firstname": "Only"}, create_if_not_exists=True)["contact"]
    assert replaced["fields"]["all"]["lastname"] is None
    deleted = api.delete(contact_id)["contact"]
    assert deleted["id"] is None
    with pytest.raises(MauticException) as missing:
        api.get(contact_id)
    assert _error(missing)["code"] == 404
    with pytest.raises(MauticException) as invalid:
        api.create({"email": "not-an-email"})
    assert _error(invalid)["details"]["email"] == ["A valid email is required."]


def test_companies_and_segments_link_contacts(client):
    company = Companies(client=client).create({"companyname": f"Fidelity {uuid.uuid4().hex[:6]}"})["company"]
    contact = Contacts(client=client).create({"firstname": "Linked"})["contact"]
    assert Companies(client=client).add_contact(company["id"], contact["id"]) == {"success": 1}
    linked = Contacts(client=client).get(contact["id"])["contact"]
    assert linked["fields"]["all"]["company"] == company["fields"]["all"]["companyname"]
    assert Companies(client=client).remove_contact(company["id"], contact["id"]) == {"success": 1}
    segments = Segments(client=client).get_list()
    sync = next(s for s in segments["lists"].values() if s["name"] == "Salesforce sync")
    assert Segments(client=client).add_contact(sync["id"], contact["id"]) == {"success": 1}
    assert str(sync["id"]) in Contacts(client=client).get_contact_segments(contact["id"])["lists"]


def test_wrong_basic_credentials_are_denied(aritic):
    base, credentials = aritic
    bad = MauticBasicAuthClient(base_url=base, username=credentials["username"], password="wrong")
    with pytest.raises(MauticException) as denied:
        Contacts(client=bad).get_list()
    assert _error(denied) == {"message": "API authorization denied.", "code": 401, "type": "access_denied"}


def test_batch_endpoints(aritic):
    base, credentials = aritic
    auth = (credentials["username"], credentials["password"])
    created = requests.post(base + "/api/contacts/batch/new", auth=auth, timeout=30,
                            json=[{"firstname": "B1"}, {"email": "broken"}, {"firstname": "B3"}])
    assert created.status_code == 201
    body = created.json()
    assert body["statusCodes"] == [201, 400, 201] and set(body["errors"]) == {"1"}
    ids = [c["id"] for c in body["contacts"].values()]
    edited = requests.patch(base + "/api/contacts/batch/edit", auth=auth, timeout=30, json=[{"id": ids[0], "lastname": "X"}])
    assert edited.json()["statusCodes"] == [200]
    removed = requests.delete(base + "/api/contacts/batch/delete", auth=auth, timeout=30, params={"ids": ",".join(map(str, ids))})
    assert [c["id"] for c in removed.json()["contacts"]] == ids
    too_many = requests.post(base + "/api/contacts/batch/new", auth=auth, timeout=30, json=[{"firstname": "x"}] * 201)
    assert too_many.status_code == 500 and too_many.json()["errors"][0]["code"] == 500


def test_oauth2_client_credentials_expiry(aritic, sandbox):
    base, credentials = aritic
    token = requests.post(base + "/oauth/v2/token", timeout=30, data={
        "grant_type": "client_credentials", "client_id": credentials["client_id"], "client_secret": credentials["client_secret"]}).json()
    assert token["token_type"] == "bearer" and "refresh_token" not in token
    oauth = MauticOauth2Client(base_url=base, client_id=credentials["client_id"], token=token)
    assert int(Contacts(client=oauth).get_list(limit=1)["total"]) > 0
    sandbox.control("aritic", "POST", "faults", {"expire_tokens": True})
    with pytest.raises(MauticException) as expired:
        Contacts(client=oauth).get_list(limit=1)
    assert _error(expired) == {"message": "The access token provided has expired.", "code": 401, "type": "invalid_grant"}


def test_oauth2_authorization_code_and_refresh_with_requests_oauthlib(aritic):
    base, credentials = aritic
    redirect = "http://127.0.0.1/callback"
    session = OAuth2Session(credentials["client_id"], redirect_uri=redirect)
    authorization_url, state = session.authorization_url(base + "/oauth/v2/authorize")
    approved = requests.get(authorization_url, allow_redirects=False, timeout=30)
    assert approved.status_code == 302
    token = session.fetch_token(base + "/oauth/v2/token", authorization_response=approved.headers["Location"],
                                client_secret=credentials["client_secret"], include_client_id=True)
    assert token["refresh_token"] and parse_qs(urlparse(approved.headers["Location"]).query)["state"] == [state]
    refreshed = session.refresh_token(base + "/oauth/v2/token", refresh_token=token["refresh_token"],
                                      client_id=credentials["client_id"], client_secret=credentials["client_secret"])
    assert refreshed["access_token"] != token["access_token"]
    oauth = MauticOauth2Client(base_url=base, client_id=credentials["client_id"], token=refreshed)
    assert "contacts" in Contacts(client=oauth).get_list(limit=1)


class _Receiver(http.server.BaseHTTPRequestHandler):
    received = []
    arrived = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.received.append(({name.lower(): value for name, value in self.headers.items()}, body))
        _Receiver.arrived.set()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_webhooks_are_signed_and_keyed_by_event(client, sandbox):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        secret = "fidelity-secret"
        sandbox.control("aritic", "POST", "webhooks", {
            "url": f"http://127.0.0.1:{server.server_port}/hook", "secret": secret, "events": ["mautic.lead_post_save_new"]})
        email = f"hook-{uuid.uuid4().hex[:8]}@example.com"
        Contacts(client=client).create({"firstname": "Hook", "email": email})
        assert _Receiver.arrived.wait(timeout=15), "no webhook arrived within 15 s"
        headers, body = _Receiver.received[0]
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        assert headers["webhook-signature"] == expected
        payload = json.loads(body)
        assert set(payload) == {"mautic.lead_post_save_new", "timestamp"}
        assert payload["mautic.lead_post_save_new"][0]["contact"]["fields"]["all"]["email"] == email
    finally:
        server.shutdown()


def test_where_groups_and_order_entries(aritic, client):
    """`where[n][expr]=orX` with nested conditions and `order[n][col|dir]`, as Mautic's CommonRepository reads them;
    the page is checked against the mautic client's own unfiltered listing."""
    base, credentials = aritic
    auth = (credentials["username"], credentials["password"])
    params = {"limit": 50, "where[0][expr]": "orX",
              "where[0][val][0][col]": "city", "where[0][val][0][expr]": "eq", "where[0][val][0][val]": "Lyon",
              "where[0][val][1][col]": "city", "where[0][val][1][expr]": "eq", "where[0][val][1][val]": "Boston",
              "order[0][col]": "points", "order[0][dir]": "DESC"}
    page = requests.get(base + "/api/contacts", auth=auth, params=params, timeout=30).json()
    contacts = list(page["contacts"].values()) if page["contacts"] else []
    assert all(c["fields"]["all"]["city"] in ("Lyon", "Boston") for c in contacts)
    points = [c["points"] for c in contacts]
    assert points == sorted(points, reverse=True)
    everyone = Contacts(client=client).get_list(limit=5000)
    expected = [c for c in everyone["contacts"].values() if c["fields"]["all"]["city"] in ("Lyon", "Boston")]
    assert int(page["total"]) == len(expected)
    bad = requests.post(base + "/api/contacts/new", auth=auth, timeout=30, data='{"firstname": "Ada"',
                        headers={"Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["message"] == "Invalid json message received"
