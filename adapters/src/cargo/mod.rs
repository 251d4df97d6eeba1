//! Cargo: `Cargo.lock` (versions 1 to 4) with the workspace's `Cargo.toml` files.
//!
//! Every locked package becomes a finding. The workspace's own crates are the subject; the
//! others are runtime (reached from a member through normal dependencies only), else build
//! (through normal and build dependencies), else development. The dependency kinds come from
//! `cargo metadata` when that is enabled and works ([`MetadataPolicy`]), else from the
//! members' manifests (every edge of a third-party crate counts as normal), else (no readable
//! `Cargo.toml`) every package is reported as runtime with a problem saying why. The property
//! `shelflife:cargo:scope-basis` says which.
//!
//! The lockfile is read with `toml` and serde into borrowed structs rather than with the
//! `cargo-lock` crate: that crate rejects a whole file for one damaged package and keeps no
//! line numbers, and this adapter must report both.

mod lenient;
mod lock;
mod manifest;
mod metadata;
mod scope;
mod source;
mod workspace;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use metadata::{run_cargo_metadata, MetadataPolicy, MetadataRunner, METADATA_ENV};

use self::lock::Lockfile;
use self::scope::{EdgeKinds, Edges};
use self::source::Source;
use self::workspace::Workspace;
use crate::{
    Adapter, ComponentKind, FileAccess, Finding, Hash, HashAlgorithm, Location, ParseError, Parsed, Problem,
    Role, Scope, SourceFile,
};

/// The adapter as the registry uses it: `cargo metadata` only when [`METADATA_ENV`] asks.
pub static CARGO: CargoAdapter = CargoAdapter::new(MetadataPolicy::FromEnvironment);

/// Reads `Cargo.lock` files.
#[derive(Debug, Clone, Copy)]
pub struct CargoAdapter {
    policy: MetadataPolicy,
    runner: MetadataRunner,
}

impl CargoAdapter {
    /// An adapter that uses `cargo metadata` as `policy` says.
    pub const fn new(policy: MetadataPolicy) -> Self {
        Self { policy, runner: run_cargo_metadata }
    }

    /// An adapter that always asks `runner` for `cargo metadata` output (a sandboxed cargo, or
    /// a recorded answer), falling back to the lockfile when it fails.
    pub const fn with_metadata_runner(runner: MetadataRunner) -> Self {
        Self { policy: MetadataPolicy::Auto, runner }
    }
}

impl Adapter for CargoAdapter {
    fn name(&self) -> &'static str {
        "cargo"
    }

    fn parse(&self, file: &SourceFile<'_>, files: &dyn FileAccess) -> Result<Parsed, ParseError> {
        let mut problems = Vec::new();
        let lock = lock::parse(file, &mut problems)?;
        let classification = self.classify(file, files, &lock, &mut problems);
        let findings = findings(file.display_path, &lock, &classification, &mut problems);
        Ok(Parsed { findings, problems })
    }
}

/// Where the scopes came from; written as `shelflife:cargo:scope-basis`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Basis {
    /// `cargo metadata`'s dependency kinds.
    CargoMetadata,
    /// The members' manifests, with every edge of a non-member taken as normal.
    Manifests,
    /// No manifest could be read: everything is runtime.
    LockfileOnly,
}

impl Basis {
    fn as_str(self) -> &'static str {
        match self {
            Self::CargoMetadata => "cargo-metadata",
            Self::Manifests => "manifests",
            Self::LockfileOnly => "lockfile",
        }
    }
}

/// What is known about each locked package beyond the lock itself, by index.
struct Classification {
    basis: Basis,
    subjects: Vec<bool>,
    applications: Vec<bool>,
    scopes: Vec<Option<Scope>>,
    paths: HashMap<usize, String>,
}

