//! A component's lifecycle read back from the `shelflife:lifecycle:*` facts that
//! [`crate::lifecycle::output::facts`] writes (CycloneDX properties, SPDX annotation lines), so
//! that `annex` and `check` can report from an SBOM as they do from a scan.
//!
//! The standard `cdx:lifecycle:milestone:*` properties are derived from these facts and are not
//! read: where a document has only them (another tool's), they stay plain properties.

use std::collections::BTreeMap;

use time::Date;

use super::ReadReason;
use crate::lifecycle::assess::{Assessment, Known, Lifecycle};
use crate::lifecycle::dates::{parse_day, Dated, Source, Status, When};
use crate::lifecycle::mapping::{Mapping, Rule};
use crate::lifecycle::output::PREFIX;

/// The facts of one assessment: `name` → value, with the prefix taken off.
struct Facts<'a> {
    /// The prefix of the names (`shelflife:lifecycle:` or `shelflife:lifecycle:base:`).
    prefix: String,
    all: &'a BTreeMap<String, String>,
    bom_ref: &'a str,
}

impl Facts<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.all.get(&format!("{}{name}", self.prefix)).map(String::as_str)
    }

    fn require(&self, name: &str) -> Result<&str, ReadReason> {
        self.get(name)
            .ok_or_else(|| self.error(format!("has a lifecycle but no {}{name} property", self.prefix)))
    }

    fn error(&self, message: String) -> ReadReason {
        ReadReason::Content(format!("component {} {message}", self.bom_ref))
    }

    fn invalid(&self, name: &str, value: &str, expected: &str) -> ReadReason {
        self.error(format!("has {}{name} = {value:?}, which is not {expected}", self.prefix))
    }
}

/// The lifecycle the facts describe; `None` when there are none (a document written before
/// enrichment, or by another tool). `facts` holds every `shelflife:lifecycle:*` fact of the
/// component.
pub(super) fn lifecycle(
    facts: &BTreeMap<String, String>,
    bom_ref: &str,
) -> Result<Option<Lifecycle>, ReadReason> {
    let primary = Facts { prefix: PREFIX.to_owned(), all: facts, bom_ref };
    if primary.get("state").is_none() {
        if let Some(name) = facts.keys().next() {
            return Err(primary.error(format!("has {name} but no {PREFIX}state property")));
        }
        return Ok(None);
    }
    let base = Facts { prefix: format!("{PREFIX}base:"), all: facts, bom_ref };
    let base = match base.get("state") {
        Some(_) => Some(assessment(&base)?),
        None => None,
    };
    Ok(Some(Lifecycle { primary: assessment(&primary)?, base }))
}

fn assessment(facts: &Facts<'_>) -> Result<Assessment, ReadReason> {
    match facts.require("state")? {
        "known" => Ok(Assessment::Known(Box::new(known(facts)?))),
        "unpinned" => Ok(Assessment::Unpinned {
            mapping: mapping(facts)?.ok_or_else(|| facts.error("is unpinned but names no product".into()))?,
            reason: facts.require("note")?.to_owned(),
        }),
        "unknown" => {
            Ok(Assessment::Unknown { mapping: mapping(facts)?, reason: facts.require("note")?.to_owned() })
        }
        other => Err(facts.invalid("state", other, "known, unpinned or unknown")),
    }
}

fn known(facts: &Facts<'_>) -> Result<Known, ReadReason> {
    let mapping = mapping(facts)?.ok_or_else(|| facts.error("has a known cycle but no product".into()))?;
    let status = match facts.require("status")? {
        "expired" => Status::Expired,
        "expiring" => Status::Expiring,
        "supported" => Status::Supported,
        other => return Err(facts.invalid("status", other, "expired, expiring or supported")),
    };
    let lts = match facts.require("lts")? {
        "true" => true,
        "false" => false,
        other => return Err(facts.invalid("lts", other, "true or false")),
    };
    let as_of = day(facts, "as-of")?;
    Ok(Known {
        product_label: facts.get("product-label").unwrap_or(&mapping.product).to_owned(),
        mapping,
        cycle: facts.require("cycle")?.to_owned(),
        cycle_label: facts.get("cycle-label").map(str::to_owned),
        version_note: facts.get("version-note").map(str::to_owned),
        lts,
        latest: facts.get("latest").map(str::to_owned),
        ga: dated(facts, "ga")?,
        end_of_sale: dated(facts, "end-of-sale")?,
        eoas: dated(facts, "eoas")?,
        eol: dated(facts, "eol")?,
        eoes: dated(facts, "eoes")?,
        status,
        as_of,
    })
}

fn mapping(facts: &Facts<'_>) -> Result<Option<Mapping>, ReadReason> {
    let Some(product) = facts.get("product") else {
        return Ok(None);
    };
    let written = facts.require("mapping")?;
    let (rule, reason) = written
        .split_once(": ")
        .and_then(|(rule, reason)| Some((rule_named(rule)?, reason)))
        .ok_or_else(|| facts.invalid("mapping", written, "`rule: reason`"))?;
    Ok(Some(Mapping {
        product: product.to_owned(),
        rule,
        reason: reason.to_owned(),
        version: facts.get("mapping-version").map(str::to_owned),
        cycle: facts.get("declared-cycle").map(str::to_owned),
    }))
}

