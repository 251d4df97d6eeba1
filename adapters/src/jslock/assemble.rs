//! Findings from a [`LockGraph`]: one finding per purl (the patched and the plain entry of one
//! package, or one package in two peer contexts, are one component), scopes from
//! reachability, edges between findings.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{LockGraph, LockPackage};
use super::scope::{reach, DevScope, Reach};
use super::{npm_purl, FastMap};
use crate::finding::{ComponentKind, Finding, Location, Problem, Scope};

/// The property that marks a development-only npm package (as CycloneDX's npm taxonomy has it).
pub const DEVELOPMENT_PROPERTY: &str = "cdx:npm:package:development";

/// How many unreached packages a problem names before it says "and N more".
const NAMED_IN_PROBLEM: usize = 5;

/// Turns a lockfile's graph into findings, adding a problem when the dev scope is unknown or
/// some packages are reached from nowhere (they are kept, as runtime).
pub fn findings(
    graph: LockGraph,
    path: &str,
    dev_scope: &DevScope,
    problems: &mut Vec<Problem>,
) -> Vec<Finding> {
    let packages = graph.packages;
    let reaches = match dev_scope {
        DevScope::FromWorkspaces => reach(&packages),
        DevScope::Unknown(reason) => {
            problems.push(Problem { location: Location::file(path), message: reason.clone() });
            vec![Reach::Runtime; packages.len()]
        }
    };
    let identities: Vec<String> = packages.iter().map(identity).collect();
    let mut order: Vec<&str> = Vec::new();
    let mut groups: FastMap<&str, Vec<usize>> = FastMap::default();
    for (index, identity) in identities.iter().enumerate() {
        groups
            .entry(identity)
            .or_insert_with(|| {
                order.push(identity);
                Vec::new()
            })
            .push(index);
    }
    let group_reach = |identity: &str| -> Reach {
        let members = groups[identity].iter().map(|&m| reaches[m]);
        members.min_by_key(|r| *r as u8).unwrap_or(Reach::Unreached)
    };
    let unreached: Vec<&LockPackage> = order
        .iter()
        .filter(|identity| group_reach(identity) == Reach::Unreached)
        .map(|identity| &packages[groups[identity][0]])
        .collect();
    report_unreached(&unreached, path, problems);
    order
        .iter()
        .map(|identity| {
            let dev_only = group_reach(identity) == Reach::DevOnly;
            merge(identity, &groups[identity], &packages, dev_only, &identities, path)
        })
        .collect()
}

/// The purl where one can be formed, else `name@version`: what findings merge by.
fn identity(package: &LockPackage) -> String {
    let qualifiers: Vec<(&str, &str)> = package.qualifiers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    npm_purl(&package.name, package.version.as_deref(), &qualifiers)
        .unwrap_or_else(|| format!("{}@{}", package.name, package.version.as_deref().unwrap_or("")))
}

fn merge(
    identity: &str,
    members: &[usize],
    packages: &[LockPackage],
    dev_only: bool,
    identities: &[String],
    path: &str,
) -> Finding {
    let first = &packages[members[0]];
    let scope = if dev_only { Scope::Development } else { Scope::Runtime };
    let line = members.iter().filter_map(|&m| packages[m].line).min();
    let location = line.map_or_else(|| Location::file(path), |line| Location::line(path, line));
    let mut finding =
        Finding::new(identity, ComponentKind::Library, &first.name, first.version.clone(), scope, location);
    finding.role = members.iter().map(|&m| packages[m].role).min().unwrap_or(first.role);
    finding.purl = identity.starts_with("pkg:").then(|| identity.to_owned());

    let mut hashes = BTreeSet::new();
    let mut properties: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut depends_on = BTreeSet::new();
    for package in members.iter().map(|&m| &packages[m]) {
        hashes.extend(package.hashes.iter().cloned());
        for (key, value) in &package.properties {
            properties.entry(key).or_default().insert(value);
        }
        let edges = package.deps.iter().chain(&package.dev_deps);
        depends_on.extend(edges.filter_map(|&d| identities.get(d)).filter(|d| d.as_str() != identity));
    }
    finding.hashes = hashes.into_iter().collect();
    finding.properties = properties
        .into_iter()
        .map(|(key, values)| (key.to_owned(), values.into_iter().collect::<Vec<_>>().join(", ")))
        .collect();
    if dev_only {
        finding.properties.insert(DEVELOPMENT_PROPERTY.to_owned(), "true".to_owned());
    }
    finding.depends_on = depends_on.into_iter().cloned().collect();
    finding
}

