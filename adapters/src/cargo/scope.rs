//! Which locked packages run with the delivered software, which only build it, and which only
//! serve development, found by walking the dependency graph from the workspace members.

use crate::Scope;

/// The kinds of one dependency edge (an edge can be normal and dev at once), as bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct EdgeKinds(u8);

impl EdgeKinds {
    /// `[dependencies]`.
    pub const NORMAL: Self = Self(1);
    /// `[build-dependencies]`.
    pub const BUILD: Self = Self(2);
    /// `[dev-dependencies]`.
    pub const DEVELOPMENT: Self = Self(4);

    /// Both sets of kinds.
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether no kind is set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }
}

/// The graph: for each package, the packages it depends on and through which kinds.
pub(super) type Edges = Vec<Vec<(usize, EdgeKinds)>>;

/// The scope of every package reachable from `roots`: runtime when a chain of normal edges
/// reaches it; else build when a chain of normal and build edges does; else development.
/// Unreachable packages get `None`.
pub(super) fn classify(edges: &Edges, roots: &[usize]) -> Vec<Option<Scope>> {
    let mut scopes = vec![None; edges.len()];
    let passes = [
        (Scope::Runtime, EdgeKinds::NORMAL),
        (Scope::Build, EdgeKinds::NORMAL.union(EdgeKinds::BUILD)),
        (Scope::Development, EdgeKinds::NORMAL.union(EdgeKinds::BUILD).union(EdgeKinds::DEVELOPMENT)),
    ];
    for (scope, followed) in passes {
        let mut visited = vec![false; edges.len()];
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(node) = stack.pop() {
            let Some(seen) = visited.get_mut(node) else { continue };
            if std::mem::replace(seen, true) {
                continue;
            }
            scopes[node].get_or_insert(scope);
            let next = edges[node].iter().filter(|(_, kinds)| kinds.intersects(followed));
            stack.extend(next.map(|&(target, _)| target));
        }
    }
    scopes
}
