"""The `netsuite` package (REST record service and SuiteQL, token-based authentication signed by authlib)
against the sandbox's NetSuite emulator."""
import asyncio
import json
import uuid

import pytest
from netsuite import Config, NetSuiteRestApi, TokenAuth
from netsuite.exceptions import NetsuiteAPIRequestError


class SandboxRestApi(NetSuiteRestApi):
    """The package has no base-URL option: send its requests to the sandbox instead of <account>.suitetalk.api.netsuite.com."""

    def __init__(self, config, base_url, **options):
        super().__init__(config, **options)
        self._base_url = base_url

    def _make_url(self, subpath):
        return f"{self._base_url}/services/rest{subpath}"


def rest_api(sandbox, **overrides):
    creds = {**sandbox.credentials["netsuite"], **overrides}
    config = Config(account=creds["account_id"], auth=TokenAuth(
        consumer_key=creds["consumer_key"], consumer_secret=creds["consumer_secret"],
        token_id=creds["token_id"], token_secret=creds["token_secret"]))
    return SandboxRestApi(config, sandbox.url("netsuite"))


@pytest.fixture
def api(sandbox):
    return rest_api(sandbox)


def run(coroutine):
    return asyncio.run(coroutine)


def unique(prefix):
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def error_code(error):
    return json.loads(error.response_text)["o:errorDetails"][0]["o:errorCode"]


def test_record_post_get_patch_and_delete(api):
    name = unique("Lovelace Analytics")
    external_id = "FID-" + uuid.uuid4().hex[:8]
    created = run(api.request("POST", "/record/v1/customer", json={"companyName": name, "externalId": external_id,
                                                                   "email": "ap@lovelace.example"}))
    assert created.status_code == 204, created.text
    customer_id = created.headers["Location"].rsplit("/", 1)[1]
    assert customer_id.isdigit()

    customer = run(api.get(f"/record/v1/customer/{customer_id}"))
    assert customer["id"] == customer_id
    assert customer["companyName"] == name
    assert customer["subsidiary"]["id"] and customer["subsidiary"]["refName"]
    assert customer["isInactive"] is False

    run(api.post("/record/v1/contact", json={"firstName": "Ada", "lastName": "Lovelace", "company": {"id": customer_id}}))
    contacts = run(api.get("/record/v1/contact", params={"q": f"company ANY_OF [{customer_id}]"}))
    assert contacts["totalResults"] == 1
    assert set(contacts["items"][0]) == {"links", "id"}
    contact = run(api.get(f"/record/v1/contact/{contacts['items'][0]['id']}"))
    assert contact["company"] == {"id": customer_id, "refName": name, "links": contact["company"]["links"]}

    assert run(api.patch(f"/record/v1/customer/eid:{external_id}", json={"phone": "+1 555 0100", "email": None})) is None
    patched = run(api.get(f"/record/v1/customer/eid:{external_id}"))
    assert patched["phone"] == "+1 555 0100" and "email" not in patched

    run(api.delete(f"/record/v1/contact/{contact['id']}"))
    run(api.delete(f"/record/v1/customer/{customer_id}"))
    with pytest.raises(NetsuiteAPIRequestError) as missing:
        run(api.get(f"/record/v1/customer/{customer_id}"))
    assert missing.value.status_code == 404
    assert error_code(missing.value) == "NONEXISTENT_ID"


def test_put_upserts_by_external_id(api):
    external_id = "FID-UP-" + uuid.uuid4().hex[:8]
    first = run(api.request("PUT", f"/record/v1/customer/eid:{external_id}", json={"companyName": "Upserted"}))
    second = run(api.request("PUT", f"/record/v1/customer/eid:{external_id}", json={"companyName": "Upserted again"}))
    assert first.status_code == second.status_code == 204
    assert first.headers["Location"] == second.headers["Location"]
    assert run(api.get(f"/record/v1/customer/eid:{external_id}"))["companyName"] == "Upserted again"


def test_list_filters_with_q_and_pages(api):
    prefix = unique("Filtered")
    for n in range(3):
        run(api.post("/record/v1/customer", json={"companyName": f"{prefix} {n}"}))
    page = run(api.get("/record/v1/customer", params={"q": f'companyName START_WITH "{prefix}"', "limit": 2}))
    assert page["totalResults"] == 3 and page["count"] == 2 and page["hasMore"] is True
    assert [link["rel"] for link in page["links"]] == ["next", "last", "self"]
    rest = run(api.get("/record/v1/customer", params={"q": f'companyName START_WITH "{prefix}"', "limit": 2, "offset": 2}))
    assert rest["count"] == 1 and rest["hasMore"] is False
    with pytest.raises(NetsuiteAPIRequestError) as refused:
        run(api.get("/record/v1/customer", params={"q": "companyName GREATER 3"}))
    assert refused.value.status_code == 400 and error_code(refused.value) == "INVALID_PARAMETER"


def test_suiteql_pages_with_lower_case_string_values(api):
    first = run(api.suiteql("SELECT id, companyname, isinactive FROM customer ORDER BY id", limit=5, offset=0))
    assert first["count"] == 5 and first["hasMore"] is True and first["totalResults"] > 5
    row = first["items"][0]
    assert row["links"] == [] and isinstance(row["id"], str) and row["isinactive"] in ("T", "F")
    assert {link["rel"] for link in first["links"]} >= {"next", "self"}
    second = run(api.suiteql("SELECT id, companyname, isinactive FROM customer ORDER BY id", limit=5, offset=5))
    assert int(second["items"][0]["id"]) > int(first["items"][-1]["id"])
    invoices = run(api.suiteql("SELECT t.id, t.tranid, t.entity, BUILTIN.DF(t.entity) AS customer FROM transaction t "
                               "WHERE t.type = 'CustInvc' ORDER BY t.id DESC", limit=3))
    assert invoices["count"] == 3 and all(row["customer"] for row in invoices["items"])


