"""The dashboard of `crosswalk serve` in a real headless browser (Debian's chromium and chromedriver,
driven by selenium): log in with the admin token, click a flow's on/off toggle and check that the
admin API reports the change (and back), make a record fail (a HubSpot contact whose e-mail Aritic
refuses), click "Run now", then fix the contact and click its Retry button and check that the failed
list changed. Screenshots go to .build-fidelity/artifacts/dashboard/ and are inspected with Pillow:
the toggle's colour changes, the chart has bars of the synced and failed colours.

The deployment is what `crosswalk init --template hubspot-contacts-to-aritic` writes against a
`crosswalk sandbox --no-tls` of this test's own, plus an admin token in an environment variable.
Every wait is a readiness check with a timeout (no sleeps).
"""
import json
import os
import queue
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading

import pytest
import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTIFACTS = os.environ.get("CROSSWALK_ARTIFACTS", os.path.join(ROOT, ".build-fidelity", "artifacts", "dashboard"))
FLOW = "hubspot-contacts-to-aritic"
# The dashboard's colours (Sources/CrosswalkService/Dashboard): toggle on/off, chart synced/failed.
TOGGLE_ON = (0x1A, 0x73, 0xE8)
TOGGLE_OFF = (0x9A, 0xA0, 0xA6)
SYNCED = (0x1F, 0x9D, 0x55)
FAILED = (0xD9, 0x30, 0x25)


def _crosswalk():
    command = os.environ.get("CROSSWALK_SANDBOX_CMD", "")
    binary = shlex.split(command)[0] if command else ""
    if not binary or not os.path.exists(binary):
        pytest.skip("no crosswalk binary (CROSSWALK_SANDBOX_CMD)")
    return binary


def _browser_binaries():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        message = "Debian's chromium and chromium-driver are needed (scripts/setup.sh installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return chromium, driver


class Lines:
    """A process's stdout, line by line, read on a thread."""

    def __init__(self, process):
        self.queue = queue.Queue()
        threading.Thread(target=lambda: [self.queue.put(l) for l in process.stdout] + [self.queue.put(None)], daemon=True).start()

    def wait_for(self, text, timeout=60):
        seen = []
        while True:
            try:
                line = self.queue.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no line with {text!r} within {timeout} s: {seen[-20:]!r}")
            if line is None:
                pytest.fail(f"the process ended before printing {text!r}: {seen[-20:]!r}")
            seen.append(line)
            if text in line:
                return line


