//! `cargo metadata`: Cargo's own answer to which dependency is normal, dev or build.
//!
//! Running it costs a process and Cargo's start-up: measured here 63 ms, 147 ms and 480 ms for
//! lockfiles of 10, 92 and 746 packages, against 0.07 ms, 0.23 ms and 2.6 ms for reading the
//! lockfile and manifests. It also needs every crate's source already downloaded, and it runs
//! `rustc -vV` under the scanned tree's `.cargo/config.toml`. So it is opt-in
//! ([`MetadataPolicy`]); the lockfile and manifests give the same answer except for the build
//! dependencies of third-party crates (`cc` under a `-sys` crate), which only Cargo knows and
//! which the lockfile reading reports as runtime.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, PackageId};

use super::lock::Lockfile;
use super::scope::{EdgeKinds, Edges};
use super::source::Source;

/// The environment variable that turns `cargo metadata` on (`auto`) or off (`never`).
pub const METADATA_ENV: &str = "SHELFLIFE_CARGO_METADATA";

/// How long `cargo metadata` may take before it is stopped and the lockfile is used instead.
const METADATA_TIMEOUT: Duration = Duration::from_secs(30);

/// Whether to ask `cargo metadata` for the dependency kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataPolicy {
    /// Never run cargo: read the lockfile and manifests only (the default: fast and pure).
    Never,
    /// Run `cargo metadata --offline --locked` when the tree is on disk, and fall back to the
    /// lockfile and manifests when it fails.
    Auto,
    /// Read [`METADATA_ENV`] at each parse: `auto` (or `1`) is [`Self::Auto`]; unset, empty,
    /// `never` (or `0`) is [`Self::Never`].
    FromEnvironment,
}

impl MetadataPolicy {
    /// Whether to run cargo; `Err` names a value of [`METADATA_ENV`] that means neither.
    pub(super) fn wants_metadata(self) -> Result<bool, String> {
        match self {
            Self::Never => Ok(false),
            Self::Auto => Ok(true),
            Self::FromEnvironment => match std::env::var(METADATA_ENV).as_deref() {
                Ok("auto" | "1") => Ok(true),
                Ok("never" | "0" | "") | Err(std::env::VarError::NotPresent) => Ok(false),
                Ok(other) => {
                    Err(format!("{METADATA_ENV}={other} is neither `auto` nor `never`; using `never`"))
                }
                Err(std::env::VarError::NotUnicode(_)) => {
                    Err(format!("{METADATA_ENV} is not valid Unicode; using `never`"))
                }
            },
        }
    }
}

/// Runs `cargo metadata` for the manifest at the given real path and returns its JSON output,
/// or why it could not.
pub type MetadataRunner = fn(&Path) -> Result<String, String>;

/// The real [`MetadataRunner`]: `cargo metadata --format-version 1 --offline --locked`, with
/// a time limit. Cargo runs `rustc -vV`; the environment overrides whatever `rustc` or rustc
/// wrapper the scanned tree's `.cargo/config.toml` names, and forbids rustup to install a
/// toolchain its `rust-toolchain.toml` asks for.
pub fn run_cargo_metadata(manifest: &Path) -> Result<String, String> {
    let mut command: Command = MetadataCommand::new()
        .manifest_path(manifest)
        .other_options(vec!["--offline".to_owned(), "--locked".to_owned()])
        .cargo_command();
    if std::env::var_os("RUSTC").is_none() {
        command.env("RUSTC", "rustc");
    }
    command
        .env("RUSTC_WRAPPER", "")
        .env("RUSTC_WORKSPACE_WRAPPER", "")
        .env("RUSTUP_AUTO_INSTALL", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = command.spawn().map_err(|error| format!("cannot run cargo: {error}"))?;
    wait_with_timeout(child, METADATA_TIMEOUT)
}

fn wait_with_timeout(mut child: Child, timeout: Duration) -> Result<String, String> {
    let stdout = child.stdout.take().map(|pipe| thread::spawn(move || read_all(pipe)));
    let stderr = child.stderr.take().map(|pipe| thread::spawn(move || read_all(pipe)));
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                // The child may have exited just now; either way it is reaped below.
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("cargo metadata did not finish within {} s", timeout.as_secs()));
            }
            Err(error) => return Err(format!("cannot wait for cargo: {error}")),
        }
    };
    let output = stdout.and_then(|reader| reader.join().ok()).unwrap_or_default();
    let errors = stderr.and_then(|reader| reader.join().ok()).unwrap_or_default();
    if status.success() {
        Ok(output)
    } else {
        Err(format!("cargo metadata failed ({status}): {}", errors.trim()))
    }
}

