//! Where packages come from: VCS, direct URLs, other indexes and local paths, in every lock
//! format, as purl qualifiers and properties.

use super::*;
use crate::python::{
    PipenvAdapter, PoetryAdapter, PylockAdapter, UvAdapter, EDITABLE, SOURCE, SOURCE_PATH, SUBDIRECTORY,
    UNRESOLVED,
};

#[test]
fn poetry_source_types() {
    let text = r#"
[[package]]
name = "internal"
version = "1.2.0"
category = "main"

[package.source]
type = "git"
url = "https://git.example/internal.git"
reference = "main"
resolved_reference = "0123456789abcdef"
subdirectory = "python"

[[package]]
name = "tool"
version = "0.1"
category = "main"

[package.source]
type = "url"
url = "https://files.example/tool-0.1.tar.gz"

[[package]]
name = "private"
version = "3.0"
category = "dev"

[package.source]
type = "legacy"
url = "https://pypi.corp.example/simple"
reference = "corp"

[[package]]
name = "vendored"
version = "2.0"
category = "main"

[package.source]
type = "file"
url = "vendor/vendored-2.0-py3-none-any.whl"

[metadata]
lock-version = "1.1"
"#;
    let parsed = Tree::default().with("poetry.lock", text).parse(&PoetryAdapter, "poetry.lock").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let internal = only(&parsed, "internal");
    assert_eq!(
        internal.purl.as_deref(),
        Some(
            "pkg:pypi/internal@1.2.0?vcs_url=git%2Bhttps:%2F%2Fgit.example%2Finternal.git%400123456789abcdef"
        )
    );
    assert_eq!((property(internal, SOURCE), property(internal, SUBDIRECTORY)), (Some("git"), Some("python")));
    assert_eq!(
        only(&parsed, "tool").purl.as_deref(),
        Some("pkg:pypi/tool@0.1?download_url=https:%2F%2Ffiles.example%2Ftool-0.1.tar.gz")
    );
    let private = only(&parsed, "private");
    assert_eq!(
        private.purl.as_deref(),
        Some("pkg:pypi/private@3.0?repository_url=https:%2F%2Fpypi.corp.example%2Fsimple")
    );
    assert_eq!(private.scope, crate::Scope::Development);
    let vendored = only(&parsed, "vendored");
    assert_eq!(vendored.purl.as_deref(), Some("pkg:pypi/vendored@2.0"));
    assert_eq!(property(vendored, SOURCE_PATH), Some("vendor/vendored-2.0-py3-none-any.whl"));
}

#[test]
fn uv_source_types() {
    let text = r#"version = 1
revision = 3

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [{ name = "lib" }, { name = "remote" }, { name = "archive" }, { name = "private" }]

[[package]]
name = "lib"
source = { editable = "packages/lib" }

[[package]]
name = "remote"
version = "2.0.0"
source = { git = "https://github.com/o/remote?subdirectory=py&rev=v2#fedcba9876543210" }

[[package]]
name = "archive"
version = "1.0"
source = { url = "https://files.example/archive-1.0.tar.gz" }

[[package]]
name = "private"
version = "4.0"
source = { registry = "https://pypi.corp.example/simple" }
"#;
    let parsed = Tree::default().with("uv.lock", text).parse(&UvAdapter, "uv.lock").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert_eq!(only(&parsed, "app").depends_on.len(), 4);
    let lib = only(&parsed, "lib");
    assert_eq!((lib.version.as_deref(), property(lib, UNRESOLVED)), (None, Some("path")));
    assert_eq!((property(lib, SOURCE_PATH), property(lib, EDITABLE)), (Some("packages/lib"), Some("true")));
    let remote = only(&parsed, "remote");
    assert_eq!(
        remote.purl.as_deref(),
        Some("pkg:pypi/remote@2.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fo%2Fremote%40fedcba9876543210")
    );
    assert_eq!(property(remote, SUBDIRECTORY), Some("py"));
    assert!(only(&parsed, "archive").purl.as_deref().is_some_and(|p| p.contains("download_url=")));
    assert!(only(&parsed, "private").purl.as_deref().is_some_and(|p| p.contains("repository_url=")));
}

