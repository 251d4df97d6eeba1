//! Bad input for every format: a clear error or problem naming the file and line, the rest
//! still read, never a panic.

use super::*;
use crate::python::{
    PipenvAdapter, PoetryAdapter, PylockAdapter, PyprojectAdapter, RequirementsAdapter, UvAdapter,
};
use crate::Location;

const BINARY: &[u8] = b"\x00\x01\x02binary\x00";

fn all_adapters() -> Vec<(&'static dyn Adapter, &'static str)> {
    vec![
        (&RequirementsAdapter, "requirements.txt"),
        (&PoetryAdapter, "poetry.lock"),
        (&UvAdapter, "uv.lock"),
        (&PipenvAdapter, "Pipfile.lock"),
        (&PylockAdapter, "pylock.toml"),
        (&PyprojectAdapter, "pyproject.toml"),
    ]
}

#[test]
fn a_binary_file_is_an_error_naming_it() {
    for (adapter, name) in all_adapters() {
        let error = Tree::default().with(name, BINARY).parse(adapter, name).unwrap_err();
        assert_eq!(error.location.path, name);
        assert!(error.message.contains("binary"), "{name}: {error}");
    }
}

#[test]
fn invalid_utf8_is_an_error_with_its_line() {
    for (adapter, name) in all_adapters() {
        let error = Tree::default().with(name, &b"a = 1\n\xff\xfe\n"[..]).parse(adapter, name).unwrap_err();
        assert_eq!(error.location, Location::line(name, 2), "{name}");
    }
}

#[test]
fn invalid_toml_outside_the_packages_is_an_error_with_line_and_column() {
    for (adapter, name) in [
        (&PoetryAdapter as &dyn Adapter, "poetry.lock"),
        (&UvAdapter, "uv.lock"),
        (&PylockAdapter, "pylock.toml"),
        (&PyprojectAdapter, "pyproject.toml"),
    ] {
        let text = "version = 1\n\n[metadata]\nlock-version = \"1.0\nx = 1\n";
        let error = Tree::default().with(name, text).parse(adapter, name).unwrap_err();
        assert_eq!(error.location, Location::line(name, 4), "{name}: {error}");
        assert!(error.column.is_some(), "{name}");
    }
}

#[test]
fn invalid_toml_in_one_package_is_a_problem_with_its_line_and_the_rest_is_read() {
    for (adapter, name, array) in [
        (&PoetryAdapter as &dyn Adapter, "poetry.lock", "package"),
        (&UvAdapter, "uv.lock", "package"),
        (&PylockAdapter, "pylock.toml", "packages"),
    ] {
        let text = format!(
            "lock-version = \"1.0\"\nversion = 1\n\n[[{array}]]\nname = \"a\nversion = \"1\"\n\n[[{array}]]\nname = \"b\"\nversion = \"2\"\n"
        );
        let parsed = Tree::default().with(name, text).parse(adapter, name).unwrap();
        assert_eq!(parsed.findings.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["b"], "{name}");
        let problem = parsed.problems.iter().find(|p| p.location.line == Some(5));
        assert!(
            problem.is_some_and(|p| p.message.starts_with("entry skipped")),
            "{name}: {:?}",
            parsed.problems
        );
    }
}

#[test]
fn invalid_json_is_an_error_with_line_and_column() {
    let text = "{\n  \"_meta\": {},\n  \"default\": {\n    \"six\": {\"version\": \"==1.16.0\",}\n  }\n}\n";
    let error = Tree::default().with("Pipfile.lock", text).parse(&PipenvAdapter, "Pipfile.lock").unwrap_err();
    assert_eq!(error.location, Location::line("Pipfile.lock", 4));
    assert!(error.column.is_some());
}