impl CargoAdapter {
    fn classify(
        &self,
        file: &SourceFile<'_>,
        files: &dyn FileAccess,
        lock: &Lockfile<'_>,
        problems: &mut Vec<Problem>,
    ) -> Classification {
        if self.metadata_wanted(file, problems) {
            if let Some(classification) = self.ask_cargo_metadata(file, files, lock) {
                return classification;
            }
        }
        match workspace::discover(file, files, problems) {
            Ok(workspace) => from_manifests(lock, &workspace),
            Err(error) => {
                let message = format!(
                    "{}; without it dev and build dependencies cannot be told apart, so every package is \
                     reported as runtime",
                    workspace::error_message(&error)
                );
                problems.push(Problem { location: error.location, message });
                lockfile_only(lock)
            }
        }
    }

    fn metadata_wanted(&self, file: &SourceFile<'_>, problems: &mut Vec<Problem>) -> bool {
        self.policy.wants_metadata().unwrap_or_else(|message| {
            problems.push(Problem { location: Location::file(file.display_path), message });
            false
        })
    }

    /// The classification `cargo metadata` gives, or `None` when it cannot answer for this
    /// lockfile (not on disk, cargo missing or failing, a different workspace).
    fn ask_cargo_metadata(
        &self,
        file: &SourceFile<'_>,
        files: &dyn FileAccess,
        lock: &Lockfile<'_>,
    ) -> Option<Classification> {
        let manifest = files.real_path(&file.sibling("Cargo.toml"))?;
        let json = (self.runner)(&manifest).ok()?;
        let view = metadata::interpret(&json, lock).ok()?;
        let mut subjects = vec![false; lock.packages.len()];
        for &member in &view.members {
            subjects[member] = true;
        }
        let scopes = scope::classify(&view.edges, &view.members);
        let paths = view
            .path_dirs
            .into_iter()
            .map(|(index, dir)| (index, workspace::display_dir(file.display_path, &dir)))
            .collect();
        Some(Classification {
            basis: Basis::CargoMetadata,
            subjects,
            applications: view.applications,
            scopes,
            paths,
        })
    }
}

/// Classification from the members' manifests: members are the subject, their declared
/// dependency kinds label their edges, and every other edge counts as normal.
fn from_manifests(lock: &Lockfile<'_>, workspace: &Workspace) -> Classification {
    let count = lock.packages.len();
    let mut subjects = vec![false; count];
    let mut applications = vec![false; count];
    let mut member_of = vec![None; count];
    let mut paths = HashMap::new();
    for (index, package) in lock.packages.iter().enumerate().filter(|(_, p)| p.source.is_none()) {
        if let Some(position) = workspace.members.iter().position(|m| m.name == package.name) {
            subjects[index] = true;
            applications[index] = workspace.members[position].is_application;
            member_of[index] = Some(position);
        } else if let Some(path) = workspace.path_dependencies.get(package.name.as_ref()) {
            paths.insert(index, path.clone());
        }
    }
    mark_unclaimed_roots(lock, &mut subjects, |index| {
        member_of[index].is_some() || paths.contains_key(&index)
    });
    let edges: Edges = lock
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            let member = member_of[index].map(|position| &workspace.members[position]);
            package
                .dependencies
                .iter()
                .map(|&target| (target, declared_kinds(member, &lock.packages[target].name)))
                .collect()
        })
        .collect();
    let roots: Vec<usize> = (0..count).filter(|&index| subjects[index]).collect();
    let scopes = scope::classify(&edges, &roots);
    Classification { basis: Basis::Manifests, subjects, applications, scopes, paths }
}

/// The kinds a member declares for the package `name`; normal when it declares none (or the
/// package is not a member, whose dev dependencies the lock does not hold).
fn declared_kinds(member: Option<&workspace::Member>, name: &str) -> EdgeKinds {
    let kinds = member
        .into_iter()
        .flat_map(|member| &member.dependencies)
        .filter(|(package, _)| package == name)
        .fold(EdgeKinds::default(), |kinds, (_, kind)| kinds.union(EdgeKinds::from(*kind)));
    if kinds.is_empty() {
        EdgeKinds::NORMAL
    } else {
        kinds
    }
}

