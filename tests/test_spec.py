"""openapi.yaml: validity, the seven operations, auth, documented limits, errors, examples.

openapi.yaml is the single source of truth of the SDK (ziett_client/ and
ziett/_constraints.py are generated from it), so what the vendor's docs
(shared/seeds/000..003) promise is pinned here, on the spec itself.
"""

from __future__ import annotations

import copy
import difflib
import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
SPEC_URI = "urn:ziett:openapi"

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

EXPECTED_OPERATIONS = {
    ("post", "/c/v1/messages"): ("send_message", "messages"),
    ("get", "/c/v1/messages"): ("list_messages", "messages"),
    ("get", "/c/v1/messages/{message_id}"): ("retrieve_message", "messages"),
    ("post", "/c/v1/campaigns/batch"): ("create_batch_campaign", "campaigns"),
    ("get", "/c/v1/campaigns"): ("list_campaigns", "campaigns"),
    ("get", "/c/v1/campaigns/{campaign_id}"): ("retrieve_campaign", "campaigns"),
    ("get", "/c/v1/campaigns/{campaign_id}/messages"): ("list_campaign_messages", "campaigns"),
}
SENDS = {"send_message", "create_batch_campaign"}
RETRIEVES = {"retrieve_message", "retrieve_campaign"}


# -- helpers -------------------------------------------------------------------


