//! The inventory: every component of the scanned project, merged across files, with the
//! dependency graph between them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::lifecycle::assess::Lifecycle;
use serde::{Deserialize, Serialize};
use shelflife_adapters::{ComponentKind, Finding, Hash, Location, Parsed, Problem, Role, Scope};

/// One component of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Stable identifier within the inventory (the CycloneDX `bom-ref`, the SPDX id's seed).
    pub bom_ref: String,
    /// What kind of thing it is.
    pub kind: ComponentKind,
    /// The project itself, or something it uses.
    pub role: Role,
    /// The name as written in the file where it was first found.
    pub name: String,
    /// The version, where known.
    pub version: Option<String>,
    /// The Package URL, where one can be formed.
    pub purl: Option<String>,
    /// The most binding scope among all places it was found.
    pub scope: Scope,
    /// Licences as found (not normalised), de-duplicated.
    pub licenses: BTreeSet<String>,
    /// Hashes as found, de-duplicated.
    pub hashes: BTreeSet<Hash>,
    /// Every place it was found.
    pub locations: BTreeSet<Location>,
    /// Further facts as CycloneDX-style properties.
    pub properties: BTreeMap<String, String>,
    /// The adapters that reported it (`cargo`, `npm`).
    pub found_by: BTreeSet<String>,
    /// Its release cycle and that cycle's dates, each with its source; `None` until lifecycle
    /// enrichment ([`crate::lifecycle::enrich`]) has run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
}

/// The result of one file's parse, with the name of the adapter that read it.
#[derive(Debug, Clone)]
pub struct AdapterOutput {
    /// The adapter's name.
    pub adapter: &'static str,
    /// What it found.
    pub parsed: Parsed,
}

/// Every component of a scan, the edges between them, and what went wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inventory {
    /// Components sorted by `bom_ref`.
    pub components: Vec<Component>,
    /// `bom_ref` → the `bom_ref`s it depends on directly.
    pub dependencies: BTreeMap<String, BTreeSet<String>>,
    /// Problems met while scanning: each names its file. Non-empty means the scan is incomplete.
    pub problems: Vec<Problem>,
}

impl Inventory {
    /// Merges the adapters' outputs. The same package found in several files is one component
    /// with several locations; the same name at different versions stays separate.
    pub fn from_outputs(outputs: Vec<AdapterOutput>) -> Self {
        let mut builder = Builder::default();
        for output in outputs {
            builder.add(output);
        }
        builder.finish()
    }

    /// The components that are the project itself.
    pub fn subjects(&self) -> impl Iterator<Item = &Component> {
        self.components.iter().filter(|c| c.role == Role::Subject)
    }

    /// Whether anything went wrong during the scan.
    pub fn is_incomplete(&self) -> bool {
        !self.problems.is_empty()
    }

    /// Records problems met outside the adapters (unreadable files, walk errors), keeping the
    /// list sorted.
    pub fn add_problems(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.problems.extend(problems);
        sort_problems(&mut self.problems);
    }

    /// The component with the given `bom_ref`.
    pub fn component(&self, bom_ref: &str) -> Option<&Component> {
        self.components
            .binary_search_by(|c| c.bom_ref.as_str().cmp(bom_ref))
            .ok()
            .map(|i| &self.components[i])
    }
}

/// The identity under which findings merge: the purl where there is one, else the kind, name
/// and version. Adapters give tools and runtimes canonical names (`nodejs`, `rust`), so the
/// Node.js 20 of an `.nvmrc` and of a CI workflow's `setup-node` are one component.
fn identity(finding: &Finding) -> String {
    match &finding.purl {
        Some(purl) => purl.clone(),
        None => format!(
            "shelflife:{}/{}@{}",
            finding.kind,
            finding.name,
            finding.version.as_deref().unwrap_or("unversioned")
        ),
    }
}

fn sort_problems(problems: &mut Vec<Problem>) {
    problems.sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.message.cmp(&b.message)));
    problems.dedup();
}

/// The CycloneDX npm taxonomy's dev flag: it holds only while every place the package was
/// found is a development one, so it is dropped when a merge makes the package more binding.
const NPM_DEVELOPMENT_PROPERTY: &str = "cdx:npm:package:development";

#[derive(Default)]
struct Builder {
    components: BTreeMap<String, Component>,
    dependencies: BTreeMap<String, BTreeSet<String>>,
    problems: Vec<Problem>,
}

impl Builder {
    fn add(&mut self, output: AdapterOutput) {
        let AdapterOutput { adapter, parsed } = output;
        let refs: HashMap<&str, String> =
            parsed.findings.iter().map(|f| (f.key.as_str(), identity(f))).collect();
        for finding in &parsed.findings {
            let bom_ref = refs[finding.key.as_str()].clone();
            let edges = self.dependencies.entry(bom_ref.clone()).or_default();
            edges.extend(finding.depends_on.iter().filter_map(|key| refs.get(key.as_str())).cloned());
            edges.remove(&bom_ref);
            self.merge(adapter, bom_ref, finding);
        }
        self.problems.extend(parsed.problems);
    }

