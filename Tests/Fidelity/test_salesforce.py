"""simple-salesforce (the published client) against the sandbox's Salesforce emulator, over HTTPS."""
import datetime
import pathlib
import re
import time

import jwt
import pytest
import yaml
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession, SalesforceMalformedRequest, SalesforceResourceNotFound

API = "60.0"
HERE = pathlib.Path(__file__).parent
CREDENTIALS_SOURCE = HERE.parent.parent / "Sources/CrosswalkSandbox/Salesforce/SalesforceCredentials.swift"


def password_token(sandbox):
    creds = sandbox.credentials["salesforce"]
    response = sandbox.http.post(sandbox.url("salesforce", "/services/oauth2/token"), data={
        "grant_type": "password", "client_id": creds["client_id"], "client_secret": creds["client_secret"],
        "username": creds["username"], "password": creds["password"] + creds["security_token"],
    }, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def client(sandbox, token=None):
    body = token or password_token(sandbox)
    return Salesforce(instance_url=body["instance_url"], session_id=body["access_token"], version=API)


@pytest.fixture
def sf(sandbox):
    return client(sandbox)


def test_token_response_and_tls(sandbox):
    body = password_token(sandbox)
    assert sandbox.apps["salesforce"].startswith("https://")
    assert body["instance_url"] == sandbox.apps["salesforce"]
    assert body["token_type"] == "Bearer" and body["issued_at"].isdigit()


def test_query_all_pages_past_2000_rows_in_two_calls(sandbox, sf):
    have = sf.query("SELECT COUNT() FROM Contact")["totalSize"]
    if have <= 2000:
        sandbox.control("salesforce", "POST", "seed", {"count": 800, "seed": 11})
    sandbox.control("salesforce", "POST", "counters/reset")
    result = sf.query_all("SELECT Id, FirstName, LastName, Email, Account.Name FROM Contact")
    records = result["records"]
    assert result["done"] is True
    assert len(records) == result["totalSize"] > 2000
    assert len({r["Id"] for r in records}) == len(records)
    assert records[0]["attributes"]["type"] == "Contact"
    routes = {route.rstrip("/"): n for route, n in sandbox.control("salesforce", "GET", "counters")["by_route"].items()}
    assert routes == {f"GET /services/data/v{API}/query": 1, f"GET /services/data/v{API}/query/{{id}}": 1}


def test_query_all_includes_deleted_rows(sf):
    created = sf.Task.create({"Subject": "Fidelity task"})
    sf.Task.delete(created["id"])
    live = sf.query(f"SELECT Id FROM Task WHERE Id = '{created['id']}'")
    everything = sf.query_all(f"SELECT Id, IsDeleted FROM Task WHERE Id = '{created['id']}'", include_deleted=True)
    assert live["totalSize"] == 0
    assert everything["records"][0]["IsDeleted"] is True


def test_create_get_update_upsert_delete(sf):
    created = sf.Contact.create({"FirstName": "Grace", "LastName": "Hopper", "Email": "grace@example.com"})
    assert created["success"] is True and created["id"].startswith("003") and len(created["id"]) == 18
    contact_id = created["id"]

    record = sf.Contact.get(contact_id)
    assert record["attributes"] == {"type": "Contact", "url": f"/services/data/v{API}/sobjects/Contact/{contact_id}"}
    assert record["Name"] == "Grace Hopper"

    assert sf.Contact.update(contact_id, {"Title": "Rear Admiral"}) == 204
    assert sf.Contact.get(contact_id[:15])["Title"] == "Rear Admiral"

    assert sf.Contact.upsert("NetSuite_Id__c/fid-77", {"LastName": "Upserted"}) == 201
    assert sf.Contact.upsert("NetSuite_Id__c/fid-77", {"Title": "Again"}) == 200
    by_external = sf.Contact.get_by_custom_id("NetSuite_Id__c", "fid-77")
    assert by_external["LastName"] == "Upserted" and by_external["Title"] == "Again"

    assert sf.Contact.delete(contact_id) == 204
    with pytest.raises(SalesforceResourceNotFound):
        sf.Contact.get(contact_id)


def test_errors_are_salesforce_shaped(sf):
    with pytest.raises(SalesforceMalformedRequest) as missing:
        sf.Contact.create({"FirstName": "Nameless"})
    assert missing.value.content[0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert missing.value.content[0]["fields"] == ["LastName"]
    with pytest.raises(SalesforceMalformedRequest) as bad_query:
        sf.query("SELECT FROM Contact")
    assert bad_query.value.content[0]["errorCode"] == "MALFORMED_QUERY"


def test_describe(sf):
    names = {o["name"] for o in sf.describe()["sobjects"]}
    assert {"Account", "Contact", "Lead", "Opportunity", "Task", "User"} <= names
    fields = {f["name"]: f for f in sf.Contact.describe()["fields"]}
    assert fields["Email"]["type"] == "email"
    assert fields["NetSuite_Id__c"]["externalId"] is True
    assert sf.Account.metadata()["objectDescribe"]["keyPrefix"] == "001"


def test_collections_in_one_call(sf):
    body = {"allOrNone": False, "records": [
        {"attributes": {"type": "Account"}, "Name": "Collections One"},
        {"attributes": {"type": "Account"}, "Name": "Collections Two"},
    ]}
    results = sf.restful("composite/sobjects", method="POST", json=body)
    assert [r["success"] for r in results] == [True, True]
    ids = ",".join(r["id"] for r in results)
    deleted = sf.restful("composite/sobjects", method="DELETE", params={"ids": ids})
    assert [r["success"] for r in deleted] == [True, True]


def test_updated_and_deleted_windows(sf):
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
    created = sf.Lead.create({"LastName": "Window", "Company": "Window Co"})
    doomed = sf.Lead.create({"LastName": "Doomed", "Company": "Window Co"})
    sf.Lead.delete(doomed["id"])
    end = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=1)
    assert created["id"] in sf.Lead.updated(start, end)["ids"]
    assert doomed["id"] in [r["id"] for r in sf.Lead.deleted(start, end)["deletedRecords"]]


def test_limits_and_usage_header(sf):
    limits = sf.limits()
    assert limits["DailyApiRequests"]["Max"] == 15000
    assert sf.api_usage["api-usage"].used > 0


def test_expired_session_raises_the_clients_expiry_error(sandbox):
    own = client(sandbox)
    own.Contact.describe()
    sandbox.control("salesforce", "POST", "faults", {"expire_tokens": True})
    with pytest.raises(SalesforceExpiredSession):
        own.Contact.describe()


def test_rate_limit_fault_is_a_403_request_limit_exceeded(sandbox):
    own = client(sandbox)
    sandbox.control("salesforce", "POST", "faults", {"rate_limit_burst": 1})
    try:
        with pytest.raises(Exception) as refused:
            own.Contact.describe()
        assert getattr(refused.value, "status", None) == 403
        assert refused.value.content[0]["errorCode"] == "REQUEST_LIMIT_EXCEEDED"
    finally:
        sandbox.control("salesforce", "DELETE", "faults")


def test_jwt_bearer_with_the_demo_key(sandbox):
    source = CREDENTIALS_SOURCE.read_text()
    key = re.search(r'demoJWTPrivateKeyPEM = """\n(.*?)\n"""', source, re.S).group(1)
    creds = sandbox.credentials["salesforce"]
    assertion = jwt.encode({"iss": creds["client_id"], "sub": creds["username"], "aud": "https://login.salesforce.com",
                            "exp": str(int(time.time()) + 180)}, key, algorithm="RS256")
    response = sandbox.http.post(sandbox.url("salesforce", "/services/oauth2/token"), data={
        "grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": assertion}, timeout=30)
    assert response.status_code == 200, response.text
    assert client(sandbox, response.json()).Contact.describe()["name"] == "Contact"


def _keyset_ids(sf, soql_base, page_size):
    """Pages `soql_base` by `WHERE Id > :last ORDER BY Id LIMIT n`, as connectors do, returning every Id seen."""
    seen, last = [], None
    while True:
        where = f" WHERE Id > '{last}'" if last else ""
        page = sf.query(f"{soql_base}{where} ORDER BY Id LIMIT {page_size}")["records"]
        if not page:
            return seen
        seen += [r["Id"] for r in page]
        last = page[-1]["Id"]


def test_keyset_paging_by_id_sees_every_row_once(sandbox, sf):
    # Ids order by their characters as they are (0-9, A-Z, a-z: byte order) in ORDER BY and in WHERE Id > '…'.
    if sf.query("SELECT COUNT() FROM Contact")["totalSize"] < 300:
        sandbox.control("salesforce", "POST", "seed", {"count": 100, "seed": 12})
    everything = [r["Id"] for r in sf.query_all("SELECT Id FROM Contact")["records"]]
    seen = _keyset_ids(sf, "SELECT Id FROM Contact", 50)
    assert len(seen) == len(set(seen)) == len(everything)
    assert seen == sorted(everything)
    ordered = [r["Id"] for r in sf.query_all("SELECT Id FROM Contact ORDER BY Id")["records"]]
    assert ordered == sorted(ordered)


# Routes the sandbox serves that the third-party path inventories in specs/salesforce lack, each with the
# Salesforce document that defines it.
DOCUMENTED_ELSEWHERE = [
    ("POST", "/services/oauth2/token"),          # OAuth 2.0 token endpoint (all grants)
    ("GET", "/services/oauth2/authorize"),       # OAuth 2.0 web server flow
    ("POST", "/services/oauth2/revoke"),         # Revoking OAuth Tokens
    ("GET", "/services/oauth2/userinfo"),        # OpenID Connect UserInfo endpoint
    ("GET", "/id/{org}/{user}"),                 # Identity URLs
    ("GET", "/services/data"),                   # List Available REST API Versions
    ("GET", "/services/data/{v}"),               # List Available REST Resources
    ("GET", "/services/data/{v}/query"),         # Execute a SOQL Query
    ("GET", "/services/data/{v}/queryAll"),      # Execute a SOQL Query that Includes Deleted Items
    ("GET", "/services/data/{v}/queryAll/{locator}"),
    ("GET", "/services/data/{v}/sobjects/{type}/{field}/{value}"),    # Get Records Using External ID
    ("PATCH", "/services/data/{v}/sobjects/{type}/{field}/{value}"),  # Upsert a Record Using an External ID
    ("POST", "/services/data/{v}/sobjects/{type}/{field}/{value}"),
    ("DELETE", "/services/data/{v}/sobjects/{type}/{field}/{value}"),
    ("POST", "/services/data/{v}/composite/sobjects/{type}"),         # SObject Collections retrieve (POST form)
]


def _pattern(template):
    return re.compile("^" + re.sub(r"\\\{[^/]*?\\\}", "[^/]+", re.escape(template)) + "/?$")


def _spec_routes():
    routes = []
    for spec in sorted((HERE / "specs/salesforce").glob("*.yml")):
        for path, operations in yaml.safe_load(spec.read_text())["paths"].items():
            # The inventories write paths relative to /services/data/vNN.0 (sometimes starting at /data/vNN.0).
            relative = re.sub(r"^(/services)?/data/v[0-9.]+", "", path)
            for method in operations:
                if method in ("get", "post", "patch", "put", "delete"):
                    routes.append((method.upper(), "/services/data/{v}" + relative.replace("//", "/")))
    return routes


def test_every_route_served_is_in_the_spec_inventories(sandbox):
    """Runs last in this file: checks every Salesforce request the sandbox answered during the session."""
    known = [(method, _pattern(template)) for method, template in _spec_routes() + DOCUMENTED_ELSEWHERE]
    served = {(r["method"], r["path"]) for r in sandbox.control("salesforce", "GET", "requests?since=0")["requests"]}
    assert served, "no Salesforce traffic was logged"
    unknown = sorted((method, path) for method, path in served
                     if not any(m == method and p.match(path) for m, p in known))
    assert unknown == []
