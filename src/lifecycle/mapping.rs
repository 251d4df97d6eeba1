//! Which lifecycle product a component is, by rules tried in order, each recorded as the
//! reason: the user's declaration; a purl the dataset lists; a CPE the dataset lists; the
//! mapping tables of `data/mapping/` (image names, os-release IDs, tool names, Java
//! distributions). A component no rule maps stays unmapped — never guessed.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use shelflife_adapters::ComponentKind;

use super::tables::Tables;
use crate::declarations::{Declarations, Selector};
use crate::inventory::Component;
use crate::store::{Store, StoreError};

/// The property holding a component's CPE, where an adapter knows one (an SBOM read back).
pub const CPE_PROPERTY: &str = "shelflife:cpe";
/// The property holding a Java runtime's distribution (`tem` of SDKMAN!'s `21.0.2-tem`).
pub const JAVA_DISTRIBUTION_PROPERTY: &str = "shelflife:java:distribution";

/// Which rule mapped a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A `[[software]]` entry of `shelflife.toml`.
    Declaration,
    /// A purl the dataset (or shelflife's own facts) lists for the product.
    Purl,
    /// A CPE the dataset lists for the product.
    Cpe,
    /// The image-name table.
    ImageName,
    /// The os-release ID table.
    OsRelease,
    /// The tool-name table.
    ToolName,
    /// The Java-distribution table.
    JavaDistribution,
    /// A distribution word of an image tag (`-bookworm`).
    ImageTag,
}

impl Rule {
    /// The rule's name in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Declaration => "declaration",
            Self::Purl => "purl",
            Self::Cpe => "cpe",
            Self::ImageName => "image-name",
            Self::OsRelease => "os-release",
            Self::ToolName => "tool-name",
            Self::JavaDistribution => "java-distribution",
            Self::ImageTag => "image-tag",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A component mapped to a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mapping {
    /// The product.
    pub product: String,
    /// The rule that mapped it.
    pub rule: Rule,
    /// Why, in words (`purl pkg:docker/library/mysql is listed by endoflife.date`).
    pub reason: String,
    /// The version to find the cycle from, as written.
    pub version: Option<String>,
    /// The cycle, when declared.
    pub cycle: Option<String>,
}

/// What the rules say about one component: its product, and for an image the distribution
/// its tag names; or why none applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapOutcome {
    /// The component's own product, or why there is none.
    pub primary: Result<Mapping, String>,
    /// The distribution an image tag names (`python:3.11-slim-bookworm` → debian).
    pub base: Option<Mapping>,
}

/// A purl's identity as one key: `purl:` type, namespace and name, lower case and
/// percent-decoded, `/`-joined (version, qualifiers and subpath left out). Docker Hub's official
/// images without a namespace are in `library`. `None` when the text is not a purl.
///
/// Read by hand rather than with the `packageurl` parser: only the identity is needed, and
/// enrichment reads one purl per component within a budget of a few milliseconds per scan.
pub fn purl_key(purl: &str) -> Option<String> {
    let rest = purl.strip_prefix("pkg:")?.trim_start_matches('/');
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let (kind, path) = rest.split_once('/')?;
    let path = match path.rfind('@') {
        Some(at) if at > 0 && !path[at..].contains('/') => &path[..at],
        _ => path,
    };
    let path = path.trim_matches('/');
    let (namespace, name) = path.rsplit_once('/').unwrap_or(("", path));
    if kind.is_empty() || name.is_empty() {
        return None;
    }
    let namespace =
        if namespace.is_empty() && kind.eq_ignore_ascii_case("docker") { "library" } else { namespace };
    let mut key = String::with_capacity(5 + purl.len());
    key.push_str("purl:");
    key.push_str(kind);
    key.push('/');
    decode_into(namespace, &mut key);
    key.push('/');
    decode_into(name, &mut key);
    key.make_ascii_lowercase();
    Some(key)
}

