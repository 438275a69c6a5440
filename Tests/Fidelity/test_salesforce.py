"""simple-salesforce (the published client) against the sandbox's Salesforce emulator, over HTTPS."""
import csv
import datetime
import io
import math
import pathlib
import re
import time

import jwt
import pytest
import yaml
from simple_salesforce import Salesforce
from simple_salesforce.exceptions import (SalesforceExpiredSession, SalesforceGeneralError, SalesforceMalformedRequest,
                                          SalesforceRefusedRequest, SalesforceResourceNotFound)

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


def test_timestamps_are_whole_seconds(sf):
    created = sf.Contact.create({"LastName": "Precision"})
    record = sf.Contact.get(created["id"])
    for field in ("CreatedDate", "LastModifiedDate", "SystemModstamp"):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000", record[field]), record[field]
    stamp = record["SystemModstamp"]
    same = sf.query(f"SELECT Id FROM Contact WHERE SystemModstamp = {stamp[:19]}Z AND Id = '{created['id']}'")
    assert same["totalSize"] == 1


def test_rows_sharing_one_systemmodstamp_page_by_modstamp_then_id(sandbox, sf):
    stamp = "2024-03-01T12:00:00.000+0000"
    made = sandbox.control("salesforce", "POST", "app/bulk_create", {"object": "Contact", "count": 500, "systemModstamp": stamp})
    assert made["count"] == 500 and made["systemModstamp"] == stamp
    result = sf.query_all("SELECT Id, SystemModstamp, LastModifiedDate, CreatedDate FROM Contact WHERE SystemModstamp = 2024-03-01T12:00:00Z")
    assert result["totalSize"] == 500
    assert {r["SystemModstamp"] for r in result["records"]} == {stamp}
    assert {r["CreatedDate"] for r in result["records"]} == {stamp}
    # A connector that pages with `SystemModstamp > :last` alone would lose 499 of them; (SystemModstamp, Id) keysets see all.
    seen, last = [], None
    while True:
        after = f" AND Id > '{last}'" if last else ""
        page = sf.query(f"SELECT Id FROM Contact WHERE SystemModstamp = 2024-03-01T12:00:00Z{after} "
                        f"ORDER BY SystemModstamp, Id LIMIT 200")["records"]
        if not page:
            break
        seen += [r["Id"] for r in page]
        last = page[-1]["Id"]
    assert sorted(seen) == sorted(made["ids"]) and len(set(seen)) == 500


def test_order_by_several_fields_breaks_ties_by_later_fields(sf):
    rows = [("Banking", "Hot", "a"), ("Banking", "Cold", "b"), ("Banking", "Hot", "c"), ("Retail", "Warm", "d"),
            ("Banking", None, "e"), (None, "Hot", "f")]
    for industry, rating, name in rows:
        body = {"Name": f"OrderTie {name}"}
        if industry:
            body["Industry"] = industry
        if rating:
            body["Rating"] = rating
        sf.Account.create(body)
    got = [r["Name"][-1] for r in sf.query(
        "SELECT Name FROM Account WHERE Name LIKE 'OrderTie %' ORDER BY Industry NULLS LAST, Rating DESC, Name DESC")["records"]]
    # Industry ascending with nulls last; ties by Rating descending (nulls last, the DESC default); then Name descending.
    assert got == ["c", "a", "b", "e", "d", "f"]