/// The rule of its output name.
fn rule_named(name: &str) -> Option<Rule> {
    const RULES: [Rule; 8] = [
        Rule::Declaration,
        Rule::Purl,
        Rule::Cpe,
        Rule::ImageName,
        Rule::OsRelease,
        Rule::ToolName,
        Rule::JavaDistribution,
        Rule::ImageTag,
    ];
    RULES.into_iter().find(|rule| rule.as_str() == name)
}

fn day(facts: &Facts<'_>, name: &str) -> Result<Date, ReadReason> {
    let text = facts.require(name)?;
    parse_day(text).map_err(|_| facts.invalid(name, text, "a date (YYYY-MM-DD)"))
}

/// A milestone and its source, where the facts give it.
fn dated(facts: &Facts<'_>, name: &str) -> Result<Option<Dated>, ReadReason> {
    let Some(text) = facts.get(name) else {
        return Ok(None);
    };
    let when = if text == When::ReachedUndated.to_string() {
        When::ReachedUndated
    } else {
        When::On(parse_day(text).map_err(|_| facts.invalid(name, text, "a date (YYYY-MM-DD)"))?)
    };
    let source_name = format!("{name}:source");
    let written = facts.require(&source_name)?;
    let source = source(written).ok_or_else(|| facts.invalid(&source_name, written, "a date source"))?;
    Ok(Some(Dated { when, source }))
}

