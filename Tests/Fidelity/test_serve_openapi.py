"""schemathesis against `crosswalk serve`: generated requests for every operation of the admin API's
OpenAPI document (Sources/CrosswalkService/openapi.yaml), checked for no 5xx and for answers that
match the document (status codes, content types, response schemas).

The service runs a deployment with no connections and no flows (the Swift end-to-end test drives a
real flow): every path and query parameter is still generated and validated, unknown flows and runs
answer 404, bad input 400, and a request without the token 401.
"""
import json
import os
import queue
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import threading

import pytest


def _crosswalk():
    command = os.environ.get("CROSSWALK_SANDBOX_CMD", "")
    binary = shlex.split(command)[0] if command else ""
    if not binary or not os.path.exists(binary):
        pytest.skip("no crosswalk binary (CROSSWALK_SANDBOX_CMD)")
    return binary


@pytest.fixture(scope="module")
def service():
    binary = _crosswalk()
    folder = tempfile.mkdtemp(prefix="crosswalk-serve-")
    config = os.path.join(folder, "crosswalk.yaml")
    with open(config, "w") as f:
        f.write("version: 1\nstore: {sqlite: ./crosswalk.db}\nvault: {key_file: ./vault.key}\n"
                "service: {admin_token: {env: CW_FIDELITY_ADMIN_TOKEN}}\n")
    subprocess.run([binary, "vault", "init", "--config", config], check=True, capture_output=True)
    token = secrets.token_hex(24)
    process = subprocess.Popen([binary, "serve", "--config", config, "--listen", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "CW_FIDELITY_ADMIN_TOKEN": token})
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in process.stdout] + [lines.put(None)], daemon=True).start()
    url = None
    while url is None:
        line = lines.get(timeout=60)
        if line is None:
            pytest.fail("crosswalk serve exited: " + process.stderr.read())
        if '"ready":true' in line:
            url = json.loads(line)["url"]
    yield url, token
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, "crosswalk serve stops with 0 on SIGTERM"


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_document(service):
    url, token = service
    st = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    result = subprocess.run(
        [st, "run", url + "/api/v1/openapi.yaml", "--url", url,
         "-H", f"Authorization: Bearer {token}",
         "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
         "--max-examples", "25", "--seed", "1", "--no-color"],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    selected = re.search(r"Operations:\s+(\d+) selected", result.stdout)
    assert selected and int(selected.group(1)) >= 20, result.stdout[-3000:]