/// Appends a percent-decoded purl segment.
fn decode_into(segment: &str, out: &mut String) {
    if !segment.contains('%') {
        out.push_str(segment);
        return;
    }
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes.get(index + 1..index + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[index], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    out.push_str(&String::from_utf8_lossy(&decoded));
}

/// A CPE's identity as one key: `cpe:` part, vendor and product (from CPE 2.3 or the 2.2 URI
/// form), lower case. `None` when the text is not a CPE naming all three.
pub fn cpe_key(cpe: &str) -> Option<String> {
    let lower = cpe.to_ascii_lowercase();
    let rest = lower.strip_prefix("cpe:2.3:").or_else(|| lower.strip_prefix("cpe:/"))?;
    let mut parts = rest.split(':');
    let (part, vendor, product) = (parts.next()?, parts.next()?, parts.next()?);
    let valid = |s: &str| !s.is_empty() && s != "*" && s != "-";
    (valid(part) && valid(vendor) && valid(product)).then(|| format!("cpe:{part}:{vendor}:{product}"))
}

/// The key of a purl or CPE identifier, whichever it is.
pub fn identifier_key(id: &str) -> Option<String> {
    purl_key(id).or_else(|| cpe_key(id))
}

/// Which identifier keys a catalogue indexes: every one, or those an inventory can match (the
/// purl types its components have, and CPEs when one has a CPE). The dataset lists some 2,000
/// identifiers, mostly of types a scan has none of, and copying them out of the store was a
/// third of enrichment's time.
#[derive(Debug, Clone, Default)]
pub struct WantedKeys {
    /// `None`: every key; else the key prefixes (`purl:npm/`) wanted.
    prefixes: Option<HashSet<String>>,
    cpe: bool,
}

impl WantedKeys {
    /// Every key.
    pub fn all() -> Self {
        Self { prefixes: None, cpe: true }
    }

    /// The keys that components of `inventory` can match.
    pub fn for_components(components: &[Component]) -> Self {
        let mut prefixes: HashSet<String> = HashSet::new();
        let kinds = components.iter().filter_map(|c| {
            let rest = c.purl.as_deref()?.strip_prefix("pkg:")?.trim_start_matches('/');
            rest.split_once('/').map(|(kind, _)| kind)
        });
        for kind in kinds {
            let known = prefixes.iter().any(|prefix| {
                prefix
                    .strip_prefix("purl:")
                    .and_then(|p| p.strip_suffix('/'))
                    .is_some_and(|k| k.eq_ignore_ascii_case(kind))
            });
            if !known {
                prefixes.insert(format!("purl:{}/", kind.to_ascii_lowercase()));
            }
        }
        let cpe = components.iter().any(|c| c.properties.contains_key(CPE_PROPERTY));
        Self { prefixes: Some(prefixes), cpe }
    }

    fn accepts(&self, key: &str) -> bool {
        if key.starts_with("cpe:") {
            return self.cpe;
        }
        let Some(prefixes) = &self.prefixes else { return true };
        key.split_once('/').is_some_and(|(kind, _)| prefixes.contains(&key[..=kind.len()]))
    }
}

/// Where an identifier was listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lister {
    Dataset,
    ProjectData,
}

impl Lister {
    fn says(self) -> &'static str {
        match self {
            Self::Dataset => "is listed by endoflife.date",
            Self::ProjectData => "is listed by shelflife's data/lifecycle",
        }
    }
}

/// The dataset's products indexed by their identifiers, names and aliases, with shelflife's
/// own facts products.
#[derive(Debug, Default)]
pub struct Catalogue {
    keys: HashMap<String, (String, Lister)>,
    names: HashSet<String>,
    aliases: HashMap<String, String>,
    tools: HashMap<String, String>,
}

