"""Validate CycloneDX documents against the schema of the version each one declares.

Usage: validate_cyclonedx.py FILE...

A `.json` file is checked with cyclonedx-python-lib's strict JSON validator for the version
in its `specVersion`; an `.xml` file with its XML validator for the version in its namespace
(`http://cyclonedx.org/schema/bom/1.6`). Prints one line per file and exits non-zero when
any file fails, naming it.
"""

import json
import re
import sys

from cyclonedx.schema import OutputFormat, SchemaVersion
from cyclonedx.validation import make_schemabased_validator

NAMESPACE = re.compile(r'xmlns="http://cyclonedx\.org/schema/bom/(\d+\.\d+)"')


def declared_version(path: str, text: str) -> str:
    """The spec version the document declares, or raise ValueError."""
    if path.endswith(".json"):
        version = json.loads(text).get("specVersion")
    else:
        match = NAMESPACE.search(text)
        version = match.group(1) if match else None
    if not isinstance(version, str):
        raise ValueError("declares no CycloneDX spec version")
    return version


def validate(path: str) -> list:
    """The validation errors of one file (empty when it is valid)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    version = declared_version(path, text)
    schema = SchemaVersion.from_version(version)
    output = OutputFormat.JSON if path.endswith(".json") else OutputFormat.XML
    validator = make_schemabased_validator(output, schema)
    errors = validator.validate_str(text, all_errors=True)
    return [] if errors is None else [f"CycloneDX {version}: {describe(error)}" for error in errors]


def describe(error) -> str:
    """One line for a validation error: where, and what (not the whole schema jsonschema dumps)."""
    detail = error.data
    path = getattr(detail, "json_path", None)
    message = getattr(detail, "message", None)
    return f"{path}: {message}" if path and message else str(error)


def main(paths: list) -> int:
    failed = 0
    for path in paths:
        try:
            errors = validate(path)
        except (OSError, ValueError) as error:
            errors = [str(error)]
        if errors:
            failed += 1
            for error in errors:
                print(f"INVALID {path}: {error}")
        else:
            print(f"valid   {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1:]))
