//! Go: the `go` and `toolchain` directives of `go.mod` and `go.work`.
//!
//! Written by hand: only two one-line directives are read, and they never appear inside the
//! `( ... )` blocks of the other directives, so a line scanner is exact; the crates that parse
//! the whole `go.mod` grammar are not maintained.

use super::declared::{Collector, Declaration};
use super::version::{is_exact_release, SEMVER_PARTS};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::{ComponentKind, Scope};

/// The canonical name of Go.
const GO: &str = "go";

/// Reads `go.mod` or `go.work`.
pub fn parse_go_mod(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    let mut in_block = false;
    for (index, raw) in text.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let content = raw.split("//").next().unwrap_or("").trim();
        if in_block {
            in_block = content != ")";
            continue;
        }
        in_block = content.ends_with('(');
        let mut words = content.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("go"), Some(version), None) => declare_go(version, line, out),
            (Some("toolchain"), Some(name), None) => declare_toolchain(name, line, out),
            (Some(directive @ ("go" | "toolchain")), _, _) => {
                out.problem(
                    Some(line),
                    format!("`{directive}` takes exactly one version, found `{content}`"),
                );
            }
            _ => {}
        }
    }
    Ok(())
}

/// `go 1.22`: since Go 1.21 the minimum Go version the module needs.
fn declare_go(version: &str, line: u32, out: &mut Collector<'_>) {
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        out.problem(Some(line), format!("`go` directive needs a version like `1.22`, found `{version}`"));
        return;
    }
    let declaration = Declaration {
        name: GO,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: version,
        version: Some(format!(">={version}")),
        pinned: false,
        field: "go",
    };
    out.declare(declaration, Scope::Build, line);
}

/// `toolchain go1.22.3`: the toolchain the go command switches to.
fn declare_toolchain(name: &str, line: u32, out: &mut Collector<'_>) {
    let version = name.strip_prefix("go");
    if version.is_none() && name != "default" {
        out.problem(Some(line), format!("`toolchain` needs a name like `go1.22.3`, found `{name}`"));
        return;
    }
    let declaration = Declaration {
        name: GO,
        spelling: None,
        kind: ComponentKind::Platform,
        declared: name,
        version: version.map(str::to_owned),
        pinned: version.is_some_and(is_exact_go_release),
        field: "toolchain",
    };
    out.declare(declaration, Scope::Build, line);
}

/// Go releases are `1.22.3`, or pre-releases `1.23rc1`; `1.22` names a language version.
fn is_exact_go_release(version: &str) -> bool {
    let prerelease = ["rc", "beta"].iter().any(|tag| version.contains(tag));
    is_exact_release(version, SEMVER_PARTS) || (prerelease && is_exact_release(version, 2))
}
