//! The package tree of a lockfile, whatever its version: one node per package folder, keyed by
//! its path, and Node's module resolution over those paths.

use std::borrow::Cow;
use std::collections::HashMap;

/// How a package declares one of its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DepKind {
    /// `dependencies`, or a v1 `requires`.
    Prod,
    /// `devDependencies` (the root's and the workspaces').
    Dev,
    /// `optionalDependencies`: may be missing.
    Optional,
    /// `peerDependencies`: provided by whoever installs the package.
    Peer,
    /// A peer marked optional in `peerDependenciesMeta`.
    PeerOptional,
}

impl DepKind {
    /// Whether the lockfile may lack the dependency without being broken.
    pub fn may_be_missing(self) -> bool {
        matches!(self, Self::Optional | Self::Peer | Self::PeerOptional)
    }
}

/// One dependency as a package declares it.
#[derive(Debug)]
pub(super) struct Dep<'a> {
    /// The folder name it is installed under (for an alias, the alias).
    pub name: Cow<'a, str>,
    /// How it is declared.
    pub kind: DepKind,
}

/// The npm flags of a package folder.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Flags {
    /// Only needed by dev dependencies.
    pub dev: bool,
    /// Only reached through optional dependencies.
    pub optional: bool,
    /// Needed by dev dependencies and, optionally, by production ones.
    pub dev_optional: bool,
    /// Only reached through peer dependencies.
    pub peer: bool,
    /// Shipped inside its parent's tarball (`bundleDependencies`).
    pub bundled: bool,
    /// Installed but needed by nothing.
    pub extraneous: bool,
}

/// The platforms a package installs on, as its `os`, `cpu` and `libc` fields list them
/// (`["linux"]`, `["!win32"]`; an empty list means any), and the engines it requires.
#[derive(Debug, Default)]
pub(super) struct Platform<'a> {
    /// Operating systems.
    pub os: Vec<Cow<'a, str>>,
    /// Processor architectures.
    pub cpu: Vec<Cow<'a, str>>,
    /// C libraries (`glibc`, `musl`).
    pub libc: Vec<Cow<'a, str>>,
    /// Required engine versions (`node` → `>=18`).
    pub engines: Vec<(String, String)>,
}

/// What a node stands for.
#[derive(Debug)]
pub(super) enum NodeKind<'a> {
    /// The project's root (`""`).
    Root,
    /// A package of the project itself: a workspace or a `file:` directory (no `node_modules/`
    /// in its path).
    Local,
    /// An installed package.
    Package,
    /// A symbolic link to the node at the given path.
    Link(Cow<'a, str>),
    /// An entry that could not be read (a problem says why): it resolves, to nothing.
    Broken,
}

/// One package folder.
#[derive(Debug)]
pub(super) struct Node<'a> {
    /// The path in the lockfile (`node_modules/a/node_modules/@s/b`; `""` for the root).
    pub path: Cow<'a, str>,
    /// What it stands for.
    pub kind: NodeKind<'a>,
    /// The real package name (for an alias, the aliased package).
    pub name: Cow<'a, str>,
    /// The version, where the lockfile states one.
    pub version: Option<Cow<'a, str>>,
    /// Where it was fetched from (a tarball URL, a git URL, a `file:` spec).
    pub resolved: Option<Cow<'a, str>>,
    /// The Subresource Integrity string.
    pub integrity: Option<Cow<'a, str>>,
    /// Licences as the lockfile records them.
    pub licenses: Vec<String>,
    /// npm's flags.
    pub flags: Flags,
    /// Declared dependencies, to be resolved through the tree.
    pub deps: Vec<Dep<'a>>,
    /// The platforms it installs on.
    pub platform: Platform<'a>,
    /// The line of its entry.
    pub line: u32,
}

impl<'a> Node<'a> {
    /// A node with no flags, dependencies, licences or source yet.
    pub fn new(path: Cow<'a, str>, kind: NodeKind<'a>, name: Cow<'a, str>, line: u32) -> Self {
        Self {
            path,
            kind,
            name,
            version: None,
            resolved: None,
            integrity: None,
            licenses: Vec::new(),
            flags: Flags::default(),
            deps: Vec::new(),
            platform: Platform::default(),
            line,
        }
    }
}

