//! Following a setup action's version-file input (`node-version-file: web/.nvmrc`) to the
//! version that file declares, read with the toolchain adapter.

use std::path::{Path, PathBuf};

use super::setup::Setup;
use crate::adapter::{Adapter, FileAccess, SourceFile};
use crate::finding::Finding;
use crate::toolchains::declared::{Collector, Declaration, PROP_FIELD};
use crate::toolchains::node::single_version_line;
use crate::toolchains::Toolchains;

/// The repository root of a workflow: the directory holding `.github/workflows/`, as a file
/// system path and as a display prefix (`""` or `"sub/"`).
#[derive(Debug, Clone)]
pub struct RepositoryRoot {
    path: PathBuf,
    display_prefix: String,
}

impl RepositoryRoot {
    /// The root of the repository a workflow file belongs to; `None` when the file is not in a
    /// `.github/workflows/` directory.
    pub fn of(file: &SourceFile<'_>) -> Option<Self> {
        let (prefix, _) = file.display_path.rsplit_once(".github/workflows/")?;
        if !(prefix.is_empty() || prefix.ends_with('/')) {
            return None;
        }
        let path = file.path.parent()?.parent()?.parent()?.to_path_buf();
        Some(Self { path, display_prefix: prefix.to_owned() })
    }

    fn resolve(&self, relative: &str) -> (PathBuf, String) {
        let relative = relative.trim_start_matches("./");
        (self.path.join(relative), format!("{}{relative}", self.display_prefix))
    }
}

/// The findings, for `setup`'s tool, that the file `relative` (to `root`) declares, in the
/// order the action prefers them; an error message when the file cannot be read or declares
/// none.
pub fn read(
    setup: &Setup,
    root: &RepositoryRoot,
    relative: &str,
    files: &dyn FileAccess,
) -> Result<(String, Vec<Finding>), String> {
    let (path, display) = root.resolve(relative);
    let contents = files.read(&path).map_err(|error| format!("cannot read `{display}`: {error}"))?;
    let source = SourceFile { path: &path, display_path: &display, contents: &contents };
    let findings = parse(setup, &source, files)?;
    let chosen = choose(setup, findings);
    if chosen.is_empty() {
        return Err(format!("`{display}` declares no {} version", setup.tool));
    }
    Ok((display, chosen))
}

fn parse(setup: &Setup, source: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Vec<Finding>, String> {
    let name = Path::new(source.display_path).file_name().and_then(|n| n.to_str()).unwrap_or("");
    let known = crate::toolchains::GLOBS.iter().any(|glob| glob.rsplit('/').next() == Some(name));
    if known {
        let parsed = Toolchains.parse(source, files).map_err(|error| error.to_string())?;
        return Ok(parsed.findings);
    }
    let text = source.text().map_err(|error| error.to_string())?;
    let mut out = Collector::new(source.display_path);
    if let Some((line, written)) = single_version_line(text, &mut out) {
        let (version, pinned) = setup.version(written);
        let declaration = Declaration {
            name: setup.tool,
            spelling: None,
            kind: setup.kind(),
            declared: written,
            version: Some(version.to_owned()),
            pinned,
            field: name,
        };
        out.declare(declaration, crate::finding::Scope::Build, line);
    }
    Ok(out.finish().findings)
}

/// The findings of the tool, from the most preferred field present; all of them where the
/// action installs several versions, else the first.
fn choose(setup: &Setup, findings: Vec<Finding>) -> Vec<Finding> {
    let preference = setup.file_fields();
    let rank = |finding: &Finding| {
        let field = finding.properties.get(PROP_FIELD).map_or("", String::as_str);
        preference.iter().position(|preferred| *preferred == field).unwrap_or(preference.len())
    };
    let mut candidates: Vec<Finding> = findings.into_iter().filter(|f| f.name == setup.tool).collect();
    let Some(best) = candidates.iter().map(rank).min() else { return candidates };
    candidates.retain(|finding| rank(finding) == best);
    if !setup.several {
        candidates.truncate(1);
    }
    candidates
}
