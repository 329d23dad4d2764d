"""Regenerate everything derived from openapi.yaml into a project root.

Usage: ``python scripts/generate.py [ROOT]`` (ROOT defaults to this repository). The
inputs (openapi.yaml, generator-config.yaml, templates/, pyproject.toml's ruff settings)
are always this repository's; ROOT only says where the output goes. Writes
ROOT/ziett_client/ (a clean folder every time, with its own PEP 561 ``py.typed``, so
the drift check covers it) and ROOT/ziett/_constraints.py (the documented limits).
``make generate`` runs it on the repository; ``make check`` on a temporary folder,
failing when the result differs from what is committed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "openapi.yaml"

# The request bodies and query parameters whose limits the ziett layer checks.
BODY_SCHEMAS = {"SEND_MESSAGE": "SendMessageRequest", "BATCH_CAMPAIGN": "BatchCampaignRequest"}
QUERY_PARAMETERS = {"PAGE": "Page", "PAGE_SIZE": "Size"}
ENUM_SCHEMAS = ["MessageStatus", "ChannelType", "SendChannelType", "SortOrder", "SortField"]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# JSON-schema keywords carried over into ziett._validation.Rule, by Rule field name.
KEYWORDS = {
    "type": "type",
    "format": "format",
    "minLength": "min_length",
    "maxLength": "max_length",
    "pattern": "pattern",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minimum": "minimum",
    "maximum": "maximum",
    "enum": "enum",
    "x-ziett-message": "message",
}


def generate_client(root: Path) -> None:
    """Run openapi-python-client into ROOT/ziett_client, from a clean folder."""
    out = root / "ziett_client"
    shutil.rmtree(out, ignore_errors=True)
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(REPO / "generator-config.yaml"),
            "--custom-template-path",
            str(REPO / "templates"),
            "--meta",
            "none",
            "--output-path",
            str(out),
            "--fail-on-warning",
        ],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
    )
    # Formatting runs here rather than as the generator's post_hooks, so that it
    # always uses this repository's ruff settings, wherever the output lands.
    _ruff("check", "--fix-only", "--quiet", str(out))
    _ruff("format", "--quiet", str(out))
    # PEP 561: the package's inline annotations are its types (see the docstring).
    (out / "py.typed").write_text("")


def _ruff(*args: str) -> None:
    ruff = Path(sys.executable).parent / "ruff"
    config = str(REPO / "pyproject.toml")
    subprocess.run([str(ruff), *args, "--config", config, "--no-cache"], check=True, cwd=REPO)


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        *_, kind, name = node["$ref"].split("/")
        node = spec["components"][kind][name]
    return node


def _rule(spec: dict[str, Any], schema: dict[str, Any], required: bool) -> str:
    """Python source for a Rule built from one (resolved) JSON schema."""
    schema = _resolve(spec, schema)
    args = [f"required={required!r}"] if required else []
    for keyword, field in KEYWORDS.items():
        if keyword in schema:
            value = schema[keyword]
            args.append(f"{field}={tuple(value)!r}" if keyword == "enum" else f"{field}={value!r}")
    if "items" in schema:
        args.append(f"items={_rule(spec, schema['items'], False)}")
    if "properties" in schema:
        args.append(f"properties={_properties(spec, schema)}")
    return f"Rule({', '.join(args)})"


def _properties(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    required = set(schema.get("required", []))
    items = [
        f"{name!r}: {_rule(spec, sub, name in required)}"
        for name, sub in schema["properties"].items()
    ]
    return "{" + ", ".join(items) + "}"


def constraints_source(spec: dict[str, Any]) -> str:
    """The text of ziett/_constraints.py for this spec."""
    schemas = spec["components"]["schemas"]
    parameters = spec["components"]["parameters"]
    lines = [
        '"""The documented limits, generated from openapi.yaml by scripts/generate.py.',
        "",
        "Do not edit: change openapi.yaml and run `make generate`.",
        '"""',
        "",
        "from typing import Final",
        "",
        "from ziett._validation import Rule",
        "",
    ]
    for constant, name in BODY_SCHEMAS.items():
        lines.append(f"{constant}: Final = {_rule(spec, schemas[name], False)}")
    for constant, name in QUERY_PARAMETERS.items():
        lines.append(f"{constant}: Final = {_rule(spec, parameters[name]['schema'], False)}")
    routes = {
        operation["operationId"]: f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }
    lines.append("# operationId -> route, for the layer's coverage test and rate-limit keys.")
    lines.append(f"ROUTES: Final = {routes!r}")
    for name in ENUM_SCHEMAS:
        constant = "".join(f"_{c}" if c.isupper() else c.upper() for c in name).lstrip("_")
        lines.append(f"{constant}_VALUES: Final = {tuple(schemas[name]['enum'])!r}")
    lines.append("# x-ziett-final: the statuses a message or a campaign never leaves.")
    for name, schema in schemas.items():
        final = schema.get("x-ziett-final")
        if final is None:
            continue
        unknown = set(final) - set(schema["enum"])
        if unknown:
            raise SystemExit(f"{name}: x-ziett-final names values not in its enum: {unknown}")
        constant = "".join(f"_{c}" if c.isupper() else c.upper() for c in name).lstrip("_")
        lines.append(f"{constant}_FINAL: Final = frozenset({tuple(final)!r})")
    return "\n".join(lines) + "\n"


def generate_constraints(root: Path) -> None:
    spec = yaml.safe_load(SPEC.read_text())
    target = root / "ziett" / "_constraints.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(constraints_source(spec))
    _ruff("format", "--quiet", str(target))


def main() -> None:
    root = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO
    generate_client(root)
    generate_constraints(root)
    from generate_resources import generate_resources

    generate_resources(root)


if __name__ == "__main__":
    main()