/// The folder name a path ends in: after the last `node_modules/` (`@scope/name` for scoped
/// packages), else after the last `/`.
pub(super) fn folder_name(path: &str) -> &str {
    match path.rfind("node_modules/") {
        Some(index) => &path[index + "node_modules/".len()..],
        None => path.rsplit('/').next().unwrap_or(path),
    }
}

/// Whether a path is inside some `node_modules` folder (an installed package, not the project's
/// own code).
pub(super) fn is_installed(path: &str) -> bool {
    path.starts_with("node_modules/") || path.contains("/node_modules/")
}

/// Every package folder of a lockfile, indexed by path.
pub(super) struct Tree<'a> {
    /// Nodes in file order.
    pub nodes: Vec<Node<'a>>,
    index: HashMap<Cow<'a, str>, usize>,
}

impl<'a> Tree<'a> {
    /// An empty tree.
    pub fn with_capacity(capacity: usize) -> Self {
        Self { nodes: Vec::with_capacity(capacity), index: HashMap::with_capacity(capacity) }
    }

    /// Adds a node, unless its path is already taken.
    pub fn insert(&mut self, node: Node<'a>) -> Result<(), Duplicate> {
        if self.index.contains_key(node.path.as_ref()) {
            return Err(Duplicate { path: node.path.into_owned(), line: node.line });
        }
        self.index.insert(node.path.clone(), self.nodes.len());
        self.nodes.push(node);
        Ok(())
    }

    /// The index in [`Tree::nodes`] of the node at `path`.
    pub fn position(&self, path: &str) -> Option<usize> {
        self.index.get(path).copied()
    }

    /// The node at `path`.
    pub fn get(&self, path: &str) -> Option<&Node<'a>> {
        self.index.get(path).map(|&i| &self.nodes[i])
    }

    /// The node at `path`, to change.
    pub fn get_mut(&mut self, path: &str) -> Option<&mut Node<'a>> {
        self.index.get(path).map(|&i| &mut self.nodes[i])
    }

    /// The node that `dep`, required from the package at `from`, loads: Node's resolution
    /// algorithm over the lockfile's paths — `<from>/node_modules/<dep>`, then the same in each
    /// enclosing folder that is not itself a `node_modules` folder, up to the root. A link
    /// resolves to its target.
    pub fn resolve(&self, from: &str, dep: &str) -> Resolution {
        let mut candidate = String::with_capacity(from.len() + dep.len() + 14);
        let mut dir = from;
        loop {
            if folder_of(dir) != "node_modules" {
                candidate.clear();
                if !dir.is_empty() {
                    candidate.push_str(dir);
                    candidate.push('/');
                }
                candidate.push_str("node_modules/");
                candidate.push_str(dep);
                if let Some(index) = self.position(&candidate) {
                    return self.follow(index);
                }
            }
            if dir.is_empty() {
                return Resolution::Missing;
            }
            dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
    }

    fn follow(&self, index: usize) -> Resolution {
        match &self.nodes[index].kind {
            NodeKind::Link(target) => match self.position(target) {
                Some(target) if !matches!(self.nodes[target].kind, NodeKind::Link(_) | NodeKind::Broken) => {
                    Resolution::Found(target)
                }
                _ => Resolution::Unreadable,
            },
            NodeKind::Broken => Resolution::Unreadable,
            _ => Resolution::Found(index),
        }
    }
}

/// A second entry for a path that has one already.
pub(super) struct Duplicate {
    /// The path.
    pub path: String,
    /// The line of the second entry.
    pub line: u32,
}

impl Duplicate {
    /// What a user is told.
    pub fn message(&self) -> String {
        format!("entry `{}` appears twice; the first one is used", self.path)
    }
}

/// The last segment of a path.
fn folder_of(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Where a dependency resolved to.
pub(super) enum Resolution {
    /// The node at this index of [`Tree::nodes`].
    Found(usize),
    /// Nowhere in the tree.
    Missing,
    /// To an entry (or a link's target) that could not be read, and that a problem names already.
    Unreadable,
}
