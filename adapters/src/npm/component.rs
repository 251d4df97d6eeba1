//! One package folder as a [`Finding`]: purl, scope, hashes, licences and npm's flags as
//! properties.
//!
//! Scope follows npm's own reading of its flags (the `package-lock.json` documentation): `dev`
//! is a package only dev dependencies need → development. `devOptional` is "a dev dependency
//! and also an optional dependency of a non-dev dependency": `npm install --omit=dev` still
//! installs it, so it is reachable at run time → runtime, marked optional. `optional` and `peer`
//! packages are installed in production too → runtime, marked as such.

use std::collections::BTreeMap;

use super::integrity;
use super::source::{classify, Source};
use super::tree::{folder_name, is_installed, Node, NodeKind};
use crate::finding::{ComponentKind, Finding, Location, Role, Scope};
use crate::purl;

/// CycloneDX npm taxonomy: the package is only a dev dependency.
pub(super) const DEVELOPMENT: &str = "cdx:npm:package:development";
/// CycloneDX npm taxonomy: the package ships inside its parent.
pub(super) const BUNDLED: &str = "cdx:npm:package:bundled";
/// CycloneDX npm taxonomy: needed by nothing — npm's own flag, or (v2, v3) nothing of the project
/// reaches the package except through optional peer dependencies, so npm does not install it.
pub(super) const EXTRANEOUS: &str = "cdx:npm:package:extraneous";
/// CycloneDX npm taxonomy: where the package is installed, relative to the project root.
pub(super) const PATH: &str = "cdx:npm:package:path";
/// Only reached through optional dependencies (or `devOptional`).
pub(super) const OPTIONAL: &str = "shelflife:npm:optional";
/// npm's `devOptional` flag.
pub(super) const DEV_OPTIONAL: &str = "shelflife:npm:dev-optional";
/// Only reached through peer dependencies.
pub(super) const PEER: &str = "shelflife:npm:peer";
/// The folder name an aliased package (`"pad": "npm:left-pad@1.3.0"`) is installed under.
pub(super) const ALIAS: &str = "shelflife:npm:alias";
/// A source other than the default registry, as the lockfile writes it.
pub(super) const RESOLVED: &str = "shelflife:npm:resolved";
/// Platform restrictions, comma-separated as listed (`darwin`, `!win32`).
pub(super) const OS: &str = "shelflife:npm:os";
/// Processor restrictions.
pub(super) const CPU: &str = "shelflife:npm:cpu";
/// C library restrictions.
pub(super) const LIBC: &str = "shelflife:npm:libc";
/// CycloneDX npm taxonomy: a required engine version, `<ENGINE>` appended (`…:engine:node`).
pub(super) const ENGINE: &str = "cdx:npm:package:constraint:engine:";

/// The finding for `node` (not a link, not broken), without edges; a problem with its
/// `integrity` is returned beside it.
pub(super) fn finding(node: &Node<'_>, display_path: &str) -> (Finding, Option<String>) {
    let (kind, role) = match node.kind {
        NodeKind::Root => (ComponentKind::Application, Role::Subject),
        NodeKind::Local => (ComponentKind::Library, Role::Subject),
        _ => (ComponentKind::Library, Role::Dependency),
    };
    let scope = if node.flags.dev { Scope::Development } else { Scope::Runtime };
    let version = node.version.as_deref().map(str::to_owned);
    let location = Location::line(display_path, node.line);
    let mut finding = Finding::new(node.path.as_ref(), kind, node.name.as_ref(), version, scope, location);
    finding.role = role;
    let source = node.resolved.as_deref().map(|resolved| classify(resolved, &node.name));
    finding.purl = purl_of(node, source.as_ref());
    finding.licenses.clone_from(&node.licenses);
    finding.properties = properties(node, source.as_ref());
    let problem = match node.integrity.as_deref().map(integrity::hashes) {
        Some(Ok(hashes)) => {
            finding.hashes = hashes;
            None
        }
        Some(Err(problem)) => Some(format!("entry `{}`: {problem}", node.path)),
        None => None,
    };
    (finding, problem)
}

/// `pkg:npm/%40scope/name@version`, with the source's qualifier.
fn purl_of(node: &Node<'_>, source: Option<&Source<'_>>) -> Option<String> {
    let (namespace, name) = match node.name.split_once('/') {
        Some((scope, name)) if scope.starts_with('@') => (Some(scope), name),
        _ => (None, node.name.as_ref()),
    };
    let qualifiers: &[(&str, &str)] = match source {
        Some(Source::Qualified(key, value)) => &[(key, value.as_str())],
        _ => &[],
    };
    purl::build("npm", namespace, name, node.version.as_deref(), qualifiers)
}

fn properties(node: &Node<'_>, source: Option<&Source<'_>>) -> BTreeMap<String, String> {
    let flags = node.flags;
    let mut properties = BTreeMap::new();
    let mut set = |key: &str, value: &str| {
        properties.insert(key.to_owned(), value.to_owned());
    };
    set(PATH, &node.path);
    for (key, on) in [
        (DEVELOPMENT, flags.dev),
        (OPTIONAL, flags.optional || flags.dev_optional),
        (DEV_OPTIONAL, flags.dev_optional),
        (PEER, flags.peer),
        (BUNDLED, flags.bundled),
        (EXTRANEOUS, flags.extraneous),
    ] {
        if on {
            set(key, "true");
        }
    }
    let folder = folder_name(&node.path);
    if is_installed(&node.path) && folder != node.name {
        set(ALIAS, folder);
    }
    if let (Some(resolved), Some(Source::Qualified(..) | Source::Other(_))) = (&node.resolved, source) {
        set(RESOLVED, resolved);
    }
    for (key, values) in [(OS, &node.platform.os), (CPU, &node.platform.cpu), (LIBC, &node.platform.libc)] {
        if !values.is_empty() {
            set(key, &values.join(","));
        }
    }
    for (engine, range) in &node.platform.engines {
        set(&format!("{ENGINE}{engine}"), range);
    }
    properties
}
