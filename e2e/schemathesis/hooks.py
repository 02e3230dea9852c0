"""ModelArts-specific checks that schemathesis runs on every response of the emulator.

The OpenAPI document says what a response may look like; these add what the
real service guarantees on top: error bodies carry a ModelArts or API gateway
code, every answer has a request ID, and no credential is ever echoed back.
"""

import os
import re

import schemathesis

ERROR_CODE = re.compile(r"^(ModelArts|APIG)\.\d{4}$")
REQUEST_ID = re.compile(r"^[0-9a-f]{32}$")
# The token the run sends; unique per run so that finding it in a response means it was echoed.
SECRET = os.environ.get("MODELARTS_FUZZ_SECRET", "")


@schemathesis.check
def modelarts_error_body(ctx, response, case):
    """Every error answer is a ModelArts error body; a bad request is ModelArts.0104."""
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body, dict), f"error body is not a JSON object: {response.text[:200]!r}"
    code = body.get("error_code")
    assert isinstance(code, str) and ERROR_CODE.match(code), f"error_code {code!r} is not ModelArts.NNNN or APIG.NNNN"
    assert isinstance(body.get("error_msg"), str) and body["error_msg"], "error_msg is missing or empty"
    if response.status_code == 400:
        assert code == "ModelArts.0104", f"HTTP 400 with {code!r} instead of ModelArts.0104"
    if response.status_code == 401:
        assert code.startswith("APIG.") or code == "ModelArts.6620", f"HTTP 401 with {code!r}"


@schemathesis.check
def request_id_header(ctx, response, case):
    """Every answer, error or not, quotes a request ID for support tickets."""
    value = response.headers.get("x-request-id")
    value = value[0] if isinstance(value, list) else value
    assert value and REQUEST_ID.match(value), f"X-Request-Id is {value!r}, not 32 hex characters"


@schemathesis.check
def no_credential_echo(ctx, response, case):
    """The token the client sent never comes back, in the body or in a header."""
    if not SECRET:
        return
    assert SECRET not in response.text, "the response body contains the X-Auth-Token value"
    for name, values in response.headers.items():
        for value in values if isinstance(values, list) else [values]:
            assert SECRET not in value, f"the response header {name} contains the X-Auth-Token value"