def test_aggregate_functions_group_by_having_and_result_shape(sf):
    account = sf.Account.create({"Name": "Aggregates Inc."})["id"]
    for stage, amount, close in [("Prospecting", 1000, "2024-05-01"), ("Prospecting", 3000, "2024-06-01"),
                                 ("Closed Won", 5000, "2024-04-15"), ("Qualification", None, "2024-07-01")]:
        body = {"Name": f"Agg {stage} {amount}", "StageName": stage, "CloseDate": close, "AccountId": account}
        if amount is not None:
            body["Amount"] = amount
        sf.Opportunity.create(body)
    where = f"WHERE AccountId = '{account}'"
    result = sf.query("SELECT COUNT(Id), SUM(Amount) total, MIN(CloseDate), MAX(Amount), AVG(Amount) average, "
                      f"COUNT(Amount), COUNT_DISTINCT(StageName) FROM Opportunity {where}")
    assert result["totalSize"] == 1 and result["done"] is True
    row = result["records"][0]
    # Unaliased aggregates are expr0, expr1, … in order; aliased ones use their alias.
    assert row == {"attributes": {"type": "AggregateResult"}, "expr0": 4, "total": 9000, "expr1": "2024-04-15",
                   "expr2": 5000, "average": 3000, "expr3": 3, "expr4": 3}
    grouped = sf.query(f"SELECT StageName, COUNT(Id) n, SUM(Amount) FROM Opportunity {where} GROUP BY StageName ORDER BY COUNT(Id) DESC, StageName")
    assert [(r["StageName"], r["n"], r["expr0"]) for r in grouped["records"]] == [
        ("Prospecting", 2, 4000), ("Closed Won", 1, 5000), ("Qualification", 1, None)]
    having = sf.query(f"SELECT StageName FROM Opportunity {where} GROUP BY StageName HAVING COUNT(Id) > 1")
    assert [r["StageName"] for r in having["records"]] == ["Prospecting"]
    by_parent = sf.query(f"SELECT Account.Name, COUNT(Id) FROM Opportunity {where} GROUP BY Account.Name")
    assert by_parent["records"][0]["Name"] == "Aggregates Inc." and by_parent["records"][0]["expr0"] == 4
    assert sf.query(f"SELECT COUNT() FROM Opportunity {where}") == {"totalSize": 4, "done": True, "records": []}
    for bad in [f"SELECT SUM(Name) FROM Opportunity {where}", f"SELECT Name, COUNT(Id) FROM Opportunity {where} GROUP BY StageName"]:
        with pytest.raises(SalesforceMalformedRequest) as refused:
            sf.query(bad)
        assert refused.value.content[0]["errorCode"] == "MALFORMED_QUERY"


