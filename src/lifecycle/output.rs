//! A component's lifecycle as SBOM facts, mapped exactly as the "Terms" table of the design
//! says:
//!
//! | shelflife | CycloneDX property |
//! |---|---|
//! | GA | `cdx:lifecycle:milestone:generalAvailability` |
//! | end of sale | `cdx:lifecycle:milestone:endOfLife` |
//! | EOAS | `cdx:lifecycle:milestone:endOfGuaranteedSupport` |
//! | EOL | `shelflife:lifecycle:eol` only |
//! | last of EOL and EOES | `cdx:lifecycle:milestone:endOfSupport` |
//!
//! plus `shelflife:lifecycle:*` for the raw dates and the source of each, the product, cycle,
//! status, as-of day and the reason of the mapping. SPDX takes GA as `releaseDate` and EOL as
//! `validUntilDate`; the facts go into its annotation. A milestone reached without a date has
//! no standard property (they hold dates); its `shelflife:` property says so.

use super::assess::{Assessment, Known, Lifecycle};
use super::dates::{format_day, Dated, When};

/// The prefix of every shelflife lifecycle property.
pub const PREFIX: &str = "shelflife:lifecycle:";
/// CycloneDX's general-availability milestone.
pub const CDX_GA: &str = "cdx:lifecycle:milestone:generalAvailability";
/// CycloneDX's "stops selling" milestone: end of sale.
pub const CDX_END_OF_SALE: &str = "cdx:lifecycle:milestone:endOfLife";
/// CycloneDX's end of guaranteed support: EOAS.
pub const CDX_EOAS: &str = "cdx:lifecycle:milestone:endOfGuaranteedSupport";
/// CycloneDX's "ceases any and all support": the last of EOL and EOES.
pub const CDX_END_OF_SUPPORT: &str = "cdx:lifecycle:milestone:endOfSupport";

/// The name-value facts of a lifecycle, in a stable order.
pub fn facts(lifecycle: &Lifecycle) -> Vec<(String, String)> {
    let mut facts = Vec::new();
    if let Assessment::Known(known) = &lifecycle.primary {
        standard_milestones(known, &mut facts);
    }
    assessment_facts(&lifecycle.primary, PREFIX, &mut facts);
    if let Some(base) = &lifecycle.base {
        assessment_facts(base, &format!("{PREFIX}base:"), &mut facts);
    }
    facts
}

/// SPDX `releaseDate`: GA, where dated (`YYYY-MM-DDT00:00:00Z`).
pub fn spdx_release_date(lifecycle: &Lifecycle) -> Option<String> {
    known(lifecycle).and_then(|k| day(&k.ga)).map(|d| format!("{d}T00:00:00Z"))
}

/// SPDX `validUntilDate`: EOL, where dated (`YYYY-MM-DDT00:00:00Z`).
pub fn spdx_valid_until_date(lifecycle: &Lifecycle) -> Option<String> {
    known(lifecycle).and_then(|k| day(&k.eol)).map(|d| format!("{d}T00:00:00Z"))
}

fn known(lifecycle: &Lifecycle) -> Option<&Known> {
    match &lifecycle.primary {
        Assessment::Known(known) => Some(known),
        _ => None,
    }
}

fn day(dated: &Option<Dated>) -> Option<String> {
    dated.as_ref().and_then(|d| d.when.day()).map(format_day)
}

fn standard_milestones(known: &Known, facts: &mut Vec<(String, String)>) {
    let mut push = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            facts.push((name.to_owned(), value));
        }
    };
    push(CDX_GA, day(&known.ga));
    push(CDX_END_OF_SALE, day(&known.end_of_sale));
    push(CDX_EOAS, day(&known.eoas));
    push(CDX_END_OF_SUPPORT, end_of_support(known));
}

/// The last of EOL and EOES, when every one given has a date.
fn end_of_support(known: &Known) -> Option<String> {
    let ends: Vec<When> = [&known.eol, &known.eoes].into_iter().flatten().map(|d| d.when).collect();
    let days: Option<Vec<_>> = ends.iter().map(|w| w.day()).collect();
    days?.into_iter().max().map(format_day)
}

