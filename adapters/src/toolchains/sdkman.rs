//! SDKMAN!'s `.sdkmanrc`: `candidate=version` per line, `#` comments.
//!
//! Written by hand: a `key=value` line format, too small for a crate.

use super::declared::{Collector, Declaration};
use crate::adapter::{ParseError, SourceFile};
use crate::finding::{ComponentKind, Scope};

/// The vendor of a Java version (`tem` of `21.0.2-tem`).
pub const PROP_DISTRIBUTION: &str = "shelflife:java:distribution";

/// SDKMAN! candidates that are runtimes; every other candidate is a build tool.
const RUNTIMES: &[&str] = &["java"];

/// Reads `.sdkmanrc`. SDKMAN! installs exactly the identifier written, so every version is pinned.
pub fn parse_sdkmanrc(file: &SourceFile<'_>, out: &mut Collector<'_>) -> Result<(), ParseError> {
    let text = file.text()?;
    for (index, line) in text.lines().enumerate() {
        let line_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let content = line.split('#').next().unwrap_or("").trim();
        if content.is_empty() {
            continue;
        }
        let Some((candidate, version)) = content.split_once('=').map(|(c, v)| (c.trim(), v.trim())) else {
            out.problem(Some(line_number), format!("expected `candidate=version`, found `{content}`"));
            continue;
        };
        if candidate.is_empty() || version.is_empty() {
            out.problem(Some(line_number), format!("expected `candidate=version`, found `{content}`"));
            continue;
        }
        declare(candidate, version, ".sdkmanrc", line_number, out);
    }
    Ok(())
}

/// Declares an SDKMAN! candidate at a version identifier (`java`, `21.0.2-tem`).
pub fn declare(candidate: &str, version: &str, field: &str, line: u32, out: &mut Collector<'_>) {
    let kind = if RUNTIMES.contains(&candidate) { ComponentKind::Platform } else { ComponentKind::Tool };
    let declaration = Declaration {
        name: candidate,
        spelling: None,
        kind,
        declared: version,
        version: Some(version.to_owned()),
        pinned: true,
        field,
    };
    let finding = out.declare(declaration, Scope::Build, line);
    let vendor = version
        .rsplit_once('-')
        .map(|(_, vendor)| vendor)
        .filter(|v| v.bytes().all(|b| b.is_ascii_alphabetic()));
    if let (Some(vendor), ComponentKind::Platform) = (vendor, kind) {
        finding.properties.insert(PROP_DISTRIBUTION.to_owned(), vendor.to_owned());
    }
}
