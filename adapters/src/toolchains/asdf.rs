//! asdf's and mise's `.tool-versions`: `tool version [fallback...]` per line, `#` comments.
//!
//! Written by hand: the format is a whitespace-separated line per tool, too small for a crate.

use super::declared::{Collector, Declaration};
use super::names::canonical;
use super::version::{is_commit_sha, is_exact_release, SEMVER_PARTS};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::Scope;

/// The position of a version among a tool's versions (1 = the one used, then fallbacks).
pub const PROP_ORDER: &str = "shelflife:version:order";
/// The local directory of a `path:` version.
pub const PROP_PATH: &str = "shelflife:tool-versions:path";

/// Tools (canonical names) whose releases always have three numbers, so `20` or `3.12` is a
/// release line that mise resolves to the newest match, not an exact version.
const SEMVER_TOOLS: &[&str] =
    &["nodejs", "python", "go", "rust", "ruby", "deno", "bun", "dotnet-sdk", "npm", "pnpm", "yarn"];

/// Reads `.tool-versions`.
pub fn parse_tool_versions(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    for (index, line) in text.lines().enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let content = line.split('#').next().unwrap_or("");
        let mut words = content.split_whitespace();
        let Some(tool) = words.next() else { continue };
        let mut versions = words.peekable();
        if versions.peek().is_none() {
            out.problem(Some(line_number), format!("`{tool}` has no version"));
            continue;
        }
        for (order, version) in versions.enumerate() {
            declare(tool, version, order + 1, line_number, out);
        }
    }
    Ok(())
}

/// Declares one version of one tool, as `.tool-versions` writes it. Also used for the
/// `.tool-versions` files that CI setup actions read.
pub fn declare(spelling: &str, version: &str, order: usize, line: u32, out: &mut Collector<'_>) {
    let tool = canonical(spelling);
    let path = version.strip_prefix("path:");
    let declaration = Declaration {
        name: tool.name,
        spelling: Some(spelling),
        kind: tool.kind,
        declared: version,
        version: if path.is_some() { None } else { Some(version.to_owned()) },
        pinned: is_pinned(tool.name, version),
        field: ".tool-versions",
    };
    let finding = out.declare(declaration, Scope::Build, line);
    finding.properties.insert(PROP_ORDER.to_owned(), order.to_string());
    if let Some(path) = path {
        finding.properties.insert(PROP_PATH.to_owned(), path.to_owned());
    }
}

/// Whether a `.tool-versions` version names one release. asdf installs exactly what is written;
/// `latest`, `system`, `path:` and branch or tag `ref:`s move, and mise reads a short version of a
/// semver tool as a prefix.
fn is_pinned(tool: &str, version: &str) -> bool {
    if let Some(reference) = version.strip_prefix("ref:") {
        return is_commit_sha(reference);
    }
    let moving = version == "system" || version.starts_with("latest") || version.starts_with("path:");
    if moving {
        return false;
    }
    !SEMVER_TOOLS.contains(&tool) || is_exact_release(version, SEMVER_PARTS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinning() {
        assert!(is_pinned("nodejs", "20.11.0"));
        assert!(!is_pinned("nodejs", "20"));
        assert!(is_pinned("terraform", "1.7.5"));
        assert!(is_pinned("gradle", "8.7"));
        assert!(is_pinned("java", "temurin-21.0.2+13.0.LTS"));
        assert!(!is_pinned("python", "latest:3.12"));
        assert!(!is_pinned("python", "system"));
        assert!(!is_pinned("ruby", "ref:master"));
        assert!(is_pinned("ruby", "ref:b4ffde65f46336ab88eb53be808477a3936bae11"));
        assert!(!is_pinned("go", "path:/opt/go"));
    }
}