impl Catalogue {
    /// Indexes the cached products (their names, aliases and the identifier keys that `wanted`
    /// accepts, as the store keeps them) and the facts of `tables`.
    pub fn load(store: &Store, tables: &Tables, wanted: &WantedKeys) -> Result<Self, StoreError> {
        let crate::store::lifecycle::ProductNames { names, aliases } = store.product_names()?;
        let keys = store.identifier_keys(|key| wanted.accepts(key))?;
        let mut catalogue = Self {
            keys: HashMap::with_capacity(keys.len()),
            names: names.into_iter().collect(),
            aliases: aliases
                .into_iter()
                .map(|(alias, product)| (alias.to_ascii_lowercase(), product))
                .collect(),
            tools: HashMap::new(),
        };
        for (key, product) in keys {
            catalogue.keys.entry(key).or_insert((product, Lister::Dataset));
        }
        for facts in &tables.facts {
            let name = &facts.data.name;
            catalogue.names.insert(name.clone());
            for key in facts.file.identifiers.iter().filter_map(|id| identifier_key(id)) {
                catalogue.keys.entry(key).or_insert_with(|| (name.clone(), Lister::ProjectData));
            }
            for tool in &facts.file.tools {
                catalogue.tools.insert(tool.to_ascii_lowercase(), name.clone());
            }
        }
        Ok(catalogue)
    }

    /// Whether no product is known at all.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The product a name or alias stands for.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        let alias = || self.aliases.get(&name.to_ascii_lowercase()).map(String::as_str);
        self.names.get(name).map(String::as_str).or_else(alias)
    }
}

/// Why a component no rule maps has no lifecycle.
const UNMAPPED: &str = "lifecycle unknown: no declaration, dataset purl or CPE, or mapping table names it";

/// Maps components by the rules, in order.
#[derive(Debug)]
pub struct Mapper<'a> {
    catalogue: &'a Catalogue,
    tables: &'a Tables,
    declarations: &'a Declarations,
}

impl<'a> Mapper<'a> {
    /// A mapper over a catalogue, the embedded tables and the user's declarations.
    pub fn new(catalogue: &'a Catalogue, tables: &'a Tables, declarations: &'a Declarations) -> Self {
        Self { catalogue, tables, declarations }
    }

    /// Maps one component.
    pub fn map(&self, component: &Component) -> MapOutcome {
        let purl = component.purl.as_deref().and_then(purl_key);
        let primary = self
            .by_declaration(component, &purl)
            .or_else(|| self.by_purl(component, &purl))
            .or_else(|| self.by_cpe(component))
            .or_else(|| self.by_table(component))
            .unwrap_or_else(|| Err(self.unmapped_reason()));
        let base = (component.kind == ComponentKind::Container)
            .then(|| self.by_image_tag(component))
            .flatten()
            .filter(|base| primary.as_ref().map_or(true, |p| p.product != base.product));
        MapOutcome { primary, base }
    }

    fn by_declaration(
        &self,
        component: &Component,
        purl: &Option<String>,
    ) -> Option<Result<Mapping, String>> {
        let declarations = self.declarations;
        let by_software = declarations.software.iter().find_map(|s| {
            let product = s.lifecycle_product()?;
            matches(&s.selector(), component, purl).then(|| {
                let said = match (&s.product, &s.catalogue_product) {
                    (None, Some((id, _))) => format!(", product from data/commercial/{id}.toml"),
                    _ => String::new(),
                };
                let why = format!("[[software]] `{}` at line {}{said}", s.name, s.line);
                (product, s.cycle.as_deref(), s.version.as_deref(), why)
            })
        });
        let by_override = || {
            declarations.overrides.iter().find_map(|o| {
                let product = o.product.as_deref()?;
                let selector = o.selector()?;
                matches(&selector, component, purl).then(|| {
                    let why = format!("[[override]] at line {}: {}", o.line, o.source);
                    (product, o.cycle.as_deref(), o.version.as_deref(), why)
                })
            })
        };
        let (declared, cycle, version, why) = by_software.or_else(by_override)?;
        let product = self.catalogue.resolve(declared).unwrap_or(declared).to_owned();
        Some(Ok(Mapping {
            reason: format!("declared as {product} in {} ({why})", declarations.file),
            product,
            rule: Rule::Declaration,
            version: component.version.clone().or_else(|| version.map(str::to_owned)),
            cycle: cycle.map(str::to_owned),
        }))
    }

