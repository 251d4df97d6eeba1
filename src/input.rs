//! What `annex` and `check` report on: a source tree (scanned), one lockfile (scanned), or an
//! SBOM that shelflife made (read back), so that CI can scan once and report many times.
//!
//! A file is taken as an SBOM when its name says so (`.cdx.json`, `.cdx.xml`, `.spdx.json`,
//! `.spdx`) or its content does (a JSON object with `bomFormat` or `spdxVersion`, an XML document
//! in the CycloneDX namespace, SPDX tag-value); any other file is scanned as a lockfile.

use std::io::Read;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::emit::read::{read_document, ReadError};
use crate::emit::Format;
use crate::inventory::Inventory;
use crate::scan::{self, Progress, ScanError, ScanOptions};

/// Where an inventory came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A scan of a directory or of one lockfile.
    Scan {
        /// The path scanned, as given.
        path: PathBuf,
        /// The directory the scan's paths are relative to.
        root: PathBuf,
    },
    /// An SBOM read back.
    Sbom {
        /// The document, as given.
        path: PathBuf,
        /// Its format.
        format: Format,
        /// When it was made, as it says.
        created: Option<String>,
    },
}

/// The software reported on: its name and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// The project's name: its one subject component's, else the scanned directory's (or the
    /// SBOM's described element's).
    pub name: String,
    /// Its version, where its one subject component has one.
    pub version: Option<String>,
}

/// An inventory to report on.
#[derive(Debug, Clone)]
pub struct Input {
    /// Every component, with lifecycles where an SBOM carried them.
    pub inventory: Inventory,
    /// What it is the inventory of.
    pub subject: Subject,
    /// Where it came from.
    pub origin: Origin,
}

/// Why there is nothing to report on.
#[derive(Debug, Error)]
pub enum InputError {
    /// The tree or lockfile cannot be scanned at all.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The SBOM cannot be read.
    #[error(transparent)]
    Sbom(#[from] ReadError),
    /// The file cannot be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
}

/// The SBOM file-name suffixes shelflife writes.
const SBOM_SUFFIXES: [&str; 4] = [".cdx.json", ".cdx.xml", ".spdx.json", ".spdx"];

/// How much of a file's start is looked at to tell an SBOM from a lockfile.
const SNIFF_BYTES: usize = 4096;

/// Loads `path`: an SBOM is read back, anything else scanned.
pub fn load(path: &Path, options: &ScanOptions) -> Result<Input, InputError> {
    let read_error = |source| InputError::Read { path: path.to_owned(), source };
    if path.is_file() && is_sbom(path, &file_start(path).map_err(read_error)?) {
        let bytes = std::fs::read(path).map_err(read_error)?;
        return read_sbom(path, &bytes);
    }
    let report = scan::scan(path, options, &Progress::default())?;
    let root =
        if path.is_dir() { path.to_owned() } else { path.parent().unwrap_or(Path::new(".")).to_owned() };
    let subject = subject(&report.inventory, Some(report.root_name.clone()));
    Ok(Input { inventory: report.inventory, subject, origin: Origin::Scan { path: path.to_owned(), root } })
}

fn read_sbom(path: &Path, bytes: &[u8]) -> Result<Input, InputError> {
    let document = read_document(&path.display().to_string(), bytes)?;
    let fallback = document.described.clone().or_else(|| file_stem(path));
    Ok(Input {
        subject: subject(&document.inventory, fallback),
        inventory: document.inventory,
        origin: Origin::Sbom { path: path.to_owned(), format: document.format, created: document.created },
    })
}

/// The subject: the inventory's one subject component, else the fallback name.
fn subject(inventory: &Inventory, fallback: Option<String>) -> Subject {
    let mut subjects = inventory.subjects();
    match (subjects.next(), subjects.next()) {
        (Some(only), None) => Subject { name: only.name.clone(), version: only.version.clone() },
        _ => Subject { name: fallback.unwrap_or_else(|| "project".to_owned()), version: None },
    }
}

/// The file name without its SBOM suffix (`demo` of `demo.cdx.json`).
fn file_stem(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    let stem = SBOM_SUFFIXES.iter().find_map(|suffix| name.strip_suffix(suffix)).unwrap_or(&name);
    Some(stem.to_owned())
}

/// The first [`SNIFF_BYTES`] of a file.
fn file_start(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut start = Vec::with_capacity(SNIFF_BYTES);
    std::fs::File::open(path)?.take(SNIFF_BYTES as u64).read_to_end(&mut start)?;
    Ok(start)
}

/// Whether a file is an SBOM, by its name or the start of its content.
pub fn is_sbom(path: &Path, bytes: &[u8]) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if SBOM_SUFFIXES.iter().any(|suffix| name.ends_with(suffix)) {
        return true;
    }
    let start = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let text = String::from_utf8_lossy(start);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        return text.contains("\"bomFormat\"") || text.contains("\"spdxVersion\"");
    }
    if text.starts_with('<') {
        return text.contains("http://cyclonedx.org/schema/bom/");
    }
    text.lines().any(|line| line.starts_with("SPDXVersion:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sboms_are_told_from_lockfiles_by_name_and_content() {
        let sbom = |name: &str, text: &str| is_sbom(Path::new(name), text.as_bytes());
        assert!(sbom("out/demo.cdx.json", ""));
        assert!(sbom("x/DEMO.SPDX", ""));
        assert!(sbom("bom.json", "\u{feff} {\n  \"bomFormat\": \"CycloneDX\""));
        assert!(sbom("sbom.json", "{\"spdxVersion\": \"SPDX-2.3\"}"));
        assert!(sbom(
            "bom.xml",
            "<?xml version=\"1.0\"?><bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">"
        ));
        assert!(sbom("doc.txt", "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0"));
        assert!(!sbom("package-lock.json", "{\"name\": \"web\", \"lockfileVersion\": 3}"));
        assert!(!sbom("pom.xml", "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"));
        assert!(!sbom("Cargo.lock", "version = 4\n"));
    }

    #[test]
    fn sbom_stems_and_subjects() {
        assert_eq!(file_stem(Path::new("out/demo.cdx.json")).as_deref(), Some("demo"));
        assert_eq!(file_stem(Path::new("bom.json")).as_deref(), Some("bom.json"));
        let subject = subject(&Inventory::default(), None);
        assert_eq!(subject, Subject { name: "project".into(), version: None });
    }

    #[test]
    fn a_broken_sbom_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.cdx.json");
        std::fs::write(&path, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", ").unwrap();
        let error = load(&path, &ScanOptions::default()).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("cannot read {} as an SBOM: invalid JSON", path.display())),
            "{error}"
        );
        let missing = load(&dir.path().join("nothing"), &ScanOptions::default()).unwrap_err().to_string();
        assert!(missing.contains("nothing: cannot scan"), "{missing}");
    }
}