def test_wrong_token_secret_is_refused_like_netsuite(sandbox):
    response = run(rest_api(sandbox, token_secret="0" * 64).request("GET", "/record/v1/customer"))
    assert response.status_code == 401
    account = sandbox.credentials["netsuite"]["account_id"]
    assert response.headers["WWW-Authenticate"] == (
        f'OAuth realm="{account}", error="token_rejected", error_description="Invalid login attempt."')
    body = response.json()
    assert body["title"] == "Unauthorized" and body["status"] == 401
    assert body["o:errorDetails"][0]["o:errorCode"] == "INVALID_LOGIN"


def test_realm_must_be_the_account_id(sandbox):
    account = sandbox.credentials["netsuite"]["account_id"]
    response = run(rest_api(sandbox, account_id=account.lower().replace("_", "-")).request("GET", "/record/v1/customer"))
    assert response.status_code == 401


def test_rate_limit_fault_answers_the_concurrency_429(sandbox, api):
    sandbox.control("netsuite", "POST", "faults", {"rate_limit_burst": 1})
    with pytest.raises(NetsuiteAPIRequestError) as limited:
        run(api.get("/record/v1/customer", params={"limit": 1}))
    assert limited.value.status_code == 429
    body = json.loads(limited.value.response_text)
    assert body["title"] == "Bad Request"
    assert body["o:errorDetails"][0]["o:errorCode"] == "CONCURRENCY_LIMIT_EXCEEDED"
    assert run(api.get("/record/v1/customer", params={"limit": 1}))["count"] == 1


def test_metadata_catalog_json_schema(api):
    schema = run(api.jsonschema("contact"))
    assert schema["properties"]["company"]["type"] == "object"
    assert schema["properties"]["lastModifiedDate"]["format"] == "date-time"


def test_a_slow_request_holds_its_slot_and_the_next_is_refused(sandbox, api):
    """Concurrency governance refuses, it does not queue: with a limit of 1 and every request slowed by 1.5 s,
    two requests sent together get one 200 and one 429."""
    sandbox.control("netsuite", "POST", "app/concurrency", {"limit": 1})
    sandbox.control("netsuite", "POST", "faults", {"latency_ms": 1500})

    async def both():
        return await asyncio.gather(api.request("GET", "/record/v1/customer?limit=1"),
                                    api.request("GET", "/record/v1/customer?limit=1"))
    try:
        statuses = sorted(r.status_code for r in run(both()))
    finally:
        sandbox.control("netsuite", "POST", "faults", {"latency_ms": 0})
        sandbox.control("netsuite", "POST", "app/concurrency", {"tier": "shared"})
    assert statuses == [200, 429]


def test_account_states_a_connector_check_meets(sandbox, api):
    try:
        sandbox.control("netsuite", "POST", "app/account", {"token_based_auth": False})
        with pytest.raises(NetsuiteAPIRequestError) as tba_off:
            run(api.get("/record/v1/customer", params={"limit": 1}))
        assert tba_off.value.status_code == 401 and error_code(tba_off.value) == "INVALID_LOGIN"

        sandbox.control("netsuite", "POST", "app/account", {"token_based_auth": True, "rest_web_services": False})
        with pytest.raises(NetsuiteAPIRequestError) as rest_off:
            run(api.get("/record/v1/customer", params={"limit": 1}))
        assert rest_off.value.status_code == 400 and error_code(rest_off.value) == "FEATURE_DISABLED"

        sandbox.control("netsuite", "POST", "app/account", {"rest_web_services": True, "permissions": {"invoice": "none"}})
        with pytest.raises(NetsuiteAPIRequestError) as no_permission:
            run(api.get("/record/v1/invoice", params={"limit": 1}))
        assert no_permission.value.status_code == 403 and error_code(no_permission.value) == "INSUFFICIENT_PERMISSION"
        assert run(api.get("/record/v1/customer", params={"limit": 1}))["count"] == 1
    finally:
        sandbox.control("netsuite", "POST", "app/account",
                        {"token_based_auth": True, "rest_web_services": True, "permissions": {"invoice": "full"}})


def test_a_bare_date_in_q_is_midnight_in_the_account_time_zone(sandbox, api):
    """A contact just created was modified today (account time): AFTER today's date finds it, a date-time one
    minute after now does not."""
    import datetime
    import zoneinfo
    sandbox.control("netsuite", "POST", "app/preferences", {"time_zone": "Pacific/Kiritimati"})
    try:
        run(api.post("/record/v1/contact", json={"firstName": "Grace", "lastName": unique("Hopper")}))
        local = datetime.datetime.now(zoneinfo.ZoneInfo("Pacific/Kiritimati"))
        today = f"{local.month}/{local.day}/{local.year}"
        found = run(api.get("/record/v1/contact", params={"q": f'lastModifiedDate AFTER "{today}"'}))
        assert found["totalResults"] >= 1
        later = local + datetime.timedelta(minutes=2)
        stamp = f"{later.month}/{later.day}/{later.year} {later.strftime('%I:%M %p').lstrip('0').lower()}"
        assert run(api.get("/record/v1/contact", params={"q": f'lastModifiedDate AFTER "{stamp}"'}))["totalResults"] == 0
    finally:
        sandbox.control("netsuite", "POST", "app/preferences", {"time_zone": "America/Los_Angeles"})