    fn by_purl(&self, component: &Component, key: &Option<String>) -> Option<Result<Mapping, String>> {
        let purl = component.purl.as_deref()?;
        let (product, lister) = self.catalogue.keys.get(key.as_ref()?)?;
        let shown = purl.split(['@', '?', '#']).next().unwrap_or(purl);
        Some(Ok(self.mapping(product, Rule::Purl, format!("purl {shown} {}", lister.says()), component)))
    }

    fn by_cpe(&self, component: &Component) -> Option<Result<Mapping, String>> {
        let cpe = component.properties.get(CPE_PROPERTY)?;
        let (product, lister) = self.catalogue.keys.get(&cpe_key(cpe)?)?;
        Some(Ok(self.mapping(product, Rule::Cpe, format!("CPE {cpe} {}", lister.says()), component)))
    }

    fn by_table(&self, component: &Component) -> Option<Result<Mapping, String>> {
        let name = component.name.as_str();
        match component.kind {
            ComponentKind::Container => self.tables.image(name).map(|entry| {
                let reason = format!("image {name} (data/mapping: {})", entry.source);
                Ok(self.mapping(&entry.product, Rule::ImageName, reason, component))
            }),
            ComponentKind::OperatingSystem => self.by_os(component),
            ComponentKind::Tool | ComponentKind::Platform if name.eq_ignore_ascii_case("java") => {
                Some(self.by_java_distribution(component))
            }
            ComponentKind::Tool => self.by_tool_name(component),
            ComponentKind::Platform => self.by_tool_name(component).or_else(|| self.by_os(component)),
            _ => None,
        }
    }

    /// An operating system by its os-release `ID`; also a platform named so (a CI runner's
    /// `ubuntu-22.04` is Ubuntu 22.04).
    fn by_os(&self, component: &Component) -> Option<Result<Mapping, String>> {
        let name = component.name.as_str();
        self.tables.os(name).map(|entry| {
            let reason = format!("operating system {name} (data/mapping: {})", entry.source);
            Ok(self.mapping(&entry.product, Rule::OsRelease, reason, component))
        })
    }

    fn by_tool_name(&self, component: &Component) -> Option<Result<Mapping, String>> {
        let name = component.name.as_str();
        if let Some(entry) = self.tables.tool(name) {
            let reason = format!("tool {name} (data/mapping: {})", entry.source);
            return Some(Ok(self.mapping(&entry.product, Rule::ToolName, reason, component)));
        }
        let product = self.catalogue.tools.get(&name.to_ascii_lowercase())?;
        let reason = format!("tool {name} is listed by shelflife's data/lifecycle");
        Some(Ok(self.mapping(product, Rule::ToolName, reason, component)))
    }

    fn by_java_distribution(&self, component: &Component) -> Result<Mapping, String> {
        let Some(id) = component.properties.get(JAVA_DISTRIBUTION_PROPERTY) else {
            return Err("lifecycle unknown: a Java runtime's support depends on its distribution, \
                        and no file names it"
                .to_owned());
        };
        match self.tables.java_distribution(id) {
            Some(entry) => {
                let reason = format!("Java distribution `{id}` (data/mapping: {})", entry.source);
                Ok(self.mapping(&entry.product, Rule::JavaDistribution, reason, component))
            }
            None => Err(format!("lifecycle unknown: no mapping for the Java distribution `{id}`")),
        }
    }