#[test]
fn unknown_lock_versions() {
    let poetry_major = "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[metadata]\nlock-version = \"3.0\"\n";
    let error =
        Tree::default().with("poetry.lock", poetry_major).parse(&PoetryAdapter, "poetry.lock").unwrap_err();
    assert!(error.message.contains("lock-version 3.0"), "{error}");

    let poetry_minor = poetry_major.replace("3.0", "2.9");
    let parsed =
        Tree::default().with("poetry.lock", poetry_minor).parse(&PoetryAdapter, "poetry.lock").unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert!(parsed.problems.iter().any(|p| p.message.contains("2.9 is newer")), "{:?}", parsed.problems);

    let uv = "version = 2\n\n[[package]]\nname = \"a\"\nversion = \"1\"\n";
    let error = Tree::default().with("uv.lock", uv).parse(&UvAdapter, "uv.lock").unwrap_err();
    assert!(error.message.contains("uv.lock version 2"), "{error}");

    let pylock = "lock-version = \"2.0\"\n";
    let error = Tree::default().with("pylock.toml", pylock).parse(&PylockAdapter, "pylock.toml").unwrap_err();
    assert!(error.message.contains("lock-version 2.0"), "{error}");
    let pylock_minor = "lock-version = \"1.3\"\n[[packages]]\nname = \"a\"\nversion = \"1\"\n";
    let parsed =
        Tree::default().with("pylock.toml", pylock_minor).parse(&PylockAdapter, "pylock.toml").unwrap();
    assert_eq!((parsed.findings.len(), parsed.problems.len()), (1, 1));

    let pipenv = "{\"_meta\": {\"pipfile-spec\": 7}, \"default\": {\"six\": {\"version\": \"==1.16.0\"}}}";
    let parsed = Tree::default().with("Pipfile.lock", pipenv).parse(&PipenvAdapter, "Pipfile.lock").unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert!(parsed.problems[0].message.contains("pipfile-spec 7"));
}

#[test]
fn poetry_entries_missing_fields_are_problems_and_the_rest_is_read() {
    let text = "\
[[package]]
version = \"1.0\"

[[package]]
name = \"nover\"

[[package]]
name = \"broken\"
version = 3

[[package]]
name = \"good\"
version = \"2.0\"
category = \"main\"

[metadata]
lock-version = \"1.1\"
";
    let parsed = Tree::default().with("poetry.lock", text).parse(&PoetryAdapter, "poetry.lock").unwrap();
    let names: Vec<&str> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["nover", "good"]);
    let lines: Vec<Option<u32>> = parsed.problems.iter().map(|p| p.location.line).collect();
    assert!(
        lines.contains(&Some(1)) && lines.contains(&Some(4)) && lines.contains(&Some(9)),
        "{:?}",
        parsed.problems
    );
    let broken = parsed.problems.iter().find(|p| p.location.line == Some(9)).unwrap();
    assert!(broken.message.contains("invalid type"), "{broken}");
}

