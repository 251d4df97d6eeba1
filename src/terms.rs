//! The recipient's "EOL" and "EOS" of a release cycle, mapped from shelflife's five dates as the
//! "Terms" table of the design says: **EOL** is the end of sale, else the end of active support
//! (EOAS), else the end of security support (EOL); **EOS** is the last of EOL and the end of
//! extended support (EOES). Each carries the milestone it shows and its source, and a date no
//! source gives is never filled in.

use serde::Serialize;
use time::Date;

use crate::lifecycle::assess::Known;
use crate::lifecycle::dates::{Dated, Source, When};

/// Which of shelflife's dates a recipient's date shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Milestone {
    /// End of sale.
    EndOfSale,
    /// End of active support.
    Eoas,
    /// End of security support (endoflife.date's `eol`).
    Eol,
    /// End of extended support.
    Eoes,
}

impl Milestone {
    /// The short tag used in tables (`EOAS`).
    pub fn tag(self) -> &'static str {
        match self {
            Self::EndOfSale => "end of sale",
            Self::Eoas => "EOAS",
            Self::Eol => "EOL",
            Self::Eoes => "EOES",
        }
    }
}

/// One date as a recipient reads it: when, which milestone it is, and who says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<'a> {
    /// The milestone the date is.
    pub milestone: Milestone,
    /// When it falls.
    pub when: When,
    /// Its source.
    pub source: &'a Source,
}

impl<'a> Shown<'a> {
    fn of(milestone: Milestone, dated: &'a Dated) -> Self {
        Self { milestone, when: dated.when, source: &dated.source }
    }

    /// Whether it has been reached on `day`.
    pub fn reached_by(&self, day: Date) -> bool {
        self.when.reached_by(day)
    }
}

/// The recipient's EOL: end of sale, else EOAS, else EOL.
pub fn recipient_eol(known: &Known) -> Option<Shown<'_>> {
    [(Milestone::EndOfSale, &known.end_of_sale), (Milestone::Eoas, &known.eoas), (Milestone::Eol, &known.eol)]
        .into_iter()
        .find_map(|(milestone, dated)| dated.as_ref().map(|d| Shown::of(milestone, d)))
}

/// The recipient's EOS: the last of EOL and EOES. Extended support ends after security support,
/// so EOES is taken unless both are dated and the EOL is later (a source's own inconsistency).
pub fn recipient_eos(known: &Known) -> Option<Shown<'_>> {
    let eol = known.eol.as_ref().map(|d| Shown::of(Milestone::Eol, d));
    let eoes = known.eoes.as_ref().map(|d| Shown::of(Milestone::Eoes, d));
    match (eol, eoes) {
        (Some(eol), Some(eoes)) => match (eol.when, eoes.when) {
            (When::On(l), When::On(e)) if l > e => Some(eol),
            _ => Some(eoes),
        },
        (eol, eoes) => eoes.or(eol),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::lifecycle::dates::Status;
    use crate::lifecycle::mapping::{Mapping, Rule};

    fn dated(when: When, url: &str) -> Option<Dated> {
        Some(Dated { when, source: Source::ProjectData { url: url.into() } })
    }

    fn known() -> Known {
        Known {
            mapping: Mapping {
                product: "p".into(),
                rule: Rule::Purl,
                reason: "r".into(),
                version: None,
                cycle: None,
            },
            product_label: "P".into(),
            cycle: "1".into(),
            cycle_label: None,
            version_note: None,
            lts: false,
            latest: None,
            ga: None,
            end_of_sale: None,
            eoas: None,
            eol: None,
            eoes: None,
            status: Status::Supported,
            as_of: date!(2025 - 01 - 01),
        }
    }

    #[test]
    fn eol_prefers_end_of_sale_then_eoas_then_eol() {
        let mut k = known();
        assert_eq!(recipient_eol(&k), None, "no source, no date");
        k.eol = dated(When::On(date!(2027 - 01 - 01)), "eol");
        assert_eq!(recipient_eol(&k).map(|s| s.milestone), Some(Milestone::Eol));
        k.eoas = dated(When::On(date!(2026 - 01 - 01)), "eoas");
        let shown = recipient_eol(&k).unwrap();
        assert_eq!((shown.milestone, shown.when), (Milestone::Eoas, When::On(date!(2026 - 01 - 01))));
        assert_eq!(shown.source, &Source::ProjectData { url: "eoas".into() });
        k.end_of_sale = dated(When::ReachedUndated, "sale");
        assert_eq!(recipient_eol(&k).map(|s| s.milestone), Some(Milestone::EndOfSale));
    }

    #[test]
    fn eos_is_the_last_of_eol_and_eoes() {
        let mut k = known();
        assert_eq!(recipient_eos(&k), None);
        k.eol = dated(When::On(date!(2027 - 01 - 01)), "eol");
        assert_eq!(recipient_eos(&k).map(|s| s.milestone), Some(Milestone::Eol));
        k.eoes = dated(When::On(date!(2030 - 01 - 01)), "eoes");
        assert_eq!(recipient_eos(&k).map(|s| s.milestone), Some(Milestone::Eoes));
        k.eoes = dated(When::On(date!(2026 - 01 - 01)), "eoes");
        assert_eq!(recipient_eos(&k).map(|s| s.milestone), Some(Milestone::Eol), "the later one");
        k.eol = dated(When::ReachedUndated, "eol");
        assert_eq!(recipient_eos(&k).map(|s| s.milestone), Some(Milestone::Eoes));
        k.eol = None;
        assert_eq!(recipient_eos(&k).map(|s| s.milestone), Some(Milestone::Eoes));
    }
}