fn assessment_facts(assessment: &Assessment, prefix: &str, facts: &mut Vec<(String, String)>) {
    let mut push = |name: &str, value: &str| facts.push((format!("{prefix}{name}"), value.to_owned()));
    match assessment {
        Assessment::Known(known) => {
            push("state", "known");
            push("product", &known.mapping.product);
            push("cycle", &known.cycle);
            if let Some(label) = &known.cycle_label {
                push("cycle-label", label);
            }
            if let Some(latest) = &known.latest {
                push("latest", latest);
            }
            push("lts", if known.lts { "true" } else { "false" });
            push("status", known.status.as_str());
            push("as-of", &format_day(known.as_of));
            push("mapping", &format!("{}: {}", known.mapping.rule, known.mapping.reason));
            if let Some(note) = &known.version_note {
                push("version-note", note);
            }
            let dates = [
                ("ga", &known.ga),
                ("end-of-sale", &known.end_of_sale),
                ("eoas", &known.eoas),
                ("eol", &known.eol),
                ("eoes", &known.eoes),
            ];
            let mut sources: Vec<String> = Vec::new();
            for (name, dated) in dates {
                if let Some(dated) = dated {
                    let source = dated.source.to_string();
                    push(name, &dated.when.to_string());
                    push(&format!("{name}:source"), &source);
                    if !sources.contains(&source) {
                        sources.push(source);
                    }
                }
            }
            if !sources.is_empty() {
                push("source", &sources.join("; "));
            }
        }
        Assessment::Unpinned { mapping, reason } => {
            push("state", "unpinned");
            push("product", &mapping.product);
            push("mapping", &format!("{}: {}", mapping.rule, mapping.reason));
            push("note", reason);
        }
        Assessment::Unknown { mapping, reason } => {
            push("state", "unknown");
            if let Some(mapping) = mapping {
                push("product", &mapping.product);
                push("mapping", &format!("{}: {}", mapping.rule, mapping.reason));
            }
            push("note", reason);
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::lifecycle::dates::{Source, Status};
    use crate::lifecycle::mapping::{Mapping, Rule};

    fn dated(day: time::Date) -> Option<Dated> {
        Some(Dated {
            when: When::On(day),
            source: Source::Dataset { generated_at: "2025-06-01T00:00:00+00:00".into() },
        })
    }

    fn mapping() -> Mapping {
        Mapping {
            product: "debian".into(),
            rule: Rule::OsRelease,
            reason: "os-release ID debian".into(),
            version: Some("12".into()),
            cycle: None,
        }
    }

    fn debian() -> Known {
        Known {
            mapping: mapping(),
            product_label: "Debian".into(),
            cycle: "12".into(),
            cycle_label: None,
            version_note: None,
            lts: false,
            latest: Some("12.11".into()),
            ga: dated(date!(2023 - 06 - 10)),
            end_of_sale: None,
            eoas: None,
            eol: dated(date!(2026 - 06 - 10)),
            eoes: dated(date!(2028 - 06 - 30)),
            status: Status::Supported,
            as_of: date!(2025 - 06 - 01),
        }
    }

    fn value<'a>(facts: &'a [(String, String)], name: &str) -> Option<&'a str> {
        facts.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    #[test]
    fn dates_map_to_the_terms_table() {
        let lifecycle = Lifecycle { primary: Assessment::Known(Box::new(debian())), base: None };
        let facts = facts(&lifecycle);
        assert_eq!(value(&facts, CDX_GA), Some("2023-06-10"));
        assert_eq!(value(&facts, CDX_END_OF_SALE), None, "no source gives an end of sale");
        assert_eq!(value(&facts, CDX_EOAS), None);
        assert_eq!(value(&facts, CDX_END_OF_SUPPORT), Some("2028-06-30"), "the last of EOL and EOES");
        assert_eq!(value(&facts, "shelflife:lifecycle:eol"), Some("2026-06-10"));
        assert_eq!(
            value(&facts, "shelflife:lifecycle:eol:source"),
            Some("endoflife.date (generated 2025-06-01T00:00:00+00:00)")
        );
        assert_eq!(value(&facts, "shelflife:lifecycle:mapping"), Some("os-release: os-release ID debian"));
        assert_eq!(value(&facts, "shelflife:lifecycle:as-of"), Some("2025-06-01"));
        assert_eq!(spdx_release_date(&lifecycle).as_deref(), Some("2023-06-10T00:00:00Z"));
        assert_eq!(spdx_valid_until_date(&lifecycle).as_deref(), Some("2026-06-10T00:00:00Z"));
    }

    #[test]
    fn an_undated_end_has_no_standard_property_and_says_so() {
        let mut known = debian();
        known.eol =
            Some(Dated { when: When::ReachedUndated, source: Source::Dataset { generated_at: "g".into() } });
        known.eoes = None;
        let lifecycle = Lifecycle { primary: Assessment::Known(Box::new(known)), base: None };
        let facts = facts(&lifecycle);
        assert_eq!(value(&facts, CDX_END_OF_SUPPORT), None);
        assert_eq!(value(&facts, "shelflife:lifecycle:eol"), Some("reached (date not given by the source)"));
        assert_eq!(spdx_valid_until_date(&lifecycle), None);
    }

    #[test]
    fn unknown_unpinned_and_base_are_stated() {
        let lifecycle = Lifecycle {
            primary: Assessment::Unpinned { mapping: mapping(), reason: "unpinned: `latest`".into() },
            base: Some(Assessment::Unknown { mapping: None, reason: "lifecycle unknown: x".into() }),
        };
        let facts = facts(&lifecycle);
        assert_eq!(value(&facts, "shelflife:lifecycle:state"), Some("unpinned"));
        assert_eq!(value(&facts, "shelflife:lifecycle:note"), Some("unpinned: `latest`"));
        assert_eq!(value(&facts, "shelflife:lifecycle:base:state"), Some("unknown"));
        assert!(value(&facts, CDX_GA).is_none());
    }
}