#[test]
fn uv_workspace_members_are_subjects() {
    let text = r#"version = 1

[manifest]
members = ["api", "core"]

[[package]]
name = "api"
version = "1.0.0"
source = { editable = "api" }
dependencies = [{ name = "core" }]

[[package]]
name = "core"
version = "1.0.0"
source = { editable = "core" }

[[package]]
name = "helper"
version = "0.5.0"
source = { directory = "vendor/helper" }
"#;
    let parsed = Tree::default().with("uv.lock", text).parse(&UvAdapter, "uv.lock").unwrap();
    assert_eq!(only(&parsed, "api").role, Role::Subject);
    assert_eq!(only(&parsed, "core").role, Role::Subject);
    assert_eq!(only(&parsed, "helper").role, Role::Dependency);
}

#[test]
fn pylock_source_types() {
    let text = r#"lock-version = "1.0"
created-by = "test"

[[packages]]
name = "remote"
vcs = { type = "git", url = "https://github.com/o/remote", commit-id = "abc123", requested-revision = "main" }

[[packages]]
name = "archive"
version = "1.0"
archive = { url = "https://files.example/archive-1.0.tar.gz", hashes = { sha256 = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" } }

[[packages]]
name = "local"
directory = { path = "libs/local", editable = true }

[[packages]]
name = "dev-only"
version = "1.0"
marker = "'dev' in dependency_groups"
index = "https://pypi.org/simple"
"#;
    let parsed = Tree::default().with("pylock.toml", text).parse(&PylockAdapter, "pylock.toml").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    let remote = only(&parsed, "remote");
    assert_eq!(property(remote, UNRESOLVED), Some("vcs"));
    assert_eq!(
        remote.purl.as_deref(),
        Some("pkg:pypi/remote?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fo%2Fremote%40abc123")
    );
    let archive = only(&parsed, "archive");
    assert_eq!((archive.hashes.len(), archive.version.as_deref()), (1, Some("1.0")));
    let local = only(&parsed, "local");
    assert_eq!((property(local, UNRESOLVED), property(local, EDITABLE)), (Some("path"), Some("true")));
    assert_eq!(only(&parsed, "dev-only").scope, crate::Scope::Development);
    assert_eq!(only(&parsed, "dev-only").purl.as_deref(), Some("pkg:pypi/dev-only@1.0"));
}

#[test]
fn pipenv_source_types() {
    let text = r#"{
    "_meta": {"pipfile-spec": 6, "sources": [
        {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
        {"name": "corp", "url": "https://pypi.corp.example/simple", "verify_ssl": true}
    ]},
    "default": {
        "private": {"index": "corp", "version": "==1.0"},
        "remote": {"git": "https://github.com/o/remote.git", "ref": "abc123", "editable": true},
        "local": {"path": "./libs/local", "editable": true}
    },
    "docs": {
        "sphinx": {"version": "==7.3.7"}
    }
}"#;
    let parsed = Tree::default().with("Pipfile.lock", text).parse(&PipenvAdapter, "Pipfile.lock").unwrap();
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(only(&parsed, "private").purl.as_deref().is_some_and(|p| p.contains("repository_url=")));
    let remote = only(&parsed, "remote");
    assert_eq!(property(remote, UNRESOLVED), Some("vcs"));
    assert!(remote.purl.as_deref().is_some_and(|p| p.ends_with("remote.git%40abc123")), "{:?}", remote.purl);
    assert_eq!(property(only(&parsed, "local"), SOURCE_PATH), Some("./libs/local"));
    assert_eq!(only(&parsed, "sphinx").scope, crate::Scope::Development, "a custom category");
}