impl From<manifest::DependencyKind> for EdgeKinds {
    fn from(kind: manifest::DependencyKind) -> Self {
        match kind {
            manifest::DependencyKind::Normal => Self::NORMAL,
            manifest::DependencyKind::Build => Self::BUILD,
            manifest::DependencyKind::Development => Self::DEVELOPMENT,
        }
    }
}

/// Without manifests everything is runtime; path packages nothing depends on are taken for the
/// workspace's crates.
fn lockfile_only(lock: &Lockfile<'_>) -> Classification {
    let count = lock.packages.len();
    let mut subjects = vec![false; count];
    mark_unclaimed_roots(lock, &mut subjects, |_| false);
    Classification {
        basis: Basis::LockfileOnly,
        subjects,
        applications: vec![false; count],
        scopes: vec![Some(Scope::Runtime); count],
        paths: HashMap::new(),
    }
}

/// Path packages the manifests did not place (`claimed` says which they did) are the
/// workspace's own crates when no locked package depends on them, else path dependencies.
fn mark_unclaimed_roots(lock: &Lockfile<'_>, subjects: &mut [bool], claimed: impl Fn(usize) -> bool) {
    let mut depended_on = vec![false; lock.packages.len()];
    for package in &lock.packages {
        for &target in &package.dependencies {
            depended_on[target] = true;
        }
    }
    for (index, package) in lock.packages.iter().enumerate() {
        if package.source.is_none() && !claimed(index) && !depended_on[index] {
            subjects[index] = true;
        }
    }
}

/// One finding per locked package.
fn findings(
    display_path: &str,
    lock: &Lockfile<'_>,
    classification: &Classification,
    problems: &mut Vec<Problem>,
) -> Vec<Finding> {
    let keys: Vec<String> = lock.packages.iter().map(|package| package.key()).collect();
    let mut findings = Vec::with_capacity(lock.packages.len());
    for (index, package) in lock.packages.iter().enumerate() {
        let source = package.source();
        if let Source::Unknown(raw) = source {
            let message =
                format!("package `{}`: unknown source kind `{raw}`; no download qualifier", package.name);
            problems.push(Problem { location: Location::line(display_path, package.line), message });
        }
        let subject = classification.subjects[index];
        let kind = if subject && classification.applications[index] {
            ComponentKind::Application
        } else {
            ComponentKind::Library
        };
        let scope = classification.scopes[index];
        let mut finding = Finding::new(
            keys[index].clone(),
            kind,
            package.name.as_ref(),
            Some(package.version.clone().into_owned()),
            if subject { Scope::Runtime } else { scope.unwrap_or(Scope::Runtime) },
            Location::line(display_path, package.line),
        );
        finding.role = if subject { Role::Subject } else { Role::Dependency };
        finding.purl = source.purl(&package.name, &package.version);
        if let Some(checksum) = &package.checksum {
            finding.hashes.push(Hash { algorithm: HashAlgorithm::Sha256, value: checksum.to_string() });
        }
        add_properties(&mut finding, source, classification, index);
        finding.depends_on = package.dependencies.iter().map(|&target| keys[target].clone()).collect();
        findings.push(finding);
    }
    findings
}

fn add_properties(finding: &mut Finding, source: Source<'_>, classification: &Classification, index: usize) {
    let properties = &mut finding.properties;
    properties.insert("shelflife:cargo:source".into(), source.kind_name().into());
    if let Source::Git(git) = source {
        if let Some(reference) = git.decoded_reference() {
            properties.insert("shelflife:cargo:git-reference".into(), reference.into_owned());
        }
    }
    if let Some(path) = classification.paths.get(&index) {
        properties.insert("shelflife:cargo:path".into(), path.clone());
    }
    if finding.role == Role::Dependency {
        properties.insert("shelflife:cargo:scope-basis".into(), classification.basis.as_str().into());
        if classification.scopes[index].is_none() {
            properties.insert("shelflife:cargo:reachable".into(), "false".into());
        }
    }
}
