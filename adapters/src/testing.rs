//! Helpers shared by the adapters' tests: reading fixtures and looking at what was found.

use std::path::{Path, PathBuf};

use crate::adapter::{Adapter, FileAccess, ParseError, RealFiles, SourceFile};
use crate::finding::{Finding, Parsed};

/// The fixtures directory `relative` of the repository (`ci/github`, `containers/helm`).
pub fn fixtures(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures").join(relative)
}

/// Reads the file at `path` with `adapter`, naming it `display` in locations; its neighbours are
/// read from disk. Panics when the file itself cannot be read.
pub fn parse_file(adapter: &dyn Adapter, path: &Path, display: &str) -> Result<Parsed, ParseError> {
    let contents = RealFiles.read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    adapter.parse(&SourceFile { path, display_path: display, contents: &contents }, &RealFiles)
}

/// Reads `text` with `adapter` as the file `display` (relative to the working directory).
pub fn parse_text(adapter: &dyn Adapter, display: &str, text: &str) -> Result<Parsed, ParseError> {
    let source = SourceFile { path: Path::new(display), display_path: display, contents: text.as_bytes() };
    adapter.parse(&source, &RealFiles)
}

/// Each problem as `path:line: message`.
pub fn problems(parsed: &Parsed) -> Vec<String> {
    parsed.problems.iter().map(ToString::to_string).collect()
}

/// The value of a finding's property.
pub fn property<'f>(finding: &'f Finding, key: &str) -> Option<&'f str> {
    finding.properties.get(key).map(String::as_str)
}
