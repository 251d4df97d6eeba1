//! The user's declarations in the scanned project's `shelflife.toml`, as far as lifecycle
//! enrichment reads them:
//!
//! ```toml
//! # Which product and cycle a component is (the first mapping rule).
//! [[software]]
//! name = "mcr.microsoft.com/mssql/server"   # matches a component by name …
//! purl = "pkg:docker/…"                     # … or by purl (type, namespace, name)
//! version = "2022-latest"                    # only components at this version (optional)
//! product = "mssqlserver"                    # the lifecycle product
//! cycle = "16.0"                             # the cycle (optional: else from the version)
//!
//! # Dates that replace the dataset's for a product (and cycle), e.g. a support contract.
//! [[override]]
//! product = "mysql"
//! cycle = "8.0"                              # optional: every cycle of the product
//! eol = "2027-06-30"                         # any of ga, end-of-sale, eoas, eol, eoes
//! source = "Support contract ACME-1234"      # required: where the dates come from
//! ```
//!
//! Other tables and fields are left for other parts of shelflife to read.

use std::path::Path;

use serde::Deserialize;
use thiserror::Error;

use crate::licence::policy::{Policy, PolicyTable};
use crate::lifecycle::dates::{parse_day, DateError, Dated, Source, When};

/// The file name looked for at the root of a scanned tree.
pub const FILE_NAME: &str = "shelflife.toml";

/// A declarations file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct DeclarationError {
    /// The file.
    pub file: String,
    /// The 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// Everything `shelflife.toml` declares about lifecycles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Declarations {
    /// The file they were read from (for sources and messages).
    pub file: String,
    /// Components declared to be a product and cycle.
    pub software: Vec<Software>,
    /// Dates replacing the dataset's.
    pub overrides: Vec<Override>,
    /// The licence policy (`[policy]`; empty when the file has none).
    pub policy: Policy,
}

/// A `[[software]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Software {
    /// The component's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The component's purl (version and qualifiers ignored).
    #[serde(default)]
    pub purl: Option<String>,
    /// Only components at this version.
    #[serde(default)]
    pub version: Option<String>,
    /// The lifecycle product.
    #[serde(default)]
    pub product: Option<String>,
    /// The release cycle.
    #[serde(default)]
    pub cycle: Option<String>,
}

/// An `[[override]]` entry with its dates read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The product.
    pub product: String,
    /// The cycle, or every cycle.
    pub cycle: Option<String>,
    /// General availability.
    pub ga: Option<Dated>,
    /// End of sale.
    pub end_of_sale: Option<Dated>,
    /// End of active support.
    pub eoas: Option<Dated>,
    /// End of security support.
    pub eol: Option<Dated>,
    /// End of extended support.
    pub eoes: Option<Dated>,
}

#[derive(Debug, Deserialize)]
struct File {
    #[serde(default)]
    software: Vec<Software>,
    #[serde(default, rename = "override")]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    policy: Option<PolicyTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    product: String,
    #[serde(default)]
    cycle: Option<String>,
    #[serde(default)]
    ga: Option<String>,
    #[serde(default)]
    end_of_sale: Option<String>,
    #[serde(default)]
    eoas: Option<String>,
    #[serde(default)]
    eol: Option<String>,
    #[serde(default)]
    eoes: Option<String>,
    source: String,
}

impl Declarations {
    /// Reads `shelflife.toml` at the root of `tree` (named by its path relative to the root,
    /// as scan locations are); no file means no declarations.
    pub fn load(tree: &Path) -> Result<Self, DeclarationError> {
        match std::fs::read_to_string(tree.join(FILE_NAME)) {
            Ok(text) => Self::parse(FILE_NAME, &text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => {
                Err(DeclarationError { file: FILE_NAME.to_owned(), line: None, message: error.to_string() })
            }
        }
    }

    /// Reads declarations from the text of `file`.
    pub fn parse(file: &str, text: &str) -> Result<Self, DeclarationError> {
        let parsed: File = toml::from_str(text).map_err(|error| DeclarationError {
            file: file.to_owned(),
            line: error.span().map(|span| text.get(..span.start).unwrap_or(text).matches('\n').count() + 1),
            message: error.message().to_owned(),
        })?;
        let error = |message: String| DeclarationError { file: file.to_owned(), line: None, message };
        for (index, software) in parsed.software.iter().enumerate() {
            if software.name.is_none() && software.purl.is_none() {
                return Err(error(format!("[[software]] entry {}: needs `name` or `purl`", index + 1)));
            }
        }
        let overrides = parsed
            .overrides
            .into_iter()
            .enumerate()
            .map(|(index, raw)| {
                read_override(file, raw).map_err(|e| error(format!("[[override]] entry {}: {e}", index + 1)))
            })
            .collect::<Result<_, _>>()?;
        let policy = match parsed.policy {
            Some(table) => Policy::from_table(table, file, text).map_err(|e| DeclarationError {
                file: e.file,
                line: e.line,
                message: format!("[policy] {}", e.message),
            })?,
            None => Policy { file: file.to_owned(), ..Policy::default() },
        };
        Ok(Self { file: file.to_owned(), software: parsed.software, overrides, policy })
    }

    /// The overrides for a product's cycle, in the order written.
    pub fn overrides_for<'a>(
        &'a self,
        product: &'a str,
        cycle: &'a str,
    ) -> impl Iterator<Item = &'a Override> + 'a {
        self.overrides.iter().filter(move |o| {
            o.product == product && o.cycle.as_deref().is_none_or(|c| c.eq_ignore_ascii_case(cycle))
        })
    }
}

