//! shelflife's own model of a product and its release cycles, whatever the source: the
//! dataset, the project's `data/lifecycle/` facts, or the store. Every date carries its source.

use std::sync::Arc;

use thiserror::Error;

use super::dataset::{self, DateField};
use super::dates::{parse_day, Dated, Source, When};

/// A product and its release cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductData {
    /// The product's identifier (`nodejs`).
    pub name: String,
    /// Its display name (`Node.js`).
    pub label: String,
    /// The release cycles, in the source's order (newest first).
    pub cycles: Vec<Cycle>,
}

/// One release cycle with its five dates (see "Terms" in the design).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The cycle's name (`8.0`, `16.0`, `23h2-ac`).
    pub name: String,
    /// Its codename (`Bookworm`), where it has one.
    pub codename: Option<String>,
    /// Its display label with placeholders filled in (`2022 'Dallas'`), where it has one.
    pub label: Option<String>,
    /// Whether it is a long-term-support release.
    pub lts: bool,
    /// The latest version of the cycle.
    pub latest: Option<String>,
    /// General availability.
    pub ga: Option<Dated>,
    /// End of sale (commercial vendors only; the dataset has none).
    pub end_of_sale: Option<Dated>,
    /// End of active support.
    pub eoas: Option<Dated>,
    /// End of security support (endoflife.date's `eol`).
    pub eol: Option<Dated>,
    /// End of extended support.
    pub eoes: Option<Dated>,
}

/// A date of the dataset that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("product `{product}`, cycle `{cycle}`, field `{field}`: `{text}` is not a date (YYYY-MM-DD)")]
pub struct BadDate {
    /// The product.
    pub product: String,
    /// The cycle.
    pub cycle: String,
    /// The dataset field.
    pub field: &'static str,
    /// What it held.
    pub text: String,
}

impl ProductData {
    /// Converts a dataset product, tagging every date with the dataset's `generated_at`.
    pub fn from_dataset(product: &dataset::Product, generated_at: &str) -> Result<Self, BadDate> {
        let generated_at: Arc<str> = generated_at.into();
        let cycles = product
            .releases
            .iter()
            .map(|release| Cycle::from_dataset(&product.name, release, &generated_at))
            .collect::<Result<_, _>>()?;
        Ok(Self { name: product.name.clone(), label: product.label.clone(), cycles })
    }
}

impl Cycle {
    fn from_dataset(
        product: &str,
        release: &dataset::Release,
        generated_at: &Arc<str>,
    ) -> Result<Self, BadDate> {
        let milestone = |field: &'static str, flag: Option<bool>, value: &Option<DateField>| {
            milestone(value, flag)
                .map_err(|text| BadDate {
                    product: product.to_owned(),
                    cycle: release.name.clone(),
                    field,
                    text,
                })
                .map(|when| {
                    when.map(|when| Dated {
                        when,
                        source: Source::Dataset { generated_at: Arc::clone(generated_at) },
                    })
                })
        };
        Ok(Self {
            name: release.name.clone(),
            codename: release.codename.clone(),
            label: release.label.as_deref().map(|label| fill_label(label, release)),
            lts: release.is_lts,
            latest: release.latest.as_ref().map(|latest| latest.name.clone()),
            ga: milestone("releaseDate", None, &release.release_date)?,
            end_of_sale: None,
            eoas: milestone("eoasFrom", release.is_eoas, &release.eoas_from)?,
            eol: milestone("eolFrom", release.is_eol, &release.eol_from)?,
            eoes: milestone("eoesFrom", release.is_eoes, &release.eoes_from)?,
        })
    }
}

/// A milestone from a dataset date field and its `is*` flag: a date; `true` in place of a date,
/// or a `true` flag beside a missing date, is "reached, date not given"; anything else is
/// no date. Returns the offending text when a date string cannot be read.
fn milestone(value: &Option<DateField>, flag: Option<bool>) -> Result<Option<When>, String> {
    match value {
        Some(DateField::Date(text)) => parse_day(text).map(|day| Some(When::On(day))).map_err(|e| e.text),
        Some(DateField::Flag(true)) => Ok(Some(When::ReachedUndated)),
        Some(DateField::Flag(false)) | None if flag == Some(true) => Ok(Some(When::ReachedUndated)),
        Some(DateField::Flag(false)) | None => Ok(None),
    }
}

/// Fills the dataset's label placeholders: `__RELEASE_CYCLE__` with the cycle name and
/// `__CODENAME__` with the codename (or nothing, with its quotes, when there is none).
fn fill_label(label: &str, release: &dataset::Release) -> String {
    let label = label.replace("__RELEASE_CYCLE__", &release.name);
    match &release.codename {
        Some(codename) => label.replace("__CODENAME__", codename),
        None => label.replace("'__CODENAME__'", "").replace("__CODENAME__", "").trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn release(json: &str) -> dataset::Release {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn dates_carry_the_dataset_source_and_flags_fill_missing_dates() {
        let r = release(
            r#"{"name":"16.0","codename":"Dallas","label":"2022 '__CODENAME__'","releaseDate":"2022-11-16",
            "isLts":false,"isEoas":false,"eoasFrom":"2028-01-11","isEol":true,"eolFrom":null,
            "isEoes":null,"eoesFrom":null,"latest":{"name":"16.0.4265.3 CU26","date":null}}"#,
        );
        let cycle = Cycle::from_dataset("mssqlserver", &r, &"2026-08-22T00:00:00+00:00".into()).unwrap();
        assert_eq!(cycle.label.as_deref(), Some("2022 'Dallas'"));
        assert_eq!(cycle.ga.as_ref().unwrap().when, When::On(date!(2022 - 11 - 16)));
        assert_eq!(cycle.eol.as_ref().unwrap().when, When::ReachedUndated);
        assert_eq!(cycle.eoes, None);
        assert_eq!(
            cycle.eoas.unwrap().source,
            Source::Dataset { generated_at: "2026-08-22T00:00:00+00:00".into() }
        );
    }

    #[test]
    fn a_bad_date_names_product_cycle_and_field() {
        let r = release(r#"{"name":"1","releaseDate":"2020-01-01","eolFrom":"someday"}"#);
        let error = Cycle::from_dataset("x", &r, &"g".into()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "product `x`, cycle `1`, field `eolFrom`: `someday` is not a date (YYYY-MM-DD)"
        );
    }

    #[test]
    fn release_cycle_placeholder_and_missing_codename() {
        let r = release(r#"{"name":"3.1","label":"Core __RELEASE_CYCLE__","releaseDate":"2019-12-03"}"#);
        assert_eq!(
            Cycle::from_dataset("dotnet", &r, &"g".into()).unwrap().label.as_deref(),
            Some("Core 3.1")
        );
        let r = release(r#"{"name":"14.0","label":"2017 '__CODENAME__'","releaseDate":"2017-09-29"}"#);
        assert_eq!(Cycle::from_dataset("m", &r, &"g".into()).unwrap().label.as_deref(), Some("2017"));
    }
}