fn report_unreached(unreached: &[&LockPackage], path: &str, problems: &mut Vec<Problem>) {
    if unreached.is_empty() {
        return;
    }
    let mut names: Vec<String> = unreached
        .iter()
        .take(NAMED_IN_PROBLEM)
        .map(|p| format!("{}@{}", p.name, p.version.as_deref().unwrap_or("?")))
        .collect();
    if unreached.len() > NAMED_IN_PROBLEM {
        names.push(format!("and {} more", unreached.len() - NAMED_IN_PROBLEM));
    }
    problems.push(Problem {
        location: Location::file(path),
        message: format!(
            "{} package(s) are not reached from any workspace's dependencies, so their dev scope is \
             unknown; treated as runtime: {}",
            unreached.len(),
            names.join(", ")
        ),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Role;

    fn graph() -> LockGraph {
        let mut graph = LockGraph::default();
        let mut root = LockPackage::subject("app", Some("1.0.0".into()));
        root.deps = vec![1];
        root.dev_deps = vec![3];
        graph.add(root);
        let mut plain = LockPackage::new("left-pad", Some("1.3.0".into()));
        plain.line = Some(20);
        graph.add(plain);
        let mut patched = LockPackage::new("left-pad", Some("1.3.0".into()));
        patched.line = Some(10);
        patched.properties.push(("shelflife:yarn:patch", "a.patch".into()));
        patched.deps = vec![1];
        graph.add(patched);
        graph.add(LockPackage::new("@types/node", Some("20.0.0".into())));
        graph.add(LockPackage::new("orphan", Some("0.1.0".into())));
        graph
    }

    #[test]
    fn one_finding_per_purl_with_scopes_and_edges() {
        let mut problems = Vec::new();
        let findings = findings(graph(), "yarn.lock", &DevScope::FromWorkspaces, &mut problems);
        let keys: Vec<&str> = findings.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "pkg:npm/app@1.0.0",
                "pkg:npm/left-pad@1.3.0",
                "pkg:npm/%40types/node@20.0.0",
                "pkg:npm/orphan@0.1.0"
            ]
        );
        assert_eq!(findings[0].role, Role::Subject);
        assert_eq!(findings[0].depends_on, ["pkg:npm/%40types/node@20.0.0", "pkg:npm/left-pad@1.3.0"]);
        let left_pad = &findings[1];
        assert_eq!(left_pad.location.line, Some(10), "the first line of the merged entries");
        assert_eq!(left_pad.properties["shelflife:yarn:patch"], "a.patch");
        assert!(left_pad.depends_on.is_empty(), "no edge to itself");
        assert_eq!(findings[2].scope, Scope::Development);
        assert_eq!(findings[2].properties[DEVELOPMENT_PROPERTY], "true");
        assert_eq!(findings[3].scope, Scope::Runtime);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("orphan@0.1.0"), "{}", problems[0].message);
    }

    #[test]
    fn unknown_dev_scope_is_all_runtime_with_one_problem() {
        let mut problems = Vec::new();
        let reason = DevScope::Unknown("no package.json".into());
        let findings = findings(graph(), "yarn.lock", &reason, &mut problems);
        assert!(findings.iter().all(|f| f.scope == Scope::Runtime));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message, "no package.json");
    }
}