def test_bulk2_query_pages_csv_through_simple_salesforce(sf):
    total = sf.query("SELECT COUNT() FROM Contact WHERE Email != null")["totalSize"]
    pages = list(sf.bulk2.Contact.query("SELECT Id, LastName, Email, Account.Name, CreatedDate FROM Contact WHERE Email != null",
                                        max_records=100))
    rows = [row for page in pages for row in csv.DictReader(io.StringIO(page))]
    assert len(pages) == math.ceil(total / 100) and len(rows) == total
    assert list(rows[0]) == ["Id", "LastName", "Email", "Account.Name", "CreatedDate"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z", rows[0]["CreatedDate"])
    assert len({row["Id"] for row in rows}) == total
    with pytest.raises(SalesforceMalformedRequest) as compound:
        list(sf.bulk2.Account.query("SELECT Id, BillingAddress FROM Account"))
    assert compound.value.content[0]["message"] == "Selecting compound data not supported in Bulk Query"


def test_bulk2_query_job_states_locators_abort_delete_and_limits(sandbox):
    token = password_token(sandbox)
    http = sandbox.http
    auth = {"Authorization": "Bearer " + token["access_token"]}
    jobs = f"{token['instance_url']}/services/data/v{API}/jobs/query"
    before = http.get(f"{token['instance_url']}/services/data/v{API}/limits", headers=auth).json()["DailyBulkV2QueryJobs"]
    sandbox.control("salesforce", "POST", "app/bulk_query", {"pollsToComplete": 3})
    try:
        created = http.post(jobs, json={"operation": "query", "query": "SELECT Id, Name FROM Account"}, headers=auth)
        assert created.status_code == 200, created.text
        job = created.json()
        assert job["state"] == "UploadComplete" and job["object"] == "Account" and job["id"].startswith("750")
        early = http.get(f"{jobs}/{job['id']}/results", headers=auth)
        assert early.status_code == 400 and early.json()[0]["errorCode"] == "INVALIDJOBSTATE"
        states = [http.get(f"{jobs}/{job['id']}", headers=auth).json()["state"] for _ in range(4)]
        assert states == ["InProgress", "InProgress", "JobComplete", "JobComplete"]
        info = http.get(f"{jobs}/{job['id']}", headers=auth).json()
        assert info["jobType"] == "V2Query" and info["numberRecordsProcessed"] > 2
    finally:
        sandbox.control("salesforce", "POST", "app/bulk_query", {"pollsToComplete": 2})

    first = http.get(f"{jobs}/{job['id']}/results", params={"maxRecords": 2}, headers=auth)
    assert first.status_code == 200 and first.headers["Content-Type"].startswith("text/csv")
    assert first.headers["Sforce-NumberOfRecords"] == "2" and first.headers["Sforce-Locator"] not in ("", "null")
    assert first.text.splitlines()[0] == '"Id","Name"' and len(first.text.splitlines()) == 3
    seen, locator = 2, first.headers["Sforce-Locator"]
    while locator != "null":
        page = http.get(f"{jobs}/{job['id']}/results", params={"maxRecords": 1000, "locator": locator}, headers=auth)
        seen += int(page.headers["Sforce-NumberOfRecords"])
        locator = page.headers["Sforce-Locator"]
    assert seen == info["numberRecordsProcessed"]

    listed = http.get(jobs, headers=auth).json()
    assert listed["done"] is True and job["id"] in [j["id"] for j in listed["records"]]
    running = http.post(jobs, json={"operation": "queryAll", "query": "SELECT Id FROM Contact"}, headers=auth).json()
    refused = http.delete(f"{jobs}/{running['id']}", headers=auth)
    assert refused.status_code == 400 and refused.json()[0]["errorCode"] == "INVALIDJOBSTATE"
    aborted = http.patch(f"{jobs}/{running['id']}", json={"state": "Aborted"}, headers=auth)
    assert aborted.status_code == 200 and aborted.json()["state"] == "Aborted"
    assert http.delete(f"{jobs}/{running['id']}", headers=auth).status_code == 204
    gone = http.get(f"{jobs}/{running['id']}", headers=auth)
    assert gone.status_code == 404 and gone.json()[0]["errorCode"] == "NOT_FOUND"
    bad = http.post(jobs, json={"operation": "query", "query": "SELECT Nope FROM Account"}, headers=auth)
    assert bad.status_code == 400 and "No such column 'Nope'" in bad.json()[0]["message"]
    after = http.get(f"{token['instance_url']}/services/data/v{API}/limits", headers=auth).json()["DailyBulkV2QueryJobs"]
    assert after["Max"] == 10000 and after["Remaining"] == before["Remaining"] - 2


@pytest.mark.parametrize("state, code", [
    ("api_disabled", "API_DISABLED_FOR_ORG"),        # an edition without API access (Professional without the add-on)
    ("user_api_disabled", "API_DISABLED_FOR_ORG"),   # a user whose profile lacks "API Enabled": REST answers the same
    ("password_expired", "INVALID_OPERATION_WITH_EXPIRED_PASSWORD"),
])
def test_account_states_a_check_must_report(sandbox, state, code):
    sandbox.control("salesforce", "POST", "app/account_state", {"state": state})
    try:
        token = password_token(sandbox)  # OAuth still issues a session
        identity = sandbox.http.get(token["id"], headers={"Authorization": "Bearer " + token["access_token"]})
        assert identity.status_code == 200 and identity.json()["organization_id"]
        with pytest.raises(SalesforceRefusedRequest) as refused:
            client(sandbox, token).query("SELECT Id FROM Account LIMIT 1")
        assert refused.value.status == 403 and refused.value.content[0]["errorCode"] == code
    finally:
        sandbox.control("salesforce", "POST", "app/account_state", {"state": "ok"})
    assert client(sandbox).query("SELECT Id FROM Account LIMIT 1")["totalSize"] == 1


def test_composite_runs_subrequests_with_references_and_all_or_none(sf):
    base = f"/services/data/v{API}"
    answer = sf.restful("composite", method="POST", json={"allOrNone": False, "compositeRequest": [
        {"method": "POST", "url": f"{base}/sobjects/Account", "referenceId": "newAccount", "body": {"Name": "Composite Co"}},
        {"method": "POST", "url": f"{base}/sobjects/Contact", "referenceId": "newContact",
         "body": {"LastName": "Composite", "AccountId": "@{newAccount.id}"}},
        {"method": "GET", "url": f"{base}/query?q=SELECT+Id,AccountId+FROM+Contact+WHERE+Id='@{{newContact.id}}'", "referenceId": "check"},
        {"method": "GET", "url": f"{base}/sobjects/Account/@{{check.records[0].AccountId}}?fields=Name", "referenceId": "account"},
    ]})["compositeResponse"]
    assert [r["httpStatusCode"] for r in answer] == [201, 201, 200, 200]
    assert answer[0]["httpHeaders"]["Location"] == f"{base}/sobjects/Account/{answer[0]['body']['id']}"
    assert answer[3]["body"]["Name"] == "Composite Co"
    rolled = sf.restful("composite", method="POST", json={"allOrNone": True, "compositeRequest": [
        {"method": "POST", "url": f"{base}/sobjects/Account", "referenceId": "kept", "body": {"Name": "Rolled Back Co"}},
        {"method": "POST", "url": f"{base}/sobjects/Contact", "referenceId": "bad", "body": {"FirstName": "No last name"}},
    ]})["compositeResponse"]
    assert [r["httpStatusCode"] for r in rolled] == [400, 400]
    assert rolled[0]["body"][0]["errorCode"] == "PROCESSING_HALTED" and rolled[1]["body"][0]["errorCode"] == "REQUIRED_FIELD_MISSING"
    assert sf.query("SELECT COUNT() FROM Account WHERE Name = 'Rolled Back Co'")["totalSize"] == 0


def test_composite_batch_and_halt_on_error(sf):
    answer = sf.restful("composite/batch", method="POST", json={"haltOnError": True, "batchRequests": [
        {"method": "GET", "url": f"v{API}/limits"},
        {"method": "PATCH", "url": f"v{API}/sobjects/Account/001Hs000000zzzzIAA", "richInput": {"Name": "x"}},
        {"method": "GET", "url": f"v{API}/sobjects/Account/describe"},
    ]})
    assert answer["hasErrors"] is True
    assert [r["statusCode"] for r in answer["results"]] == [200, 404, 412]
    assert answer["results"][2]["result"][0]["errorCode"] == "BATCH_PROCESSING_HALTED"


def test_restricted_picklists_and_number_ranges_are_enforced(sf):
    with pytest.raises(SalesforceMalformedRequest) as picklist:
        sf.Account.create({"Name": "Geo", "BillingGeocodeAccuracy": "Somewhere"})
    assert picklist.value.content[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert picklist.value.content[0]["fields"] == ["BillingGeocodeAccuracy"]
    # Unrestricted picklists take any value, as in Salesforce.
    assert sf.Account.create({"Name": "Any Industry", "Industry": "Space Mining"})["success"] is True
    with pytest.raises(SalesforceMalformedRequest) as number:
        sf.Opportunity.create({"Name": "Huge", "StageName": "Prospecting", "CloseDate": "2024-01-01", "Probability": 1000})
    assert number.value.content[0]["errorCode"] == "NUMBER_OUTSIDE_VALID_RANGE"
    rounded = sf.Opportunity.create({"Name": "Rounded", "StageName": "Prospecting", "CloseDate": "2024-01-01", "Amount": 10.456})
    assert sf.Opportunity.get(rounded["id"])["Amount"] == 10.46


def test_long_uris_and_malformed_soql_answer_as_salesforce_does(sf):
    ids = ",".join(["'003Hs000000000AIAQ'"] * 1000)
    with pytest.raises(SalesforceGeneralError) as long:
        sf.query(f"SELECT Id FROM Contact WHERE Id IN ({ids})")
    assert long.value.status == 414 and long.value.content[0]["errorCode"] == "URI_TOO_LONG"
    with pytest.raises(SalesforceMalformedRequest) as bad:
        sf.query("SELECT Id FROM Contact WHER Id = '1'")
    assert bad.value.content[0]["errorCode"] == "MALFORMED_QUERY"
    assert bad.value.content[0]["message"].endswith("\n" + " " * 23 + "^\nERROR at Row:1:Column:24\nunexpected token: 'WHER'")


# Standard field counts of a current Enterprise Edition org (plus the flows' custom fields).
REALISTIC_FIELD_COUNTS = {"Account": (55, 75), "Contact": (55, 75), "Lead": (50, 70), "Opportunity": (30, 50), "Task": (35, 55)}


def test_describe_lists_compound_fields_and_realistic_standard_fields(sf):
    described = {name: {f["name"]: f for f in getattr(sf, name).describe()["fields"]} for name in REALISTIC_FIELD_COUNTS}
    for name, (low, high) in REALISTIC_FIELD_COUNTS.items():
        assert low <= len(described[name]) <= high, (name, len(described[name]))
    account, contact, lead = described["Account"], described["Contact"], described["Lead"]
    for fields, compound, prefix in [(account, "BillingAddress", "Billing"), (account, "ShippingAddress", "Shipping"),
                                     (contact, "MailingAddress", "Mailing"), (contact, "OtherAddress", "Other"), (lead, "Address", "")]:
        assert fields[compound]["type"] == "address" and fields[compound]["soapType"] == "urn:address"
        assert not fields[compound]["createable"] and not fields[compound]["updateable"] and not fields[compound]["filterable"]
        for part in ("Street", "City", "State", "PostalCode", "Country", "Latitude", "Longitude", "GeocodeAccuracy"):
            assert fields[prefix + part]["compoundFieldName"] == compound
    assert contact["FirstName"]["compoundFieldName"] == "Name" and contact["Name"]["compoundFieldName"] is None
    assert account["Name"]["nillable"] is False and account["Name"]["createable"] is True
    assert account["NumberOfEmployees"]["type"] == "int" and account["AnnualRevenue"]["type"] == "currency"
    assert account["Description"]["type"] == "textarea" and account["Description"]["length"] == 32000
    assert account["BillingLatitude"]["scale"] == 15 and account["Phone"]["length"] == 40
    assert "Technology" in [v["value"] for v in account["Industry"]["picklistValues"]]
    assert account["OwnerId"]["referenceTo"] == ["User"] and account["OwnerId"]["relationshipName"] == "Owner"
    assert described["Task"]["WhoId"]["referenceTo"] == ["Contact", "Lead"] and described["Task"]["WhoId"]["polymorphicForeignKey"]
    assert account["IsDeleted"]["createable"] is False and account["SystemModstamp"]["updateable"] is False


def test_queries_return_compound_addresses_and_realistic_payloads(sf):
    record = sf.query("SELECT Id, BillingAddress, BillingCity, BillingCountry FROM Account WHERE BillingCity != null LIMIT 1")["records"][0]
    address = record["BillingAddress"]
    assert set(address) == {"city", "country", "geocodeAccuracy", "latitude", "longitude", "postalCode", "state", "street"}
    assert address["city"] == record["BillingCity"] and address["country"] == record["BillingCountry"]
    fields = [f["name"] for f in sf.Account.describe()["fields"]]
    full = sf.query("SELECT FIELDS(ALL) FROM Account LIMIT 20")["records"]
    assert all(set(r) - {"attributes"} == set(fields) for r in full)
    assert min(sum(v is not None for k, v in r.items() if k != "attributes") for r in full) >= 20
    by_id = sf.Account.get(full[0]["Id"])
    assert set(by_id) - {"attributes"} == set(fields) and isinstance(by_id["BillingAddress"], (dict, type(None)))
    with pytest.raises(SalesforceMalformedRequest) as refused:
        sf.query("SELECT Id FROM Account WHERE BillingAddress != null")
    assert refused.value.content[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceMalformedRequest) as read_only:
        sf.Account.create({"Name": "Compound", "BillingAddress": {"city": "Paris"}})
    assert read_only.value.content[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


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
    # Bulk API 2.0 and Bulk API Developer Guide › Query Jobs
    ("POST", "/services/data/{v}/jobs/query"),                        # Create a Query Job
    ("GET", "/services/data/{v}/jobs/query"),                         # Get Information About All Query Jobs
    ("GET", "/services/data/{v}/jobs/query/{id}"),                    # Get Information About a Query Job
    ("PATCH", "/services/data/{v}/jobs/query/{id}"),                  # Abort a Query Job
    ("DELETE", "/services/data/{v}/jobs/query/{id}"),                 # Delete a Query Job
    ("GET", "/services/data/{v}/jobs/query/{id}/results"),            # Get Results for a Query Job
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
