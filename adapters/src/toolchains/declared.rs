//! Building findings for declared tools and runtimes, shared by the toolchain and CI adapters.

use crate::finding::{ComponentKind, Finding, Location, Parsed, Problem, Scope};

/// The version as the file writes it (a range, an alias or an exact version).
pub const PROP_DECLARED: &str = "shelflife:version:declared";
/// `true` when the declaration names one exact release, `false` for ranges and aliases.
pub const PROP_PINNED: &str = "shelflife:version:pinned";
/// The tool's name as the file spells it, where that differs from the canonical name.
pub const PROP_SPELLING: &str = "shelflife:name:declared";
/// The field of the file that declares the tool (`engines.node`, `channel`).
pub const PROP_FIELD: &str = "shelflife:tool:field";

/// A tool or runtime as a file declares it, before it becomes a [`Finding`].
#[derive(Debug, Clone)]
pub struct Declaration<'a> {
    /// The canonical name (`nodejs`, `rust`, `dotnet-sdk`) under which lifecycle data is mapped.
    pub name: &'a str,
    /// The name as the file spells it, when the file names the tool at all.
    pub spelling: Option<&'a str>,
    /// A runtime ([`ComponentKind::Platform`]) or a tool ([`ComponentKind::Tool`]).
    pub kind: ComponentKind,
    /// The version text exactly as written.
    pub declared: &'a str,
    /// The version reported: the declared text, normalised where the format says so
    /// (`1.74` → `>=1.74` for a minimum, `v20.11.0` → `20.11.0`). `None` when nothing is declared.
    pub version: Option<String>,
    /// Whether the declaration names exactly one release.
    pub pinned: bool,
    /// The field of the file that declares it.
    pub field: &'a str,
}

impl Declaration<'_> {
    /// The finding for this declaration, found at `location` and used in `scope`.
    pub fn into_finding(self, scope: Scope, location: Location) -> Finding {
        let mut finding = Finding::new(String::new(), self.kind, self.name, self.version, scope, location);
        let properties = &mut finding.properties;
        if !self.declared.is_empty() {
            properties.insert(PROP_DECLARED.to_owned(), self.declared.to_owned());
        }
        properties.insert(PROP_PINNED.to_owned(), self.pinned.to_string());
        if let Some(spelling) = self.spelling.filter(|s| *s != self.name) {
            properties.insert(PROP_SPELLING.to_owned(), spelling.to_owned());
        }
        properties.insert(PROP_FIELD.to_owned(), self.field.to_owned());
        finding
    }
}

/// Collects the findings and problems of one file, giving each finding a unique key.
#[derive(Debug)]
pub struct Collector<'a> {
    path: &'a str,
    parsed: Parsed,
}

impl<'a> Collector<'a> {
    /// A collector for the file at `path` (the display path).
    pub fn new(path: &'a str) -> Self {
        Self { path, parsed: Parsed::default() }
    }

    /// The display path of the file.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// A location on `line` of the file.
    pub fn at(&self, line: u32) -> Location {
        Location::line(self.path, line)
    }

    /// Adds a finding, replacing its key by one unique within this file.
    pub fn push(&mut self, mut finding: Finding) -> &mut Finding {
        finding.key = format!("{}#{}", finding.name, self.parsed.findings.len());
        self.parsed.findings.push(finding);
        let last = self.parsed.findings.len() - 1;
        &mut self.parsed.findings[last]
    }

    /// Adds the finding for a declaration at `line`.
    pub fn declare(&mut self, declaration: Declaration<'_>, scope: Scope, line: u32) -> &mut Finding {
        let location = self.at(line);
        self.push(declaration.into_finding(scope, location))
    }

    /// How many findings have been collected.
    pub fn len(&self) -> usize {
        self.parsed.findings.len()
    }

    /// Whether no finding has been collected.
    pub fn is_empty(&self) -> bool {
        self.parsed.findings.is_empty()
    }

    /// The findings collected since there were `start` of them.
    pub fn findings_since(&mut self, start: usize) -> &mut [Finding] {
        self.parsed.findings.get_mut(start..).unwrap_or_default()
    }

    /// Records a problem at `line` (or the whole file when `None`).
    pub fn problem(&mut self, line: Option<u32>, message: impl Into<String>) {
        let location = match line {
            Some(line) => self.at(line),
            None => Location::file(self.path),
        };
        self.parsed.problems.push(Problem { location, message: message.into() });
    }

    /// Everything collected.
    pub fn finish(self) -> Parsed {
        self.parsed
    }
}