    fn merge(&mut self, adapter: &str, bom_ref: String, finding: &Finding) {
        let component = self.components.entry(bom_ref.clone()).or_insert_with(|| Component {
            bom_ref,
            kind: finding.kind,
            role: finding.role,
            name: finding.name.clone(),
            version: finding.version.clone(),
            purl: finding.purl.clone(),
            scope: finding.scope,
            licenses: BTreeSet::new(),
            hashes: BTreeSet::new(),
            locations: BTreeSet::new(),
            properties: BTreeMap::new(),
            found_by: BTreeSet::new(),
            lifecycle: None,
        });
        component.scope = component.scope.min(finding.scope);
        component.role = component.role.min(finding.role);
        component.licenses.extend(finding.licenses.iter().cloned());
        component.hashes.extend(finding.hashes.iter().cloned());
        component.locations.insert(finding.location.clone());
        for (key, value) in &finding.properties {
            component.properties.entry(key.clone()).or_insert_with(|| value.clone());
        }
        component.found_by.insert(adapter.to_owned());
    }

    fn finish(mut self) -> Inventory {
        self.dependencies.retain(|_, edges| !edges.is_empty());
        for component in self.components.values_mut() {
            if component.scope != Scope::Development {
                component.properties.remove(NPM_DEVELOPMENT_PROPERTY);
            }
        }
        sort_problems(&mut self.problems);
        Inventory {
            components: self.components.into_values().collect(),
            dependencies: self.dependencies,
            problems: self.problems,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shelflife_adapters::Location;

    fn finding(key: &str, name: &str, version: &str, scope: Scope, path: &str) -> Finding {
        let mut f = Finding::new(
            key,
            ComponentKind::Library,
            name,
            Some(version.into()),
            scope,
            Location::file(path),
        );
        f.purl = Some(format!("pkg:npm/{name}@{version}"));
        f
    }

    #[test]
    fn same_package_in_two_lockfiles_is_one_component_with_two_locations() {
        let mut a = finding("a", "left-pad", "1.3.0", Scope::Development, "web/package-lock.json");
        a.properties.insert(NPM_DEVELOPMENT_PROPERTY.into(), "true".into());
        let b = finding("b", "left-pad", "1.3.0", Scope::Runtime, "api/package-lock.json");
        let inventory = Inventory::from_outputs(vec![
            AdapterOutput { adapter: "npm", parsed: Parsed { findings: vec![a], problems: vec![] } },
            AdapterOutput { adapter: "npm", parsed: Parsed { findings: vec![b], problems: vec![] } },
        ]);
        assert_eq!(inventory.components.len(), 1);
        let component = &inventory.components[0];
        assert_eq!(component.locations.len(), 2);
        assert_eq!(component.scope, Scope::Runtime, "the most binding scope wins");
        assert!(!component.properties.contains_key(NPM_DEVELOPMENT_PROPERTY), "dev flag follows the scope");
    }

    #[test]
    fn a_runtime_found_by_two_adapters_is_one_component() {
        let nvmrc = Finding::new(
            "n",
            ComponentKind::Platform,
            "nodejs",
            Some("20".into()),
            Scope::Build,
            Location::file("web/.nvmrc"),
        );
        let mut workflow = nvmrc.clone();
        workflow.location = Location::line(".github/workflows/ci.yml", 12);
        let inventory = Inventory::from_outputs(vec![
            AdapterOutput {
                adapter: "toolchains",
                parsed: Parsed { findings: vec![nvmrc], problems: vec![] },
            },
            AdapterOutput {
                adapter: "github-actions",
                parsed: Parsed { findings: vec![workflow], problems: vec![] },
            },
        ]);
        assert_eq!(inventory.components.len(), 1);
        assert_eq!(inventory.components[0].found_by.len(), 2);
        assert_eq!(inventory.components[0].locations.len(), 2);
    }

    #[test]
    fn different_versions_stay_apart_and_edges_follow_keys() {
        let mut root = finding("root", "app", "1.0.0", Scope::Runtime, "package-lock.json");
        root.depends_on = vec!["x1".into(), "missing".into()];
        let x1 = finding("x1", "x", "1.0.0", Scope::Runtime, "package-lock.json");
        let x2 = finding("x2", "x", "2.0.0", Scope::Runtime, "package-lock.json");
        let inventory = Inventory::from_outputs(vec![AdapterOutput {
            adapter: "npm",
            parsed: Parsed { findings: vec![root, x1, x2], problems: vec![] },
        }]);
        assert_eq!(inventory.components.len(), 3);
        let edges = &inventory.dependencies["pkg:npm/app@1.0.0"];
        assert_eq!(edges.iter().collect::<Vec<_>>(), vec!["pkg:npm/x@1.0.0"]);
        assert!(inventory.component("pkg:npm/x@2.0.0").is_some());
    }
}
