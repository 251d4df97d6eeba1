//! `check --licences`: the licence policy's verdict on each dependency's licence (see
//! [`crate::licence::policy`]) and the justification check on commercial software (see
//! [`crate::commercial::check`]), as findings. A violation of the policy always fails the check.

use std::collections::BTreeMap;

use thiserror::Error;

use super::Condition;
use crate::commercial::check::{self as commercial, CheckError, Standing};
use crate::inventory::Inventory;
use crate::licence::assess;
use crate::licence::data::{DataError, LicenceData};
use crate::licence::online::Lookups;
use crate::licence::policy::{Policy, Verdict};

/// Why the licence policy could not be applied.
#[derive(Debug, Error)]
pub enum LicenceCheckError {
    /// shelflife's own licence data cannot be read.
    #[error("shelflife's embedded licence data: {0}")]
    Data(#[from] DataError),
    /// A component's commercial terms cannot be read.
    #[error("the commercial terms of {0}")]
    Commercial(#[from] CheckError),
}

/// The policy's findings, by bom-ref: the condition and what is wrong, in a sentence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyFindings {
    by_component: BTreeMap<String, Vec<(Condition, String)>>,
    /// The policy's file (empty: no policy file, so the defaults).
    pub policy_file: String,
}

impl PolicyFindings {
    /// The findings about one component.
    pub fn of(&self, bom_ref: &str) -> &[(Condition, String)] {
        self.by_component.get(bom_ref).map_or(&[], Vec::as_slice)
    }

    fn add(&mut self, bom_ref: &str, condition: Condition, message: String) {
        self.by_component.entry(bom_ref.to_owned()).or_default().push((condition, message));
    }
}

/// Applies the policy to every dependency's licence (as the inventory carries it: declared, or
/// looked up when the SBOM was made) and to every commercial component's justification.
pub fn judge(inventory: &Inventory, policy: &Policy) -> Result<PolicyFindings, LicenceCheckError> {
    let data = LicenceData::embedded()?;
    let mut findings = PolicyFindings { policy_file: policy.file.clone(), ..PolicyFindings::default() };
    for licence in assess::assess(data, inventory, &Lookups::new()) {
        let verdict = policy.evaluate(data, licence.expression.as_ref());
        if policy.fails(&verdict) {
            findings.add(&licence.bom_ref, Condition::Licence, verdict_message(&verdict));
        }
    }
    for assessed in commercial::check(inventory, policy)? {
        if assessed.standing == Standing::Violation {
            findings.add(&assessed.bom_ref, Condition::Unjustified, assessed.message);
        }
    }
    Ok(findings)
}

/// A failing verdict in a sentence.
fn verdict_message(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Denied { offences } => {
            let offences: Vec<String> = offences.iter().map(ToString::to_string).collect();
            format!("licence not allowed: {}", offences.join("; "))
        }
        Verdict::Unknown { reason } => format!("licence unknown ({reason}), which the policy fails"),
        Verdict::Allowed => "licence allowed".to_owned(),
    }
}