def _free_port_run(count):
    """A first port P with P..P+count-1 free on loopback (the sandbox binds them next)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65535:
            continue
        held = []
        try:
            for port in range(base, base + count):
                t = socket.socket()
                held.append(t)
                t.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for t in held:
                t.close()
    pytest.fail("no run of free ports")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    return process.returncode


@pytest.fixture(scope="module")
def deployment():
    binary = _crosswalk()
    folder = tempfile.mkdtemp(prefix="crosswalk-dashboard-")
    port = _free_port_run(5)
    sandbox = subprocess.Popen([binary, "sandbox", "--port", str(port), "--no-tls", "--seed", "7"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    service = None
    try:
        ready = json.loads(Lines(sandbox).wait_for('"ready":true'))
        hubspot_url = ready["apps"]["hubspot"]
        run = lambda *args, **kw: subprocess.run([binary, *args], check=True, capture_output=True, text=True, **kw)
        run("init", "--template", FLOW, "--dir", folder, "--sandbox-port", str(port))
        config = os.path.join(folder, "crosswalk.yaml")
        with open(config, "a") as f:
            f.write("service:\n  admin_token: {env: CW_DASHBOARD_TOKEN}\n")
        run("vault", "init", "--config", config)
        credentials = {}
        for name in ("hubspot", "aritic"):
            path = os.path.join(folder, "credentials", name + ".json")
            with open(path) as f:
                credentials[name] = json.load(f)
            with open(path) as f:
                run("connections", "add", name, "--config", config, stdin=f)
        token = secrets.token_hex(24)
        service = subprocess.Popen([binary, "serve", "--config", config, "--listen", "127.0.0.1:0"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
                                   env={**os.environ, "CW_DASHBOARD_TOKEN": token})
        url = json.loads(Lines(service).wait_for('"ready":true'))["url"]
        key = credentials["hubspot"]["parameters"]["key"]
        yield {"url": url, "token": token, "hubspot": hubspot_url, "hubspot_auth": {"Authorization": f"Bearer {key}"}}
        assert _stop(service) == 0, "crosswalk serve stops with 0 on SIGTERM"
    finally:
        if service is not None:
            _stop(service)
        _stop(sandbox)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, driver = _browser_binaries()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,2400",
                "--force-device-scale-factor=1", "--hide-scrollbars", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    os.makedirs(ARTIFACTS, exist_ok=True)
    web = webdriver.Chrome(service=Service(executable_path=driver, log_output=os.path.join(ARTIFACTS, "chromedriver.log")), options=options)
    web.set_page_load_timeout(60)
    yield web
    web.quit()


def _api(d, method, path, **kw):
    response = requests.request(method, d["url"] + path, headers={"Authorization": f"Bearer {d['token']}"}, timeout=120, **kw)
    return response


def _shot(web, name):
    """Saves a screenshot of the viewport (the window is tall enough for each page) and opens it with Pillow."""
    from PIL import Image

    path = os.path.join(ARTIFACTS, name + ".png")
    assert web.save_screenshot(path), path
    image = Image.open(path).convert("RGB")
    assert image.width >= 1000, image.size
    return image


def _region(image, element, inset=2):
    r = element.rect
    box = (int(r["x"]) + inset, int(r["y"]) + inset, int(r["x"] + r["width"]) - inset, int(r["y"] + r["height"]) - inset)
    assert box[2] > box[0] and box[3] > box[1], f"{element} has no area: {r}"
    assert box[3] <= image.height, f"{r} is below the screenshot ({image.size}); make the window taller"
    return image.crop(box)


def _count(image, colour, tolerance=24):
    return sum(1 for p in image.getdata() if all(abs(a - b) <= tolerance for a, b in zip(p, colour)))


def _dominant(image):
    """The most frequent colour of an image."""
    return max(image.getcolors(image.width * image.height), key=lambda c: c[0])[1]


def _close(colour, wanted, tolerance=24):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted))


def test_dashboard_toggle_retry_and_screenshots(deployment, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    d, web = deployment, browser
    wait = WebDriverWait(web, 60)

    def page(path, ready_id):
        web.get(d["url"] + path)
        return wait.until(EC.presence_of_element_located((By.ID, ready_id)))

    def submit(button_id, ready_id):
        """Clicks a form's button and waits for the page it leads to."""
        button = web.find_element(By.ID, button_id)
        button.click()
        wait.until(EC.staleness_of(button))
        return wait.until(EC.presence_of_element_located((By.ID, ready_id)))

    # Not logged in: the login page. A wrong token is refused; the right one opens the flows.
    page("/dashboard", "token")
    assert "/dashboard/login" in web.current_url
    web.find_element(By.ID, "token").send_keys("certainly-not-the-token")
    submit("login", "login-error")
    web.find_element(By.ID, "token").send_keys(d["token"])
    submit("login", "flows")
    assert d["token"] not in web.page_source
    cookie = web.get_cookie("crosswalk_session")
    assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie

    # The toggle: on (the template's default), click → off as the API reports, and its colour changes.
    toggle = web.find_element(By.ID, f"toggle-{FLOW}")
    assert toggle.text == "On"
    on_colour = _dominant(_region(_shot(web, "01-flows-on"), toggle))
    assert _close(on_colour, TOGGLE_ON), on_colour
    toggle = submit(f"toggle-{FLOW}", f"toggle-{FLOW}")
    wait.until(lambda _: web.find_element(By.ID, f"toggle-{FLOW}").text == "Off")
    assert _api(d, "GET", f"/api/v1/flows/{FLOW}").json()["enabled"] is False
    assert f"{FLOW} is now off." in web.find_element(By.ID, "notice").text
    off_colour = _dominant(_region(_shot(web, "02-flows-off"), web.find_element(By.ID, f"toggle-{FLOW}")))
    assert _close(off_colour, TOGGLE_OFF) and not _close(off_colour, on_colour), off_colour
    submit(f"toggle-{FLOW}", f"toggle-{FLOW}")
    wait.until(lambda _: web.find_element(By.ID, f"toggle-{FLOW}").text == "On")
    flow = _api(d, "GET", f"/api/v1/flows/{FLOW}").json()
    assert flow["enabled"] is True and flow["enabled_by"] == "api", flow

    # A record the target refuses: Aritic wants a valid e-mail. Run the flow from its page.
    created = requests.post(d["hubspot"] + "/crm/v3/objects/contacts", headers=d["hubspot_auth"], timeout=30,
                            json={"properties": {"email": "broken-address@nodot", "firstname": "Broken", "lastname": "Browser"}})
    assert created.status_code in (200, 201), created.text
    bad = created.json()["id"]
    page(f"/dashboard/flows/{FLOW}", "run-now")
    submit("run-now", "runs")
    assert "Run " in web.find_element(By.ID, "notice").text
    runs = _api(d, "GET", f"/api/v1/flows/{FLOW}/runs").json()["items"]
    assert runs and runs[0]["counts"]["failed"] == 1 and runs[0]["counts"]["created"] > 10, runs[:1]

    # The chart has bars of the synced colour, and of the failed one.
    page("/dashboard", "chart")
    shot = _shot(web, "03-flows-chart")
    chart = _region(shot, web.find_element(By.ID, "chart"))
    synced, failed = _count(chart, SYNCED, 10), _count(chart, FAILED, 10)
    assert synced > 50, f"the chart has {synced} pixels of the synced colour"
    assert failed > 0, f"the chart has {failed} pixels of the failed colour"
    assert _count(_region(shot, web.find_element(By.ID, "flows")), SYNCED, 10) < synced, "the bars are in the chart"

    # The sync log shows the failure and its reason.
    page(f"/dashboard/log?flow={FLOW}&outcome=failed", "log")
    log = web.find_element(By.ID, "log").text
    assert f"hubspot Contact {bad}" in log and "valid email" in log, log[:2000]
    _shot(web, "04-log-failed")

    # Failed records: the one with its Retry button. Fix the e-mail in HubSpot, click Retry: the list changed.
    page("/dashboard/failed", f"retry-{bad}")
    before = _shot(web, "05-failed-before")
    rows = web.find_elements(By.CSS_SELECTOR, "tr.failed-record")
    assert [r.get_attribute("data-record") for r in rows] == [bad]
    button_colour = _dominant(_region(before, web.find_element(By.ID, f"retry-{bad}")))
    fixed = requests.patch(d["hubspot"] + f"/crm/v3/objects/contacts/{bad}", headers=d["hubspot_auth"], timeout=30,
                           json={"properties": {"email": "fixed.browser@example.com"}})
    assert fixed.status_code == 200, fixed.text
    submit(f"retry-{bad}", "notice")
    assert f"Retried {bad} of {FLOW}: synced" in web.find_element(By.ID, "notice").text
    assert web.find_elements(By.CSS_SELECTOR, "tr.failed-record") == []
    assert _api(d, "GET", f"/api/v1/flows/{FLOW}/failed").json()["items"] == []
    after = _shot(web, "06-failed-after")
    # The button's colour was on the page before and is gone from where it stood.
    assert _count(after, button_colour, 4) < _count(before, button_colour, 4)

    # Connections: test HubSpot, its health turns OK.
    page("/dashboard/connections", "test-hubspot")
    submit("test-hubspot", "notice")
    row = web.find_element(By.ID, "connection-hubspot").text
    assert "OK" in row and "requests free now" in row, row
    _shot(web, "07-connections")

    # The ID map: the fixed record's twin in Aritic.
    page(f"/dashboard/idmap?connection=hubspot&object=Contact&id={bad}", "twins")
    assert "aritic Contact" in web.find_element(By.ID, "twins").text
    _shot(web, "08-idmap")
    assert d["token"] not in web.page_source