fn read_override(file: &str, raw: RawOverride) -> Result<Override, String> {
    if raw.source.trim().is_empty() {
        return Err("`source` is empty: say where the dates come from".into());
    }
    let dated = |text: Option<String>| -> Result<Option<Dated>, String> {
        text.map(|text| {
            parse_day(&text).map_err(|e: DateError| e.to_string()).map(|day| Dated {
                when: When::On(day),
                source: Source::Declaration { file: file.to_owned(), note: raw.source.clone() },
            })
        })
        .transpose()
    };
    Ok(Override {
        ga: dated(raw.ga.clone())?,
        end_of_sale: dated(raw.end_of_sale.clone())?,
        eoas: dated(raw.eoas.clone())?,
        eol: dated(raw.eol.clone())?,
        eoes: dated(raw.eoes.clone())?,
        product: raw.product,
        cycle: raw.cycle,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const EXAMPLE: &str = r#"
[project]
name = "demo"

[[software]]
name = "mcr.microsoft.com/mssql/server"
product = "mssqlserver"
cycle = "16.0"
vendor = "Microsoft"

[[override]]
product = "mysql"
cycle = "8.0"
eol = "2027-06-30"
source = "Support contract ACME-1234"
"#;

    #[test]
    fn reads_software_and_overrides_leaving_other_tables_alone() {
        let declarations = Declarations::parse("shelflife.toml", EXAMPLE).unwrap();
        assert_eq!(declarations.software.len(), 1);
        assert_eq!(declarations.software[0].product.as_deref(), Some("mssqlserver"));
        let mysql: Vec<_> = declarations.overrides_for("mysql", "8.0").collect();
        assert_eq!(mysql.len(), 1);
        assert_eq!(
            mysql[0].eol,
            Some(Dated {
                when: When::On(date!(2027 - 06 - 30)),
                source: Source::Declaration {
                    file: "shelflife.toml".into(),
                    note: "Support contract ACME-1234".into()
                },
            })
        );
        assert_eq!(declarations.overrides_for("mysql", "5.7").count(), 0);
    }

    #[test]
    fn bad_declarations_name_the_file_and_what_is_wrong() {
        let error = Declarations::parse("shelflife.toml", "[[software]]\nname = 3\n").unwrap_err();
        assert_eq!((error.file.as_str(), error.line), ("shelflife.toml", Some(2)));
        let error = Declarations::parse("s.toml", "[[software]]\nproduct = \"x\"\n").unwrap_err();
        assert_eq!(error.to_string(), "s.toml: [[software]] entry 1: needs `name` or `purl`");
        let text = "[[override]]\nproduct = \"x\"\neol = \"2027-02-30\"\nsource = \"contract\"\n";
        let error = Declarations::parse("s.toml", text).unwrap_err();
        assert_eq!(
            error.to_string(),
            "s.toml: [[override]] entry 1: `2027-02-30` is not a date (YYYY-MM-DD)"
        );
        let error = Declarations::parse("s.toml", "[[override]]\nproduct = \"x\"\neol = \"2027-01-01\"\n")
            .unwrap_err();
        assert!(error.message.contains("missing field `source`"), "{error}");
        let error = Declarations::parse(
            "s.toml",
            "[[override]]\nproduct = \"x\"\neoll = \"2027-01-01\"\nsource = \"c\"\n",
        )
        .unwrap_err();
        assert!(error.message.contains("unknown field `eoll`"), "{error}");
    }

    #[test]
    fn a_tree_without_the_file_has_no_declarations() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Declarations::load(dir.path()).unwrap(), Declarations::default());
        std::fs::write(dir.path().join(FILE_NAME), EXAMPLE).unwrap();
        assert_eq!(Declarations::load(dir.path()).unwrap().overrides.len(), 1);
    }
}
