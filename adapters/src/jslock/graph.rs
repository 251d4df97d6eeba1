//! A lockfile read into packages and edges, before scopes and purls are decided.

use crate::finding::{Hash, Role};

/// One package of a lockfile, or one of the project's own workspaces.
#[derive(Debug, Clone)]
pub struct LockPackage {
    /// The package's real name (an alias's target, not the alias).
    pub name: String,
    /// The resolved version, where the lockfile gives one.
    pub version: Option<String>,
    /// [`Role::Subject`] for the project's own workspaces, else [`Role::Dependency`].
    pub role: Role,
    /// The 1-based line of its entry in the lockfile.
    pub line: Option<u32>,
    /// Hashes the lockfile records for it.
    pub hashes: Vec<Hash>,
    /// purl qualifiers for packages that do not come from the registry (`download_url`,
    /// `vcs_url`).
    pub qualifiers: Vec<(&'static str, String)>,
    /// Further facts as properties; a name given several values (two peer sets of one
    /// package, say) keeps them all.
    pub properties: Vec<(&'static str, String)>,
    /// Indices of the packages it needs when it runs.
    pub deps: Vec<usize>,
    /// Indices of the packages only its development needs (a workspace's devDependencies).
    pub dev_deps: Vec<usize>,
}

impl LockPackage {
    /// A dependency with no line, hashes, properties or edges yet.
    pub fn new(name: impl Into<String>, version: Option<String>) -> Self {
        Self {
            name: name.into(),
            version,
            role: Role::Dependency,
            line: None,
            hashes: Vec::new(),
            qualifiers: Vec::new(),
            properties: Vec::new(),
            deps: Vec::new(),
            dev_deps: Vec::new(),
        }
    }

    /// One of the project's own workspaces.
    pub fn subject(name: impl Into<String>, version: Option<String>) -> Self {
        Self { role: Role::Subject, ..Self::new(name, version) }
    }
}

/// Every package of one lockfile, with edges by index.
#[derive(Debug, Clone, Default)]
pub struct LockGraph {
    /// The packages; edges refer to positions in this list.
    pub packages: Vec<LockPackage>,
}

impl LockGraph {
    /// Adds a package and returns its index.
    pub fn add(&mut self, package: LockPackage) -> usize {
        self.packages.push(package);
        self.packages.len() - 1
    }

    /// Notes `patch` as `property` on the packages `spec` (`name@version`) names: a patched
    /// package is the package, with its patch noted. The workspaces are never patched.
    pub fn note_patch(&mut self, spec: &str, property: &'static str, patch: &str) {
        let Some((name, version)) = super::split_descriptor(spec) else { return };
        let named = |p: &&mut LockPackage| p.name == name && p.version.as_deref() == Some(version);
        for package in self.packages.iter_mut().filter(|p| p.role == Role::Dependency).filter(named) {
            package.properties.push((property, patch.to_owned()));
        }
    }
}