    fn by_image_tag(&self, component: &Component) -> Option<Mapping> {
        let tag = component.version.as_deref()?;
        tag.split('-').find_map(|word| {
            let word = word.to_ascii_lowercase();
            self.tables.tag_os.iter().find_map(|entry| {
                let version = match (&entry.word, &entry.prefix) {
                    (Some(known), _) if *known == word => word.clone(),
                    (_, Some(prefix)) => word
                        .strip_prefix(prefix.as_str())
                        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))?
                        .to_owned(),
                    _ => return None,
                };
                Some(Mapping {
                    product: entry.product.clone(),
                    rule: Rule::ImageTag,
                    reason: format!("image tag {tag} names it (data/mapping: {})", entry.source),
                    version: Some(version),
                    cycle: None,
                })
            })
        })
    }

    fn mapping(&self, product: &str, rule: Rule, reason: String, component: &Component) -> Mapping {
        Mapping { product: product.to_owned(), rule, reason, version: component.version.clone(), cycle: None }
    }

    fn unmapped_reason(&self) -> String {
        if self.catalogue.is_empty() {
            return "lifecycle unknown: no lifecycle data is cached (run `shelflife eol sync`)".to_owned();
        }
        UNMAPPED.to_owned()
    }
}

/// Whether a declaration's selector names the component: by purl (type, namespace and name) or
/// by name (case-insensitive), and, where it gives a version, at that version.
pub(crate) fn matches(selector: &Selector<'_>, component: &Component, purl: &Option<String>) -> bool {
    let by_purl = selector.purl.and_then(purl_key).is_some_and(|key| purl.as_ref() == Some(&key));
    let by_name = selector.name.is_some_and(|name| name.eq_ignore_ascii_case(&component.name));
    let version_fits = selector.version.is_none_or(|v| component.version.as_deref().is_none_or(|c| c == v));
    (by_purl || by_name) && version_fits
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod key_tests {
    use super::{cpe_key, purl_key};

    #[test]
    fn purl_identity_ignores_version_qualifiers_and_encoding() {
        let angular = Some("purl:npm/@angular/core".to_owned());
        assert_eq!(purl_key("pkg:npm/%40angular/core@17.3.0?foo=bar#sub"), angular);
        assert_eq!(purl_key("pkg:npm/@angular/core@17.3.0"), angular);
        assert_eq!(purl_key("pkg:npm/%40angular/core"), angular);
        let mysql = Some("purl:docker/library/mysql".to_owned());
        assert_eq!(purl_key("pkg:docker/mysql@8.0"), mysql);
        assert_eq!(purl_key("pkg:docker/library/mysql@sha256:abc?tag=8.0"), mysql);
        assert_eq!(purl_key("pkg:PyPI/Django@4.2").as_deref(), Some("purl:pypi//django"));
        assert_eq!(
            purl_key("pkg:golang/github.com/prometheus/prometheus@v2.51.0").as_deref(),
            Some("purl:golang/github.com/prometheus/prometheus")
        );
        assert_eq!(
            purl_key("pkg:oci/prometheus?repository_url=quay.io/p").as_deref(),
            Some("purl:oci//prometheus")
        );
        assert_eq!(purl_key("not a purl"), None);
        assert_eq!(purl_key("pkg:npm"), None);
        assert_eq!(purl_key("pkg:npm/%4").as_deref(), Some("purl:npm//%4"));
    }

    #[test]
    fn cpe_identity_is_part_vendor_product_in_either_form() {
        let sql = Some("cpe:a:microsoft:sql_server".to_owned());
        assert_eq!(cpe_key("cpe:2.3:a:microsoft:sql_server:2022:*:*:*:*:*:*:*"), sql);
        assert_eq!(cpe_key("cpe:/a:Microsoft:SQL_Server"), sql);
        assert_eq!(cpe_key("cpe:2.3:a:*:sql_server"), None);
        assert_eq!(cpe_key("pkg:npm/x"), None);
    }
}
