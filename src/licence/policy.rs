//! The licence policy of the scanned project: the `[policy]` table of its `shelflife.toml`
//! (read with the other declarations by [`crate::declarations`]), and its verdict on each
//! component's licence expression.
//!
//! ```toml
//! [policy]
//! allow = ["MIT", "Apache-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"]
//! deny = ["AGPL-3.0-only", "SSPL-1.0"]
//! allow_classes = ["permissive", "weak-copyleft"]
//! deny_classes = ["network-copyleft", "source-available"]
//! unknown = "fail"                        # or "warn" (the default)
//! commercial_needs_justification = true   # read by the commercial-software checks
//! ```
//!
//! A licence is denied when a `deny` entry or a `deny_classes` class names it; else allowed
//! when an `allow` entry or `allow_classes` class names it, or when neither list is given;
//! else it is not allowed. An entry that is one licence (`Apache-2.0`) names it with or without
//! an exception; one with `WITH` names only that pairing; a compound entry (`MIT OR Apache-2.0`)
//! names a component whose whole expression is exactly that. An `OR` is allowed when any option
//! is; an `AND` needs every part.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use super::class::{classify, LicenceClass};
use super::data::LicenceData;
use super::expr::{Expr, Licence};

/// The `[policy]` table as written; [`Policy::from_table`] checks it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyTable {
    /// Licences or expressions allowed.
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    /// Licences or expressions denied.
    #[serde(default)]
    pub deny: Vec<Spanned<String>>,
    /// Classes allowed.
    #[serde(default)]
    pub allow_classes: Vec<LicenceClass>,
    /// Classes denied.
    #[serde(default)]
    pub deny_classes: Vec<LicenceClass>,
    /// What an unknown licence does.
    #[serde(default)]
    pub unknown: UnknownRule,
    /// Whether declared commercial software needs a justification.
    #[serde(default)]
    pub commercial_needs_justification: bool,
}

/// What a component whose licence is unknown does to the check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnknownRule {
    /// It is reported; the check passes.
    #[default]
    Warn,
    /// It fails the check.
    Fail,
}

/// A `[policy]` table that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{file}{}: [policy] {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PolicyError {
    /// The file.
    pub file: String,
    /// The 1-based line, where known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// One `allow` or `deny` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyEntry {
    /// The entry as written.
    pub text: String,
    /// Its expression.
    pub expr: Expr,
    /// The 1-based line it is written on.
    pub line: usize,
}

impl PolicyEntry {
    /// Whether the entry names this licence (a one-licence entry).
    fn names(&self, licence: &Licence) -> bool {
        let Expr::Licence(entry) = &self.expr else {
            return false;
        };
        entry.id == licence.id
            && entry.or_later == licence.or_later
            && (entry.exception.is_none() || entry.exception == licence.exception)
    }
}

/// The checked policy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policy {
    /// The file it was read from (empty: no policy file).
    pub file: String,
    /// Allowed licences or expressions.
    pub allow: Vec<PolicyEntry>,
    /// Denied licences or expressions.
    pub deny: Vec<PolicyEntry>,
    /// Allowed classes.
    pub allow_classes: Vec<LicenceClass>,
    /// Denied classes.
    pub deny_classes: Vec<LicenceClass>,
    /// What an unknown licence does.
    pub unknown: UnknownRule,
    /// Whether declared commercial software needs a justification.
    pub commercial_needs_justification: bool,
}

/// The policy's verdict on one component.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// The licence meets the policy.
    Allowed,
    /// It does not; each offence names a licence and why.
    Denied {
        /// The licences that fail, with the reason.
        offences: Vec<Offence>,
    },
    /// Whether it meets the policy cannot be told.
    Unknown {
        /// Why.
        reason: String,
    },
}

/// A licence the policy does not allow, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Offence {
    /// The licence (`AGPL-3.0-only`, `GPL-2.0-only WITH Classpath-exception-2.0`).
    pub licence: String,
    /// Why (`denied by "AGPL-3.0-only" at shelflife.toml:5`).
    pub reason: String,
}

impl fmt::Display for Offence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.licence, self.reason)
    }
}

impl Policy {
    /// Checks a `[policy]` table read from `text` of `file`: every entry must be an SPDX
    /// expression, and no entry may be both allowed and denied.
    pub fn from_table(table: PolicyTable, file: &str, text: &str) -> Result<Self, PolicyError> {
        let allow = entries(&table.allow, file, text)?;
        let deny = entries(&table.deny, file, text)?;
        if let Some(both) = allow.iter().find(|a| deny.iter().any(|d| d.expr == a.expr)) {
            return Err(PolicyError {
                file: file.to_owned(),
                line: Some(both.line),
                message: format!("`{}` is both allowed and denied", both.text),
            });
        }
        if let Some(class) = table.allow_classes.iter().find(|c| table.deny_classes.contains(c)) {
            return Err(PolicyError {
                file: file.to_owned(),
                line: None,
                message: format!("class `{class}` is both in allow_classes and deny_classes"),
            });
        }
        Ok(Self {
            file: file.to_owned(),
            allow,
            deny,
            allow_classes: table.allow_classes,
            deny_classes: table.deny_classes,
            unknown: table.unknown,
            commercial_needs_justification: table.commercial_needs_justification,
        })
    }