/// A source from its written form (the `Display` of [`Source`]).
fn source(text: &str) -> Option<Source> {
    let inner = |rest: &str| rest.strip_prefix(" (").and_then(|r| r.strip_suffix(')')).map(str::to_owned);
    if let Some(rest) = text.strip_prefix("endoflife.date") {
        return inner(rest)
            .and_then(|g| g.strip_prefix("generated ").map(str::to_owned))
            .map(|generated_at| Source::Dataset { generated_at });
    }
    if let Some(rest) = text.strip_prefix("shelflife data") {
        return inner(rest).map(|url| Source::ProjectData { url });
    }
    let rest = text.strip_prefix("declaration in ")?;
    let (file, note) = rest.split_once(" (")?;
    Some(Source::Declaration { file: file.to_owned(), note: note.strip_suffix(')')?.to_owned() })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::lifecycle::output::facts;

    fn mapping(rule: Rule) -> Mapping {
        Mapping {
            product: "nodejs".into(),
            rule,
            reason: "tool-name: .nvmrc means nodejs".into(),
            version: Some("lts/iron".into()),
            cycle: None,
        }
    }

    fn read_back(lifecycle: &Lifecycle) -> Option<Lifecycle> {
        let facts: BTreeMap<String, String> =
            facts(lifecycle).into_iter().filter(|(name, _)| name.starts_with(PREFIX)).collect();
        super::lifecycle(&facts, "ref").unwrap()
    }

    #[test]
    fn every_assessment_and_source_reads_back_whole() {
        let known = Known {
            mapping: Mapping { cycle: Some("20".into()), ..mapping(Rule::Declaration) },
            product_label: "Node.js".into(),
            cycle: "20".into(),
            cycle_label: Some("20 'Iron'".into()),
            version_note: Some("`iron` is the 20 line (data/mapping: x)".into()),
            lts: true,
            latest: Some("20.19.2".into()),
            ga: Some(Dated {
                when: When::On(date!(2023 - 04 - 18)),
                source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
            }),
            end_of_sale: None,
            eoas: Some(Dated {
                when: When::ReachedUndated,
                source: Source::ProjectData { url: "https://nodejs.org/en/about/previous-releases".into() },
            }),
            eol: Some(Dated {
                when: When::On(date!(2026 - 04 - 30)),
                source: Source::Declaration {
                    file: "shelflife.toml".into(),
                    note: "Support contract (ACME-1) (renewed)".into(),
                },
            }),
            eoes: None,
            status: Status::Expiring,
            as_of: date!(2025 - 12 - 01),
        };
        let lifecycle = Lifecycle {
            primary: Assessment::Known(Box::new(known)),
            base: Some(Assessment::Unpinned {
                mapping: mapping(Rule::ImageTag),
                reason: "unpinned: x".into(),
            }),
        };
        assert_eq!(read_back(&lifecycle), Some(lifecycle));
        let unknown = Lifecycle {
            primary: Assessment::Unknown { mapping: None, reason: "lifecycle unknown: no rule".into() },
            base: None,
        };
        assert_eq!(read_back(&unknown), Some(unknown));
    }

    /// A small inventory whose components carry a known, an unpinned and no lifecycle.
    fn inventory_with_lifecycles() -> crate::inventory::Inventory {
        use shelflife_adapters::{ComponentKind, Location, Role, Scope};
        let component = |bom_ref: &str, lifecycle: Option<Lifecycle>| crate::inventory::Component {
            bom_ref: bom_ref.to_owned(),
            kind: ComponentKind::Container,
            role: Role::Dependency,
            name: "postgres".into(),
            version: Some("16.2".into()),
            purl: Some(bom_ref.to_owned()),
            scope: Scope::Infrastructure,
            licenses: Default::default(),
            hashes: Default::default(),
            locations: [Location::line("compose.yaml", 5)].into_iter().collect(),
            properties: Default::default(),
            found_by: ["container".to_owned()].into_iter().collect(),
            lifecycle,
        };
        let known = Known {
            mapping: Mapping {
                product: "postgresql".into(),
                rule: Rule::ImageName,
                reason: "image postgres".into(),
                version: Some("16.2".into()),
                cycle: None,
            },
            product_label: "PostgreSQL".into(),
            cycle: "16".into(),
            cycle_label: None,
            version_note: None,
            lts: false,
            latest: Some("16.9".into()),
            ga: Some(Dated {
                when: When::On(date!(2023 - 09 - 14)),
                source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
            }),
            end_of_sale: None,
            eoas: None,
            eol: Some(Dated {
                when: When::On(date!(2028 - 11 - 09)),
                source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
            }),
            eoes: None,
            status: Status::Supported,
            as_of: date!(2025 - 06 - 01),
        };
        let unpinned = Lifecycle {
            primary: Assessment::Unpinned {
                mapping: mapping(Rule::ImageName),
                reason: "unpinned: latest".into(),
            },
            base: None,
        };
        crate::inventory::Inventory {
            components: vec![
                component(
                    "pkg:docker/library/postgres@16.2",
                    Some(Lifecycle { primary: Assessment::Known(Box::new(known)), base: None }),
                ),
                component("pkg:docker/library/postgres@latest", Some(unpinned)),
                component("pkg:docker/library/postgres@x", None),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn lifecycles_survive_every_format_and_standard_milestones_are_not_properties() {
        use crate::emit::{render, CycloneDxVersion, Format, ScanMetadata};
        let inventory = inventory_with_lifecycles();
        let meta = ScanMetadata {
            tool_version: "0.1.0".into(),
            timestamp: time::macros::datetime!(2026-01-01 0:00 UTC),
            root_name: "demo".into(),
        };
        for format in [Format::CycloneDxJson, Format::CycloneDxXml, Format::SpdxJson, Format::SpdxTagValue] {
            let document = render(format, CycloneDxVersion::V1_6, &inventory, &meta).unwrap();
            let text = String::from_utf8(document.clone()).unwrap();
            assert!(text.contains("2028-11-09"), "{format} writes the EOL");
            let (_, read) = crate::emit::read::read("doc", &document).unwrap();
            assert_eq!(read, inventory, "{format}");
        }
    }

    #[test]
    fn another_tools_milestones_stay_properties() {
        let document = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,
            "components":[{"type":"library","bom-ref":"a","name":"a",
            "properties":[{"name":"cdx:lifecycle:milestone:endOfSupport","value":"2030-01-01"}]}]}"#;
        let (_, inventory) = crate::emit::read::read("doc", document.as_bytes()).unwrap();
        let component = &inventory.components[0];
        assert_eq!(component.lifecycle, None);
        assert_eq!(component.properties["cdx:lifecycle:milestone:endOfSupport"], "2030-01-01");
    }

    #[test]
    fn no_facts_is_no_lifecycle_and_broken_facts_are_errors() {
        assert_eq!(super::lifecycle(&BTreeMap::new(), "ref").unwrap(), None);
        let facts = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(n, v)| (format!("{PREFIX}{n}"), (*v).to_owned())).collect()
        };
        let error =
            |pairs: &[(&str, &str)]| super::lifecycle(&facts(pairs), "pkg:x").unwrap_err().to_string();
        assert_eq!(
            error(&[("cycle", "1")]),
            "component pkg:x has shelflife:lifecycle:cycle but no shelflife:lifecycle:state property"
        );
        assert_eq!(
            error(&[("state", "maybe")]),
            "component pkg:x has shelflife:lifecycle:state = \"maybe\", which is not known, unpinned or unknown"
        );
        assert!(error(&[("state", "unknown")]).contains("no shelflife:lifecycle:note"));
        let known = [
            ("state", "known"),
            ("product", "debian"),
            ("mapping", "os-release: ID debian"),
            ("cycle", "12"),
            ("lts", "false"),
            ("status", "supported"),
            ("as-of", "2025-06-01"),
            ("eol", "2026-06-10"),
        ];
        assert!(error(&known).contains("no shelflife:lifecycle:eol:source"), "{}", error(&known));
        let mut bad_source = known.to_vec();
        bad_source.push(("eol:source", "a friend"));
        assert!(error(&bad_source).contains("\"a friend\", which is not a date source"));
        let mut bad_day = known.to_vec();
        bad_day[7] = ("eol", "2026-13-01");
        bad_day.push(("eol:source", "shelflife data (https://x)"));
        assert!(error(&bad_day).contains("which is not a date (YYYY-MM-DD)"));
        let mut bad_rule = known.to_vec();
        bad_rule[2] = ("mapping", "hunch: looks like debian");
        assert!(error(&bad_rule).contains("which is not `rule: reason`"));
    }
}
