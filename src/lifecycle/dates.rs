//! Dates of a release cycle, where each came from, and how they read on a given day.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::macros::format_description;
use time::{Date, Duration};

/// How many days ahead "expiring" looks by default.
pub const DEFAULT_HORIZON_DAYS: u32 = 180;

/// A date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("`{text}` is not a date (YYYY-MM-DD)")]
pub struct DateError {
    /// The text that was given.
    pub text: String,
}

/// Reads a `YYYY-MM-DD` day.
pub fn parse_day(text: &str) -> Result<Date, DateError> {
    Date::parse(text.trim(), format_description!("[year]-[month]-[day]"))
        .map_err(|_| DateError { text: text.to_owned() })
}

/// Writes a day as `YYYY-MM-DD`.
pub fn format_day(day: Date) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), u8::from(day.month()), day.day())
}

/// When a milestone falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "date")]
pub enum When {
    /// On this day.
    #[serde(with = "day_serde")]
    On(Date),
    /// Already reached, but the source gives no date (the dataset's `eol: true`).
    ReachedUndated,
}

impl When {
    /// Whether the milestone has been reached on `as_of`.
    pub fn reached_by(self, as_of: Date) -> bool {
        match self {
            Self::On(day) => day <= as_of,
            Self::ReachedUndated => true,
        }
    }

    /// The day, where the source gives one.
    pub fn day(self) -> Option<Date> {
        match self {
            Self::On(day) => Some(day),
            Self::ReachedUndated => None,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::On(day) => f.write_str(&format_day(*day)),
            Self::ReachedUndated => f.write_str("reached (date not given by the source)"),
        }
    }
}

/// Where a date came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Source {
    /// The endoflife.date dataset, as built at `generated_at`.
    Dataset {
        /// When the dataset was built (RFC 3339); shared by every date of one answer.
        generated_at: Arc<str>,
    },
    /// shelflife's own lifecycle facts (`data/lifecycle/`), citing `url`.
    ProjectData {
        /// The page the date is taken from.
        url: String,
    },
    /// The user's declaration in `shelflife.toml`.
    Declaration {
        /// The declaration file.
        file: String,
        /// The source the declaration names (a support contract, a vendor notice).
        note: String,
    },
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dataset { generated_at } => write!(f, "endoflife.date (generated {generated_at})"),
            Self::ProjectData { url } => write!(f, "shelflife data ({url})"),
            Self::Declaration { file, note } => write!(f, "declaration in {file} ({note})"),
        }
    }
}

/// A milestone with the source that gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dated {
    /// When it falls.
    pub when: When,
    /// Who says so.
    pub source: Source,
}

/// How a release cycle stands on the as-of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Security support (EOL) has ended — or, where no EOL is known, all support (EOES).
    Expired,
    /// EOL falls within the warning horizon.
    Expiring,
    /// Neither: supported, or no end announced.
    Supported,
}

impl Status {
    /// The word used in summaries and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expired => "expired",
            Self::Expiring => "expiring",
            Self::Supported => "supported",
        }
    }

    /// Evaluates a cycle's end dates on `as_of`, looking `horizon_days` ahead.
    ///
    /// The dataset's own `isEol`/`isMaintained` flags are never used: they were computed when
    /// the dataset was built, and `isMaintained` stays true during paid extended support.
    pub fn evaluate(eol: Option<&Dated>, eoes: Option<&Dated>, as_of: Date, horizon_days: u32) -> Self {
        let Some(end) = eol.or(eoes) else {
            return Self::Supported;
        };
        if end.when.reached_by(as_of) {
            return Self::Expired;
        }
        let horizon = as_of.saturating_add(Duration::days(i64::from(horizon_days)));
        if end.when.reached_by(horizon) {
            Self::Expiring
        } else {
            Self::Supported
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Serde for a [`Date`] as `YYYY-MM-DD`.
pub mod day_serde {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(day: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_day(*day))
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_day(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dated(when: When) -> Dated {
        Dated { when, source: Source::ProjectData { url: "https://example.org".into() } }
    }

    #[test]
    fn parses_and_formats_days() {
        assert_eq!(parse_day("2024-04-30"), Ok(date!(2024 - 04 - 30)));
        assert_eq!(format_day(date!(2024 - 04 - 03)), "2024-04-03");
        assert!(parse_day("2024-13-01").is_err());
        assert!(parse_day("soon").is_err());
    }

    #[test]
    fn status_follows_the_as_of_day() {
        let eol = dated(When::On(date!(2025 - 04 - 30)));
        let status = |as_of| Status::evaluate(Some(&eol), None, as_of, 180);
        assert_eq!(status(date!(2024 - 01 - 01)), Status::Supported);
        assert_eq!(status(date!(2024 - 11 - 01)), Status::Expiring);
        assert_eq!(status(date!(2025 - 04 - 30)), Status::Expired, "the EOL day itself is past support");
        assert_eq!(status(date!(2026 - 01 - 01)), Status::Expired);
    }

    #[test]
    fn undated_eol_is_expired_and_eoes_counts_only_without_eol() {
        let undated = dated(When::ReachedUndated);
        assert_eq!(Status::evaluate(Some(&undated), None, date!(2000 - 01 - 01), 0), Status::Expired);
        let eoes = dated(When::On(date!(2020 - 01 - 01)));
        assert_eq!(Status::evaluate(None, Some(&eoes), date!(2021 - 01 - 01), 0), Status::Expired);
        let eol = dated(When::On(date!(2030 - 01 - 01)));
        assert_eq!(Status::evaluate(Some(&eol), Some(&eoes), date!(2021 - 01 - 01), 0), Status::Supported);
        assert_eq!(Status::evaluate(None, None, date!(2021 - 01 - 01), 0), Status::Supported);
    }
}