    /// The verdict on a component's licence expression (`None`: no licence found).
    pub fn evaluate(&self, data: &LicenceData, expression: Option<&Expr>) -> Verdict {
        let Some(expr) = expression else {
            return Verdict::Unknown { reason: "no licence found".into() };
        };
        if let Some(entry) = self.deny.iter().find(|entry| entry.expr == *expr) {
            let offence = Offence { licence: expr.to_string(), reason: self.denied_by(entry) };
            return Verdict::Denied { offences: vec![offence] };
        }
        if self.allow.iter().any(|entry| entry.expr == *expr) {
            return Verdict::Allowed;
        }
        self.node(data, expr)
    }

    /// Whether a verdict fails the check under this policy.
    pub fn fails(&self, verdict: &Verdict) -> bool {
        match verdict {
            Verdict::Allowed => false,
            Verdict::Denied { .. } => true,
            Verdict::Unknown { .. } => self.unknown == UnknownRule::Fail,
        }
    }

    fn denied_by(&self, entry: &PolicyEntry) -> String {
        format!("denied by \"{}\" at {}:{}", entry.text, self.file, entry.line)
    }

    fn node(&self, data: &LicenceData, expr: &Expr) -> Verdict {
        match expr {
            Expr::Licence(licence) => self.licence(data, licence),
            Expr::Or(options) => {
                let verdicts: Vec<Verdict> = options.iter().map(|option| self.node(data, option)).collect();
                if verdicts.contains(&Verdict::Allowed) {
                    return Verdict::Allowed;
                }
                first_unknown(&verdicts).unwrap_or_else(|| all_offences(verdicts))
            }
            Expr::And(parts) => {
                let verdicts: Vec<Verdict> = parts.iter().map(|part| self.node(data, part)).collect();
                if verdicts.iter().any(|v| matches!(v, Verdict::Denied { .. })) {
                    return all_offences(verdicts);
                }
                first_unknown(&verdicts).unwrap_or(Verdict::Allowed)
            }
        }
    }

    fn licence(&self, data: &LicenceData, licence: &Licence) -> Verdict {
        let denied = |reason: String| Verdict::Denied {
            offences: vec![Offence { licence: licence.to_string(), reason }],
        };
        if let Some(entry) = self.deny.iter().find(|entry| entry.names(licence)) {
            return denied(self.denied_by(entry));
        }
        let class = classify(data, &Expr::Licence(licence.clone())).class;
        if self.deny_classes.contains(&class) {
            return denied(format!("its class {class} is in deny_classes"));
        }
        if self.allow.iter().any(|entry| entry.names(licence)) || self.allow_classes.contains(&class) {
            return Verdict::Allowed;
        }
        if class == LicenceClass::Unknown {
            return Verdict::Unknown { reason: format!("no source classifies {licence}") };
        }
        if self.allow.is_empty() && self.allow_classes.is_empty() {
            return Verdict::Allowed;
        }
        denied(format!("neither allow nor allow_classes names it (class {class})"))
    }
}

fn first_unknown(verdicts: &[Verdict]) -> Option<Verdict> {
    verdicts.iter().find(|v| matches!(v, Verdict::Unknown { .. })).cloned()
}

fn all_offences(verdicts: Vec<Verdict>) -> Verdict {
    let offences = verdicts
        .into_iter()
        .flat_map(|verdict| match verdict {
            Verdict::Denied { offences } => offences,
            _ => Vec::new(),
        })
        .collect();
    Verdict::Denied { offences }
}

/// The entries of a list, each parsed as a strict SPDX expression.
fn entries(list: &[Spanned<String>], file: &str, text: &str) -> Result<Vec<PolicyEntry>, PolicyError> {
    list.iter()
        .map(|entry| {
            let line = line_of(text, Some(entry.span().start)).unwrap_or(1);
            let error = |message: String| PolicyError { file: file.to_owned(), line: Some(line), message };
            let parsed = spdx::Expression::parse(entry.get_ref()).map_err(|e| {
                error(format!("`{}` is not an SPDX expression: {}", entry.get_ref(), e.reason))
            })?;
            let expr = Expr::from_spdx(&parsed)
                .ok_or_else(|| error(format!("`{}` is not an SPDX expression", entry.get_ref())))?;
            Ok(PolicyEntry { text: entry.get_ref().clone(), expr, line })
        })
        .collect()
}

/// The 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: Option<usize>) -> Option<usize> {
    offset.map(|offset| text.get(..offset).unwrap_or(text).matches('\n').count() + 1)
}

#[cfg(test)]
mod tests;
