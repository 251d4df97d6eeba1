//! Dev scope by reachability: what the workspaces' runtime dependencies reach is runtime;
//! what only their devDependencies reach is development.

use super::graph::LockPackage;
use crate::finding::Role;

/// How the dev scope of a lockfile's packages is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DevScope {
    /// From the workspaces' dependency lists, walked through the graph.
    FromWorkspaces,
    /// Unknown: every package is treated as runtime, and this message (why it is unknown)
    /// becomes a problem.
    Unknown(String),
}

/// How a package is reached from the project's own workspaces, from the most binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// By a chain of runtime dependencies (or it is a workspace).
    Runtime,
    /// Only through a devDependency.
    DevOnly,
    /// Not at all: nothing in the lockfile leads to it.
    Unreached,
}

/// The reach of every package, by index.
pub(crate) fn reach(packages: &[LockPackage]) -> Vec<Reach> {
    let subjects = || packages.iter().enumerate().filter(|(_, p)| p.role == Role::Subject);
    let runtime = closure(packages, subjects().flat_map(|(i, p)| p.deps.iter().copied().chain([i])));
    let dev = closure(packages, subjects().flat_map(|(_, p)| p.dev_deps.iter().copied()));
    runtime
        .iter()
        .zip(&dev)
        .map(|(&runtime, &dev)| match (runtime, dev) {
            (true, _) => Reach::Runtime,
            (false, true) => Reach::DevOnly,
            (false, false) => Reach::Unreached,
        })
        .collect()
}

/// Marks every package reachable from `starts` along runtime edges (`deps`).
fn closure(packages: &[LockPackage], starts: impl Iterator<Item = usize>) -> Vec<bool> {
    let mut seen = vec![false; packages.len()];
    let mut stack: Vec<usize> = starts.collect();
    while let Some(index) = stack.pop() {
        match seen.get_mut(index) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        if let Some(package) = packages.get(index) {
            stack.extend(package.deps.iter().copied());
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(role: Role, deps: &[usize], dev_deps: &[usize]) -> LockPackage {
        let mut package = LockPackage::new("p", None);
        package.role = role;
        package.deps = deps.to_vec();
        package.dev_deps = dev_deps.to_vec();
        package
    }

    #[test]
    fn dev_only_runtime_shared_and_unreached() {
        // 0 root → 1 (runtime) → 2; root dev → 3 → 2 and 4; 5 is unreached.
        let packages = vec![
            package(Role::Subject, &[1], &[3]),
            package(Role::Dependency, &[2], &[]),
            package(Role::Dependency, &[], &[]),
            package(Role::Dependency, &[2, 4], &[]),
            package(Role::Dependency, &[], &[]),
            package(Role::Dependency, &[], &[]),
        ];
        use Reach::*;
        assert_eq!(reach(&packages), vec![Runtime, Runtime, Runtime, DevOnly, DevOnly, Unreached]);
    }

    #[test]
    fn cycles_and_edges_out_of_range_are_harmless() {
        let packages = vec![package(Role::Subject, &[1], &[]), package(Role::Dependency, &[0, 1, 99], &[])];
        assert_eq!(reach(&packages), vec![Reach::Runtime, Reach::Runtime]);
    }
}
