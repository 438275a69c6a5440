"""Starts the Crosswalk sandbox once per test session and hands its base URLs to the tests.

The command comes from CROSSWALK_SANDBOX_CMD, e.g. "/path/to/crosswalk sandbox --port 0 --seed 50".
It must print, on one stdout line, the readiness JSON (see SandboxReadiness in the Swift sources):

    {"ready": true, "apps": {"salesforce": "https://127.0.0.1:P", ...}, "ca_file": "/tmp/.../ca.pem",
     "credentials": {"salesforce": {"client_id": ..., ...}, ...}}
"""
import json
import os
import queue
import shlex
import signal
import subprocess
import threading

import pytest
import requests

READY_TIMEOUT_S = 20


class Sandbox:
    """A running sandbox: base URL, demo credentials and the test controls of each app."""

    def __init__(self, readiness, process):
        self.apps = readiness["apps"]
        self.ca_file = readiness.get("ca_file")
        self.credentials = readiness.get("credentials", {})
        self.process = process
        self.http = requests.Session()
        if self.ca_file:
            self.http.verify = self.ca_file

    def url(self, app, path=""):
        if app not in self.apps:
            pytest.skip(f"the sandbox does not serve {app}")
        return self.apps[app] + path

    def control(self, app, method, path, body=None):
        """Calls /__sandbox/<path> on the app's port and returns the decoded JSON."""
        response = self.http.request(method, self.url(app, "/__sandbox/" + path.lstrip("/")), json=body, timeout=30)
        response.raise_for_status()
        return response.json()


def _read_readiness(process):
    """The first stdout line holding {"ready": true, ...}, or a failure after READY_TIMEOUT_S."""
    lines = queue.Queue()

    def pump():
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=READY_TIMEOUT_S)
        except queue.Empty:
            pytest.fail(f"the sandbox printed no readiness line within {READY_TIMEOUT_S} s; stdout so far: {seen!r}")
        if line is None:
            pytest.fail(f"the sandbox exited with {process.wait()} before it was ready; stdout: {seen!r}")
        seen.append(line)
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict) and message.get("ready") is True:
            return message


@pytest.fixture(scope="session")
def sandbox():
    command = os.environ.get("CROSSWALK_SANDBOX_CMD")
    if not command:
        pytest.skip("set CROSSWALK_SANDBOX_CMD to the sandbox command, e.g. \"crosswalk sandbox --port 0 --seed 50\"")
    process = subprocess.Popen(shlex.split(command), stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        running = Sandbox(_read_readiness(process), process)
        previous = os.environ.get("REQUESTS_CA_BUNDLE")
        if running.ca_file:
            os.environ["REQUESTS_CA_BUNDLE"] = running.ca_file
        yield running
        if previous is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = previous
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
