"""A Python client written like the provider's quick-start (requests), run
against astudio-mock: one generation to the end, then 400, 401, 402, 404 and
429, each asserted on status and body. Exit code 0 means all held.

    ARTIFICIAL_STUDIO_BASE_URL=http://127.0.0.1:8080 python quickstart.py
"""

import os
import time

import requests

BASE_URL = os.environ.get("ARTIFICIAL_STUDIO_BASE_URL", "http://127.0.0.1:8080")
API_KEY = "demo-pro-key"

headers = {"Authorization": API_KEY, "Content-Type": "application/json"}

# 1. Start a generation.
response = requests.post(
    f"{BASE_URL}/api/run",
    headers=headers,
    json={"tool": "create-image", "input": {"prompt": "a cat wearing a hat"}},
)
assert response.status_code == 202, response.text
generation_id = response.json()["id"]

# 2. Poll until it is finished.
for _ in range(200):
    generation = requests.get(f"{BASE_URL}/api/generations/{generation_id}", headers=headers).json()
    if generation["status"] in ("success", "error"):
        break
    time.sleep(0.05)
assert generation["status"] == "success", generation
assert generation["type"] == "image"

# 3. Download the result.
image = requests.get(generation["output"])
assert image.status_code == 200
assert image.content[:8] == b"\x89PNG\r\n\x1a\n", "output is a PNG"
print(f"ok: {generation_id} succeeded, {len(image.content)} byte PNG")


def run(body, key=API_KEY):
    return requests.post(f"{BASE_URL}/api/run", headers={**headers, "Authorization": key}, json=body)


# 400: a required input field is missing, and an unknown field is sent.
r = run({"tool": "create-image", "input": {"colour": "red"}})
assert r.status_code == 400, r.text
body = r.json()
assert body["message"] == "Validation failed"
assert {"field": "input.prompt", "message": "Required", "code": "invalid_type"} in body["errors"], body
assert any(e["field"] == "input.colour" and e["code"] == "unrecognized_keys" for e in body["errors"]), body
print("ok: 400", [e["field"] for e in body["errors"]])

# 401: no key, then a key with the Bearer prefix the API does not use.
r = requests.get(f"{BASE_URL}/api/account")
assert r.status_code == 401 and r.json() == {"message": "Authorization header is required"}, r.text
r = requests.get(f"{BASE_URL}/api/account", headers={"Authorization": f"Bearer {API_KEY}"})
assert r.status_code == 401 and r.json() == {"message": "Invalid API key"}, r.text
print("ok: 401")

# 402: no credits left; the balance is unchanged.
r = run({"tool": "create-image", "input": {"prompt": "x"}}, key="demo-empty-key")
assert r.status_code == 402, r.text
assert r.json() == {"message": "You do not have enough credits to perform this action"}
account = requests.get(f"{BASE_URL}/api/account", headers={"Authorization": "demo-empty-key"}).json()
assert account["credits"] == 0, account
print("ok: 402")

# 404: unknown tool, unknown generation, unknown endpoint.
r = run({"tool": "no-such-tool", "input": {"prompt": "x"}})
assert r.status_code == 404 and r.json() == {"message": "Tool not found"}, r.text
r = requests.get(f"{BASE_URL}/api/generations/{'0' * 24}", headers=headers)
assert r.status_code == 404 and r.json() == {"message": "Generation not found"}, r.text
r = requests.get(f"{BASE_URL}/api/nothing-here", headers=headers)
assert r.status_code == 404 and r.json() == {"message": "Not found"}, r.text
print("ok: 404")

# 429: more requests in a minute than the free plan allows.
free = {"Authorization": "demo-free-key"}
limit = int(requests.get(f"{BASE_URL}/api/tools", headers=free).headers["X-RateLimit-Limit"])
for _ in range(limit + 5):
    r = requests.get(f"{BASE_URL}/api/tools", headers=free)
    if r.status_code == 429:
        break
assert r.status_code == 429, f"no 429 after {limit + 5} requests"
assert r.json() == {"message": "Too many API requests, please try again later"}
assert int(r.headers["Retry-After"]) > 0
print(f"ok: 429 after {limit} requests a minute")
print("python client: all assertions held")
