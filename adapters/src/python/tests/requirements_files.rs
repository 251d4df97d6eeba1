//! Requirements files: includes, constraints, and every kind of line.

use super::*;
use crate::python::requirements::CONSTRAINED_BY;
use crate::python::{
    RequirementsAdapter, EDITABLE, MARKER, REQUIRED_EXTRA, REQUIREMENT, SOURCE_PATH, UNRESOLVED,
};
use crate::{Location, Scope};

#[test]
fn every_kind_of_requirement_is_reported_and_none_dropped() {
    let text = "\
# a comment
--index-url https://pypi.org/simple
--extra-index-url https://mirror.example/simple
Django[argon2,bcrypt]===5.0.6 ; python_version >= \"3.10\"
requests>=2.31,<3
flask
certifi == 2024.7.4 --hash=sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
pip @ https://github.com/pypa/pip/archive/22.0.2.zip#sha256=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
git+https://github.com/psf/black.git@24.4.2#egg=black
-e git+https://github.com/pallets/click.git@8.1.7#egg=click
-e ./libs/greeting
./vendor/six-1.16.0-py2.py3-none-any.whl
https://example.org/dist/thing.tar.gz
";
    let tree = Tree::default()
        .with("requirements.txt", text)
        .with("libs/greeting/pyproject.toml", "[project]\nname = \"greeting\"\nversion = \"0.3.0\"\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.findings.len(), 10);

    let django = only(&parsed, "Django");
    assert_eq!(django.purl.as_deref(), Some("pkg:pypi/django@5.0.6"));
    assert_eq!(property(django, REQUIRED_EXTRA), Some("argon2,bcrypt"));
    assert_eq!(property(django, MARKER), Some("python_version >= \"3.10\""));
    assert_eq!(django.location, Location::line("requirements.txt", 4));

    let requests = only(&parsed, "requests");
    assert_eq!((requests.version.as_deref(), requests.purl.as_deref()), (None, Some("pkg:pypi/requests")));
    assert_eq!(
        (property(requests, UNRESOLVED), property(requests, REQUIREMENT)),
        (Some("unpinned"), Some(">=2.31,<3"))
    );
    assert_eq!(property(only(&parsed, "flask"), UNRESOLVED), Some("unpinned"));

    let certifi = only(&parsed, "certifi");
    assert_eq!(certifi.version.as_deref(), Some("2024.7.4"));
    assert_eq!(certifi.hashes[0].value, "a".repeat(64), "hashes are lower-case hex");

    let pip = only(&parsed, "pip");
    assert_eq!(property(pip, UNRESOLVED), Some("url"));
    assert_eq!(
        pip.purl.as_deref(),
        Some("pkg:pypi/pip?download_url=https:%2F%2Fgithub.com%2Fpypa%2Fpip%2Farchive%2F22.0.2.zip")
    );
    assert_eq!(pip.hashes.len(), 1, "a #sha256= fragment is a hash");

    let black = only(&parsed, "black");
    assert_eq!(property(black, UNRESOLVED), Some("vcs"));
    assert_eq!(
        black.purl.as_deref(),
        Some("pkg:pypi/black?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpsf%2Fblack.git%4024.4.2")
    );
    let click = only(&parsed, "click");
    assert_eq!((property(click, UNRESOLVED), property(click, EDITABLE)), (Some("vcs"), Some("true")));

    let greeting = only(&parsed, "greeting");
    assert_eq!(property(greeting, UNRESOLVED), Some("path"));
    assert_eq!(property(greeting, SOURCE_PATH), Some("./libs/greeting"));
    assert_eq!(
        greeting.purl.as_deref(),
        Some("pkg:pypi/greeting"),
        "name read from the project's pyproject.toml"
    );
    assert_eq!(only(&parsed, "six").purl.as_deref(), Some("pkg:pypi/six"), "name from the wheel file name");

    let unnamed = only(&parsed, "https://example.org/dist/thing.tar.gz");
    assert_eq!((unnamed.purl.as_deref(), property(unnamed, UNRESOLVED)), (None, Some("url")));
}

#[test]
fn includes_are_read_relative_to_the_including_file_with_their_own_locations() {
    let tree = Tree::default()
        .with("app/requirements-dev.txt", "-r ../common/base.txt\npytest==8.2.0\n")
        .with("common/base.txt", "--requirement=shared.txt\nrequests==2.32.3\n")
        .with("common/shared.txt", "idna==3.7\n");
    let parsed = tree.parse(&RequirementsAdapter, "app/requirements-dev.txt").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(only(&parsed, "idna").location, Location::line("common/shared.txt", 1));
    assert_eq!(only(&parsed, "requests").location, Location::line("common/base.txt", 2));
    assert_eq!(only(&parsed, "pytest").location, Location::line("app/requirements-dev.txt", 2));
    assert!(parsed.findings.iter().all(|f| f.scope == Scope::Development), "files named for nothing inherit");
}

#[test]
fn an_included_file_named_for_a_scope_keeps_it() {
    let tree = Tree::default()
        .with("requirements.txt", "-r requirements/test.txt\nflask==3.0.3\n")
        .with("requirements/test.txt", "pytest==8.2.0\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert_eq!(only(&parsed, "pytest").scope, Scope::Test);
    assert_eq!(only(&parsed, "flask").scope, Scope::Runtime);
}

#[test]
fn constraints_pin_unpinned_requirements_and_are_not_installed_themselves() {
    let tree = Tree::default()
        .with("requirements.txt", "-c constraints.txt\nrequests\nflask>=3\n")
        .with("constraints.txt", "requests==2.32.3\nurllib3==2.2.2\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.findings.len(), 2, "urllib3 is only a constraint");
    let requests = only(&parsed, "requests");
    assert_eq!(requests.purl.as_deref(), Some("pkg:pypi/requests@2.32.3"));
    assert_eq!(property(requests, CONSTRAINED_BY), Some("constraints.txt:1"));
    assert_eq!(property(requests, UNRESOLVED), None);
    assert_eq!(property(only(&parsed, "flask"), UNRESOLVED), Some("unpinned"));
}

#[test]
fn a_diamond_of_includes_is_read_once() {
    let tree = Tree::default()
        .with("requirements.txt", "-r a.txt\n-r b.txt\n")
        .with("a.txt", "-r common.txt\n")
        .with("b.txt", "-r common.txt\n")
        .with("common.txt", "six==1.16.0\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(parsed.findings.len(), 1);
}

#[test]
fn a_private_index_becomes_the_repository_url() {
    let tree = Tree::default()
        .with("requirements.txt", "--index-url https://pypi.corp.example/simple\n-r more.txt\nsix==1.16.0\n")
        .with("more.txt", "idna==3.7\n./local\n");
    let parsed = tree.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    for name in ["six", "idna"] {
        let purl = only(&parsed, name).purl.clone().unwrap_or_default();
        assert!(purl.ends_with("?repository_url=https:%2F%2Fpypi.corp.example%2Fsimple"), "{purl}");
    }
    assert_eq!(only(&parsed, "./local").purl, None, "a path is not from the index");

    let ambiguous = Tree::default().with(
        "requirements.txt",
        "-i https://pypi.corp.example/simple\n--extra-index-url https://pypi.org/simple\nsix==1.16.0\n",
    );
    let parsed = ambiguous.parse(&RequirementsAdapter, "requirements.txt").unwrap();
    assert_eq!(only(&parsed, "six").purl.as_deref(), Some("pkg:pypi/six@1.16.0"));
}