#[test]
fn uv_entries_missing_fields_are_problems_and_the_rest_is_read() {
    let text = "\
version = 1
revision = 3

[[package]]
version = \"1.0\"
source = { registry = \"https://pypi.org/simple\" }

[[package]]
name = \"bad\"
version = \"1.0\"
dependencies = \"not a list\"

[[package]]
name = \"good\"
version = \"2.0\"
source = { registry = \"https://pypi.org/simple\" }
";
    let parsed = Tree::default().with("uv.lock", text).parse(&UvAdapter, "uv.lock").unwrap();
    assert_eq!(parsed.findings.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["good"]);
    assert_eq!(parsed.problems.iter().map(|p| p.location.line).collect::<Vec<_>>(), vec![Some(4), Some(11)]);
}

#[test]
fn pylock_entries_missing_fields_are_problems_and_the_rest_is_read() {
    let text = "lock-version = \"1.0\"\n[[packages]]\nversion = \"1\"\n[[packages]]\nname = \"ok\"\nversion = \"1\"\n";
    let parsed = Tree::default().with("pylock.toml", text).parse(&PylockAdapter, "pylock.toml").unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert_eq!(parsed.problems[0].location, Location::line("pylock.toml", 2));
    let error = Tree::default()
        .with("pylock.toml", "[[packages]]\nname = \"x\"\n")
        .parse(&PylockAdapter, "pylock.toml");
    assert!(error.unwrap_err().message.contains("no lock-version"));
}

#[test]
fn pipenv_entries_of_the_wrong_shape_are_problems_and_the_rest_is_read() {
    let text = "{\n\"_meta\": {\"pipfile-spec\": 6},\n\"default\": {\n\"six\": {\"version\": 1},\n\"idna\": {\"version\": \"==3.7\"}\n},\n\"develop\": []\n}";
    let parsed = Tree::default().with("Pipfile.lock", text).parse(&PipenvAdapter, "Pipfile.lock").unwrap();
    assert_eq!(parsed.findings.len(), 1);
    assert_eq!(parsed.problems.len(), 2, "{:?}", parsed.problems);
    assert!(parsed.problems.iter().any(|p| p.location == Location::line("Pipfile.lock", 4)));
    assert!(parsed.problems.iter().any(|p| p.message.contains("`develop` is not an object")));
}

#[test]
fn pyproject_entries_of_the_wrong_shape_are_problems() {
    let text = "[project]\nname = \"app\"\ndependencies = [\"ok>=1\", 3, \"bad name!\"]\n\n[dependency-groups]\ndev = [{ include-group = \"nope\" }, \"pytest\"]\n";
    let parsed =
        Tree::default().with("pyproject.toml", text).parse(&PyprojectAdapter, "pyproject.toml").unwrap();
    let names: Vec<&str> = parsed.findings.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["ok", "pytest", "app"]);
    assert_eq!(parsed.problems.len(), 3, "{:?}", parsed.problems);
}

#[test]
fn include_cycles_are_problems() {
    let tree = Tree::default()
        .with("requirements.txt", "-r a.txt\nsix==1.16.0\n")
        .with("a.txt", "-r requirements.txt\nidna==3.7\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert_eq!(parsed.findings.len(), 2);
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(parsed.problems[0].location, Location::line("a.txt", 1));
    assert_eq!(parsed.problems[0].message, "include cycle: requirements.txt -> a.txt -> requirements.txt");
}

#[test]
fn missing_remote_and_binary_includes_are_problems() {
    let tree = Tree::default()
        .with("requirements.txt", "-r missing.txt\n-c https://example.org/c.txt\n-r blob.txt\nsix==1.16.0\n")
        .with("blob.txt", BINARY);
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert_eq!(parsed.findings.len(), 1);
    let messages: Vec<String> = parsed.problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].starts_with("requirements.txt:1: cannot read included file missing.txt"));
    assert!(messages[1].starts_with("requirements.txt:2: include of a remote file"));
    assert!(messages[2].contains("blob.txt: binary file"), "{}", messages[2]);
}

#[test]
fn bad_requirement_lines_are_problems_and_the_rest_is_read() {
    let text = "six==1.16.0\nrequests >= 2 | 3\nidna==3.7 --hash=md5:zz\n--hash=sha256:abc\n";
    let parsed = Tree::default()
        .with("requirements.txt", text)
        .parse(&RequirementsAdapter, "requirements.txt")
        .unwrap();
    assert_eq!(parsed.findings.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), vec!["six", "idna"]);
    let lines: Vec<Option<u32>> = parsed.problems.iter().map(|p| p.location.line).collect();
    assert_eq!(lines, vec![Some(2), Some(3), Some(4)], "{:?}", parsed.problems);
}

#[test]
fn a_lock_without_groups_and_without_pyproject_says_so() {
    let text = "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[metadata]\nlock-version = \"2.0\"\n";
    let parsed = Tree::default().with("poetry.lock", text).parse(&PoetryAdapter, "poetry.lock").unwrap();
    assert_eq!(parsed.findings[0].scope, crate::Scope::Runtime);
    assert!(parsed.problems[0].message.contains("no readable pyproject.toml"));
    let broken = Tree::default().with("poetry.lock", text).with("pyproject.toml", "[project\n");
    let parsed = broken.parse(&PoetryAdapter, "poetry.lock").unwrap();
    assert!(parsed.problems[0].message.starts_with("pyproject.toml:1:"), "{:?}", parsed.problems);
}