def _resolve(node: Any) -> Any:
    """Follow local "#/..." $refs until a node without $ref."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"non-local $ref {ref!r}"
        assert ref not in seen, f"$ref cycle at {ref!r}"
        seen.add(ref)
        node = SPEC
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield method, path, operation


def _operation(operation_id: str) -> dict[str, Any]:
    found = [op for _, _, op in _operations() if op.get("operationId") == operation_id]
    assert len(found) == 1, f"{operation_id}: {len(found)} operations"
    return found[0]


def _parameters(operation_id: str) -> dict[str, dict[str, Any]]:
    params = [_resolve(p) for p in _operation(operation_id).get("parameters", [])]
    by_name = {p["name"]: p for p in params}
    assert len(by_name) == len(params), f"{operation_id}: duplicate parameter names"
    return by_name


def _schema(name: str) -> dict[str, Any]:
    return _resolve(SPEC["components"]["schemas"][name])


def _prop(schema_name: str, prop: str) -> dict[str, Any]:
    return _resolve(_schema(schema_name)["properties"][prop])


def _pointer(parts: tuple[str | int, ...]) -> str:
    escaped = (str(p).replace("~", "~0").replace("/", "~1") for p in parts)
    return "/" + "/".join(quote(p, safe="~") for p in escaped)


_REGISTRY = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(SPEC))


def _validator(parts: tuple[str | int, ...]) -> Draft202012Validator:
    """A 2020-12 validator for the schema at `parts`, "#/components/..." resolved in the spec."""
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{_pointer(parts)}"},
        registry=_REGISTRY,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _component_validator(schema_name: str) -> Draft202012Validator:
    return _validator(("components", "schemas", schema_name))


def _collect_examples(
    node: Any, parts: tuple[str | int, ...] = ()
) -> Iterator[tuple[str, Any, tuple[str | int, ...]]]:
    """(where, example value, pointer parts of its schema) for every example in the spec.

    Media types and parameters carry `examples` (a map of Example objects) or
    `example` next to `schema`; schemas carry JSON Schema `examples` (a list).
    """
    if isinstance(node, dict):
        examples = node.get("examples")
        if isinstance(examples, dict) and "schema" in node:
            for name, example in examples.items():
                example = _resolve(example)
                assert "value" in example, f"{_pointer(parts)}: example {name} has no value"
                yield f"{_pointer(parts)}:{name}", example["value"], (*parts, "schema")
        elif isinstance(examples, list):
            for i, value in enumerate(examples):
                yield f"{_pointer(parts)}:examples[{i}]", value, parts
        if "example" in node and "schema" in node:
            yield f"{_pointer(parts)}:example", node["example"], (*parts, "schema")
        for key, value in node.items():
            yield from _collect_examples(value, (*parts, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _collect_examples(value, (*parts, i))


ALL_EXAMPLES = list(_collect_examples(SPEC))


# -- validity and operations -----------------------------------------------------


def test_spec_is_a_valid_openapi_3_1_document() -> None:
    assert SPEC["openapi"].startswith("3.1")
    validate(SPEC)


def test_server_is_the_documented_base_url() -> None:
    assert [s["url"] for s in SPEC["servers"]] == ["https://api.ziett.co"]


def test_exactly_the_seven_operations() -> None:
    found = {(m, p) for m, p, _ in _operations()}
    assert found == set(EXPECTED_OPERATIONS)


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_OPERATIONS))
def test_operation_id_and_tag(method: str, path: str) -> None:
    operation = SPEC["paths"][path][method]
    operation_id, tag = EXPECTED_OPERATIONS[(method, path)]
    assert operation.get("operationId") == operation_id
    assert operation.get("tags") == [tag]
    assert {t["name"] for t in SPEC["tags"]} == {"messages", "campaigns"}


def test_operation_ids_are_unique() -> None:
    ids = [op["operationId"] for _, _, op in _operations()]
    assert len(ids) == len(set(ids)) == 7


def test_path_parameters_are_declared_and_required() -> None:
    for _, path, operation in _operations():
        in_path = set(re.findall(r"{([^}]+)}", path))
        declared = {
            p["name"] for p in map(_resolve, operation.get("parameters", [])) if p["in"] == "path"
        }
        assert declared == in_path, path
        for p in map(_resolve, operation.get("parameters", [])):
            if p["in"] == "path":
                assert p["required"] is True
                assert p["schema"]["type"] == "string"
                assert p["schema"].get("minLength") == 1


# -- security ----------------------------------------------------------------------


def test_security_scheme_is_the_x_api_key_header() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    assert set(schemes) == {"ApiKeyAuth"}
    scheme = schemes["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-KEY")


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_OPERATIONS))
def test_every_operation_requires_the_api_key(method: str, path: str) -> None:
    operation = SPEC["paths"][path][method]
    effective = operation.get("security", SPEC.get("security"))
    assert effective == [{"ApiKeyAuth": []}]


# -- documented limits -------------------------------------------------------------------


def test_send_message_bounds() -> None:
    schema = _schema("SendMessageRequest")
    assert set(schema["required"]) == {"remitter_id", "channel_type", "target_e164", "content"}
    assert set(schema["properties"]) == {*schema["required"], "save_contact"}
    content = _prop("SendMessageRequest", "content")
    assert content["type"] == "string"
    assert content["maxLength"] == 1600
    assert _prop("SendMessageRequest", "remitter_id")["format"] == "uuid"
    assert _prop("SendMessageRequest", "channel_type")["enum"] == ["SMS"]
    target = re.compile(_prop("SendMessageRequest", "target_e164")["pattern"], re.ASCII)
    assert target.search("+244990090990")
    assert not target.search("244990090990")
    assert not target.search("+0244990090990")


def test_batch_campaign_bounds() -> None:
    schema = _schema("BatchCampaignRequest")
    assert set(schema["required"]) == {
        "remitter_id",
        "content",
        "channel_type",
        "recipients",
        "name",
    }
    content = _prop("BatchCampaignRequest", "content")
    assert (content["minLength"], content["maxLength"]) == (1, 10000)
    recipients = _prop("BatchCampaignRequest", "recipients")
    assert recipients["type"] == "array"
    assert (recipients["minItems"], recipients["maxItems"]) == (2, 1000)
    assert recipients["items"]["type"] == "string"
    assert recipients["items"]["pattern"] == r"^\+?[\d\s\-\.]{7,30}$"
    name = _prop("BatchCampaignRequest", "name")
    assert (name["minLength"], name["maxLength"]) == (1, 200)
    country = _prop("BatchCampaignRequest", "country_alpha2")
    assert country["pattern"] == "^[A-Z]{2}$"
    assert (country.get("minLength", 2), country.get("maxLength", 2)) == (2, 2)
    assert "country_alpha2" not in schema["required"]
    assert _prop("BatchCampaignRequest", "channel_type")["enum"] == ["SMS"]
    remitter = re.compile(_prop("BatchCampaignRequest", "remitter_id")["pattern"])
    assert remitter.search("019b4b56-e704-7c30-83a0-527df63c3e00")  # the docs' UUID v7
    assert not remitter.search("550e8400-e29b-41d4-a716-446655440000")  # a UUID v4


@pytest.mark.parametrize(
    ("number", "ok"),
    [
        ("+244990000001", True),
        ("990000003", True),
        ("+244 990-000.001", True),
        ("1234567", True),
        ("123456", False),
        ("+" + "1" * 31, False),
        ("++244990000001", False),
        ("24499000000a", False),
    ],
)
def test_recipient_pattern_behaves_as_documented(number: str, ok: bool) -> None:
    validator = _validator(
        ("components", "schemas", "BatchCampaignRequest", "properties", "recipients", "items")
    )
    assert validator.is_valid(number) is ok


def test_pagination_parameters() -> None:
    params = SPEC["components"]["parameters"]
    page, size = params["Page"], params["Size"]
    assert (page["name"], page["in"]) == ("page", "query")
    assert page["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    assert (size["name"], size["in"]) == ("size", "query")
    assert size["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 30}
    assert _resolve(params["Order"]["schema"])["enum"] == ["asc", "desc"]
    assert params["Order"]["name"] == "order"
    assert _resolve(params["OrderBy"]["schema"])["enum"] == ["created_at", "updated_at"]
    assert params["OrderBy"]["name"] == "order_by"


@pytest.mark.parametrize(
    "operation_id", ["list_messages", "list_campaigns", "list_campaign_messages"]
)
def test_every_listing_is_paginated_and_sorted(operation_id: str) -> None:
    params = _parameters(operation_id)
    assert params["page"]["schema"]["default"] == 1
    assert params["size"]["schema"]["default"] == 30
    assert params["size"]["schema"]["maximum"] == 200
    assert _resolve(params["order"]["schema"])["enum"] == ["asc", "desc"]
    assert _resolve(params["order_by"]["schema"])["enum"] == ["created_at", "updated_at"]


MULTI_VALUED = {
    "status",
    "channel_type",
    "contact_id",
    "campaign_id",
    "sms_remitter_id",
    "trigger_source",
    "channel_destination",
}


def test_list_messages_query_parameters() -> None:
    params = _parameters("list_messages")
    assert list(params) == [
        "q",
        "page",
        "size",
        "order",
        "order_by",
        "status",
        "channel_type",
        "contact_id",
        "campaign_id",
        "sms_remitter_id",
        "trigger_source",
        "channel_destination",
        "created_at__ge",
        "created_at__le",
    ]
    for name, param in params.items():
        assert param["in"] == "query", name
        assert not param.get("required", False), name
        schema = _resolve(param["schema"])
        if name in MULTI_VALUED:
            assert schema["type"] == "array", name
            assert param.get("style", "form") == "form", name
            assert param.get("explode") is True, name
        else:
            assert schema["type"] != "array", name
    assert _resolve(params["status"]["schema"]["items"])["enum"] == [
        "PENDING",
        "SENT",
        "DELIVERED",
        "FAILED",
        "UNDELIVERED",
    ]
    assert _resolve(params["channel_type"]["schema"]["items"])["enum"] == ["SMS", "WHATSAPP"]
    for name in ("contact_id", "campaign_id", "sms_remitter_id"):
        assert params[name]["schema"]["items"]["format"] == "uuid", name
    for name in ("created_at__ge", "created_at__le"):
        assert params[name]["schema"] == {"type": "string", "format": "date-time"}, name


def test_list_campaign_messages_is_list_messages_scoped_to_the_campaign() -> None:
    params = _parameters("list_campaign_messages")
    assert params.pop("campaign_id")["in"] == "path"
    expected = {k: v for k, v in _parameters("list_messages").items() if k != "campaign_id"}
    assert params == expected


def test_rate_limited_responses_document_retry_after() -> None:
    too_many = SPEC["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in too_many["headers"]


# -- error responses ----------------------------------------------------------------


def _expected_errors(operation_id: str, has_path_parameter: bool) -> set[str]:
    codes = {"401", "403", "422", "429", "5XX"}
    if operation_id in SENDS:
        codes.add("402")
    if operation_id in RETRIEVES or has_path_parameter:
        codes.add("404")
    return codes


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_OPERATIONS))
def test_error_responses_use_the_error_object(method: str, path: str) -> None:
    operation = SPEC["paths"][path][method]
    operation_id = operation["operationId"]
    responses = operation["responses"]
    success = {c for c in responses if c.startswith("2")}
    assert success == ({"202"} if operation_id in SENDS else {"200"})
    errors = set(responses) - success
    expected = _expected_errors(operation_id, "{" in path)
    assert errors == expected
    if operation_id in RETRIEVES:
        assert "404" in errors
    if operation_id in SENDS:
        assert "402" in errors
    for code in errors:
        response = _resolve(responses[code])
        assert set(response["content"]) == {"application/json"}, code
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorObject"}, code


def test_error_object_schema() -> None:
    schema = _schema("ErrorObject")
    assert set(schema["required"]) == {"code", "message", "status"}
    assert {"trace_id", "timestamp", "service", "fields"} <= set(schema["properties"])
    assert schema["properties"]["status"]["type"] == "integer"
    assert schema["properties"]["fields"]["additionalProperties"] == {"type": "string"}


# -- examples --------------------------------------------------------------------------


def test_examples_were_found() -> None:
    names = {where.rsplit(":", 1)[1] for where, _, _ in ALL_EXAMPLES}
    assert {
        "otp",
        "black_friday",
        "accepted",
        "overview",
        "documented",
        "invalid_key",
        "missing_scope",
        "message",
        "batch",
    } <= names
    where = {w for w, _, _ in ALL_EXAMPLES}
    assert any(w.startswith("/paths/") and ":otp" in w for w in where)
    assert any(w.startswith("/components/responses/MessagePageOK") for w in where)
    assert len(ALL_EXAMPLES) >= 12


@pytest.mark.parametrize(
    ("where", "value", "schema_at"), ALL_EXAMPLES, ids=[w for w, _, _ in ALL_EXAMPLES]
)
def test_example_validates_against_its_schema(
    where: str, value: Any, schema_at: tuple[str | int, ...]
) -> None:
    errors = sorted(_validator(schema_at).iter_errors(value), key=str)
    assert not errors, f"{where}: " + "; ".join(e.message for e in errors)


def _page_example() -> dict[str, Any]:
    response = SPEC["components"]["responses"]["MessagePageOK"]
    return response["content"]["application/json"]["examples"]["documented"]["value"]


@pytest.mark.parametrize(
    ("schema_name", "mutate"),
    [
        ("MessagePage", lambda v: v["entries"][0].update(status="BOUNCED")),
        ("MessagePage", lambda v: v["entries"][0].update(updated_at="yesterday")),
        ("MessagePage", lambda v: v["entries"][0]["contact"].pop("organization_id")),
        ("MessagePage", lambda v: v["entries"][0].update(cost="12,50")),
        ("MessagePage", lambda v: v.update(size=0)),
    ],
)
def test_example_validation_is_not_vacuous(schema_name: str, mutate: Any) -> None:
    """The machinery above does resolve $refs and check formats: broken examples fail."""
    value = copy.deepcopy(_page_example())
    _component_validator(schema_name).validate(value)
    mutate(value)
    with pytest.raises(ValidationError):
        _component_validator(schema_name).validate(value)


def test_send_content_limit_is_enforced_by_the_schema() -> None:
    validator = _component_validator("SendMessageRequest")
    body = {
        "remitter_id": "019b4b56-e704-7c30-83a0-527df63c3e00",
        "channel_type": "SMS",
        "target_e164": "+244990090990",
        "content": "x" * 1600,
    }
    validator.validate(body)
    assert not validator.is_valid({**body, "content": "x" * 1601})
    assert not validator.is_valid({**body, "content": ""})
    assert not validator.is_valid({**body, "channel_type": "WHATSAPP"})
    assert not validator.is_valid({**body, "remitter_id": "not-a-uuid"})


def test_batch_limits_are_enforced_by_the_schema() -> None:
    validator = _component_validator("BatchCampaignRequest")
    body = {
        "name": "n",
        "remitter_id": "019b4b56-e704-7c30-83a0-527df63c3e00",
        "channel_type": "SMS",
        "content": "x" * 10000,
        "recipients": ["+244990000001"] * 1000,
        "country_alpha2": "AO",
    }
    validator.validate(body)
    assert not validator.is_valid({**body, "recipients": ["+244990000001"]})
    assert not validator.is_valid({**body, "recipients": ["+244990000001"] * 1001})
    assert not validator.is_valid({**body, "content": "x" * 10001})
    assert not validator.is_valid({**body, "name": ""})
    assert not validator.is_valid({**body, "name": "n" * 201})
    assert not validator.is_valid({**body, "country_alpha2": "ao"})
    assert not validator.is_valid({**body, "country_alpha2": "AGO"})


# -- generated constraints ----------------------------------------------------------


def _load_generate_script() -> ModuleType:
    path = ROOT / "scripts" / "generate.py"
    spec = importlib.util.spec_from_file_location("_ziett_scripts_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_constraints_module_matches_the_spec() -> None:
    """ziett/_constraints.py is exactly constraints_source(openapi.yaml), ruff-formatted."""
    generate = _load_generate_script()
    source = generate.constraints_source(yaml.safe_load(SPEC_PATH.read_text()))
    ruff = Path(sys.executable).parent / "ruff"
    formatted = subprocess.run(
        [
            str(ruff),
            "format",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--stdin-filename",
            "ziett/_constraints.py",
            "-",
        ],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    committed = (ROOT / "ziett" / "_constraints.py").read_text()
    diff = "\n".join(
        difflib.unified_diff(
            committed.splitlines(), formatted.splitlines(), "committed", "generated", lineterm=""
        )
    )
    assert formatted == committed, f"run `make generate`:\n{diff}"


def test_constraints_source_carries_the_documented_limits() -> None:
    source = _load_generate_script().constraints_source(SPEC)
    for fragment in (
        "max_length=1600",
        "min_length=1, max_length=10000",
        "min_items=2, max_items=1000",
        "min_length=1, max_length=200",
        "pattern='^[A-Z]{2}$'",
        "PAGE: Final = Rule(type='integer', minimum=1)",
        "PAGE_SIZE: Final = Rule(type='integer', minimum=1, maximum=200)",
    ):
        assert fragment in source, fragment
