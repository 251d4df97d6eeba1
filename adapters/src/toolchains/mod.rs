//! Development tools and runtimes that a project pins in its own files: the Rust toolchain,
//! Node.js and its package managers, Python, Go, Java (SDKMAN!), the .NET SDK, and anything in
//! asdf's `.tool-versions`. Each becomes a [`ComponentKind::Platform`] (a runtime) or a
//! [`ComponentKind::Tool`] finding of scope [`Scope::Build`] (`devEngines`: development), named
//! canonically ([`names`]) and carrying the version as written and whether it is pinned
//! ([`declared`]).
//!
//! [`ComponentKind::Platform`]: crate::ComponentKind::Platform
//! [`ComponentKind::Tool`]: crate::ComponentKind::Tool
//! [`Scope::Build`]: crate::Scope::Build

pub mod asdf;
pub mod declared;
pub mod dotnet;
pub mod go;
pub mod json_doc;
pub mod names;
pub mod node;
pub mod python;
pub mod rust;
pub mod sdkman;
pub mod toml_doc;
pub mod version;

#[cfg(test)]
mod tests;

use crate::adapter::{Adapter, FileAccess, ParseError, SourceFile};
use crate::finding::Parsed;
use declared::Collector;

/// The files this adapter reads, for the registry.
pub const GLOBS: &[&str] = &[
    "**/rust-toolchain",
    "**/rust-toolchain.toml",
    "**/Cargo.toml",
    "**/.nvmrc",
    "**/.node-version",
    "**/package.json",
    "**/.python-version",
    "**/pyproject.toml",
    "**/.tool-versions",
    "**/.sdkmanrc",
    "**/global.json",
    "**/go.mod",
    "**/go.work",
];

/// Reads the toolchain files listed in [`GLOBS`].
#[derive(Debug, Default, Clone, Copy)]
pub struct Toolchains;

impl Adapter for Toolchains {
    fn name(&self) -> &'static str {
        "toolchains"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let mut out = Collector::new(file.display_path);
        if is_installed_dependency(file.display_path) {
            return Ok(out.finish());
        }
        let file_name = file.display_path.rsplit('/').next().unwrap_or(file.display_path);
        match file_name {
            "rust-toolchain" | "rust-toolchain.toml" => rust::parse_toolchain_file(file, &mut out)?,
            "Cargo.toml" => rust::parse_cargo_manifest(file, files, &mut out)?,
            ".nvmrc" | ".node-version" => node::parse_version_file(file, &mut out)?,
            "package.json" => node::parse_package_json(file, &mut out)?,
            ".python-version" => python::parse_version_file(file, &mut out)?,
            "pyproject.toml" => python::parse_pyproject(file, &mut out)?,
            ".tool-versions" => asdf::parse_tool_versions(file, &mut out)?,
            ".sdkmanrc" => sdkman::parse_sdkmanrc(file, &mut out)?,
            "global.json" => dotnet::parse_global_json(file, &mut out)?,
            "go.mod" | "go.work" => go::parse_go_mod(file, &mut out)?,
            _ => return Err(ParseError::new(file.display_path, "not a toolchain file this adapter knows")),
        }
        Ok(out.finish())
    }
}

/// Whether a file belongs to an installed dependency (`node_modules/x/package.json`): its
/// `engines` say what that dependency supports, not which tools this project uses, and the
/// dependency itself is reported by the package manager's adapter.
fn is_installed_dependency(display_path: &str) -> bool {
    display_path.split('/').any(|segment| segment == "node_modules")
}
