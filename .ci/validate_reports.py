"""Validate the reports of `shelflife check` found in a directory (see validate-reports.sh).

SARIF logs (*.sarif) against the official SARIF 2.1.0 schema, JSON reports (*.check.json)
against shelflife's own schema, JUnit reports (*.junit.xml) by reading them with junitparser
and comparing what it reads with the JSON report of the same name, when there is one.
"""

import argparse
import json
import pathlib
import sys

import jsonschema
import junitparser


def schema_errors(validator, document):
    return sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))


def check_json_files(directory, pattern, validator):
    failed = []
    files = sorted(directory.glob(pattern))
    for path in files:
        errors = schema_errors(validator, json.loads(path.read_text()))
        for error in errors[:10]:
            print(f"INVALID {path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        if errors:
            failed.append(path)
        else:
            print(f"valid   {path}")
    return files, failed


def check_junit(directory):
    failed = []
    files = sorted(directory.glob("*.junit.xml"))
    for path in files:
        report = junitparser.JUnitXml.fromfile(str(path))
        cases = [case for suite in report for case in suite]
        failures = [case for case in cases if any(isinstance(r, junitparser.Failure) for r in case.result)]
        problems = []
        if not cases:
            problems.append("no test case")
        if any(not case.name for case in cases):
            problems.append("a test case without a name")
        twin = path.with_name(path.name.replace(".junit.xml", ".check.json"))
        if twin.exists():
            expected = json.loads(twin.read_text())
            if len(cases) != expected["counts"]["components"]:
                problems.append(f"{len(cases)} test cases for {expected['counts']['components']} components")
            if len(failures) != expected["counts"]["failing"]:
                problems.append(f"{len(failures)} failures for {expected['counts']['failing']} failing components")
        for problem in problems:
            print(f"INVALID {path}: {problem}")
        if problems:
            failed.append(path)
        else:
            print(f"valid   {path} ({len(cases)} test cases, {len(failures)} failures)")
    return files, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sarif-schema", required=True, type=pathlib.Path)
    parser.add_argument("--check-schema", required=True, type=pathlib.Path)
    parser.add_argument("directory", type=pathlib.Path)
    args = parser.parse_args()
    sarif = jsonschema.Draft4Validator(json.loads(args.sarif_schema.read_text()))
    check = jsonschema.Draft7Validator(json.loads(args.check_schema.read_text()))
    found, failed = [], []
    for files, bad in (
        check_json_files(args.directory, "*.sarif", sarif),
        check_json_files(args.directory, "*.check.json", check),
        check_junit(args.directory),
    ):
        found += files
        failed += bad
    if not found:
        print(f"no report (*.sarif, *.check.json, *.junit.xml) in {args.directory}", file=sys.stderr)
        return 1
    if failed:
        print(f"report validation failed: {', '.join(map(str, failed))}", file=sys.stderr)
        return 1
    print(f"all reports in {args.directory} are valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