fn read_all(mut pipe: impl Read) -> String {
    let mut text = String::new();
    match pipe.read_to_string(&mut text) {
        Ok(_) => text,
        Err(_) => String::new(),
    }
}

/// What `cargo metadata` says about the packages of one lockfile, by lockfile index.
#[derive(Debug)]
pub(super) struct MetadataView {
    /// The workspace members.
    pub members: Vec<usize>,
    /// Packages with a binary target.
    pub applications: Vec<bool>,
    /// The resolve graph with exact dependency kinds.
    pub edges: Edges,
    /// Path packages that are not members: their directory relative to the workspace root.
    pub path_dirs: HashMap<usize, String>,
}

/// Reads `cargo metadata` JSON and maps it onto the lockfile's packages. Fails when the two do
/// not describe the same set of packages (a lockfile that is not the workspace's, say).
pub(super) fn interpret(json: &str, lock: &Lockfile<'_>) -> Result<MetadataView, String> {
    let metadata: Metadata =
        serde_json::from_str(json).map_err(|error| format!("unexpected cargo metadata output: {error}"))?;
    let resolve = metadata.resolve.as_ref().ok_or("cargo metadata gave no resolve graph")?;
    if metadata.packages.len() != lock.packages.len() {
        return Err(format!(
            "cargo metadata lists {} packages, the lockfile {}",
            metadata.packages.len(),
            lock.packages.len()
        ));
    }
    let index = index_packages(&metadata, lock)?;
    let position = |id: &PackageId| index.get(id).copied().ok_or_else(|| format!("unknown package id {id}"));
    let mut edges: Edges = vec![Vec::new(); lock.packages.len()];
    for node in &resolve.nodes {
        let from = position(&node.id)?;
        for dependency in &node.deps {
            let kinds = dependency
                .dep_kinds
                .iter()
                .fold(EdgeKinds::default(), |kinds, info| kinds.union(edge_kind(info.kind)));
            let kinds = if kinds.is_empty() { EdgeKinds::NORMAL } else { kinds };
            edges[from].push((position(&dependency.pkg)?, kinds));
        }
    }
    let members: Vec<usize> = metadata.workspace_members.iter().map(position).collect::<Result<_, _>>()?;
    let mut applications = vec![false; lock.packages.len()];
    let mut path_dirs = HashMap::new();
    for package in &metadata.packages {
        let at = position(&package.id)?;
        applications[at] = package.targets.iter().any(|target| target.is_bin());
        let directory =
            package.manifest_path.parent().and_then(|dir| dir.strip_prefix(&metadata.workspace_root).ok());
        if let (None, false, Some(directory)) = (&package.source, members.contains(&at), directory) {
            path_dirs.insert(at, directory.as_str().replace('\\', "/"));
        }
    }
    Ok(MetadataView { members, applications, edges, path_dirs })
}

/// Maps each metadata package id to the lockfile package of the same name, version and origin.
fn index_packages<'m>(
    metadata: &'m Metadata,
    lock: &Lockfile<'_>,
) -> Result<HashMap<&'m PackageId, usize>, String> {
    let by_identity: HashMap<(Option<String>, bool), usize> = lock
        .packages
        .iter()
        .enumerate()
        .map(|(index, package)| {
            let source = package.source();
            ((source.purl(&package.name, &package.version), source == Source::Path), index)
        })
        .collect();
    let mut index = HashMap::with_capacity(metadata.packages.len());
    for package in &metadata.packages {
        let source = Source::parse(package.source.as_ref().map(|source| source.repr.as_str()));
        let version = package.version.to_string();
        let identity = (source.purl(&package.name, &version), source == Source::Path);
        let position = by_identity.get(&identity).ok_or_else(|| {
            format!("cargo metadata lists {} {version}, which the lockfile lacks", package.name)
        })?;
        index.insert(&package.id, *position);
    }
    Ok(index)
}

fn edge_kind(kind: DependencyKind) -> EdgeKinds {
    match kind {
        DependencyKind::Development => EdgeKinds::DEVELOPMENT,
        DependencyKind::Build => EdgeKinds::BUILD,
        DependencyKind::Normal | DependencyKind::Unknown => EdgeKinds::NORMAL,
    }
}
