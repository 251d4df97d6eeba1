//! How a commercial licence is counted and granted: the licence types of CycloneDX 1.5
//! (`licensing.licenseTypes`), the vocabulary both `shelflife.toml` and the catalogue use.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A CycloneDX 1.5 licence type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceModel {
    /// For academic institutions.
    Academic,
    /// Bound to a hardware appliance.
    Appliance,
    /// Client access licences (CALs), per user or device reaching a server.
    ClientAccess,
    /// A number of users at the same time.
    ConcurrentUser,
    /// Counted by processor cores (per-core licences, core factors).
    CorePoints,
    /// A vendor's own measure (data ingested, employees, lines of code).
    CustomMetric,
    /// Per device.
    Device,
    /// For evaluation only.
    Evaluation,
    /// Per named user.
    NamedUser,
    /// Bound to one machine.
    NodeLocked,
    /// Sold with hardware or another product.
    Oem,
    /// No end date.
    Perpetual,
    /// Counted by processors (IBM processor value units).
    ProcessorPoints,
    /// For a term, renewed.
    Subscription,
    /// Per user.
    User,
    /// Anything else.
    Other,
}

impl LicenceModel {
    /// Every licence type, in the order CycloneDX lists them.
    pub const ALL: [LicenceModel; 16] = [
        Self::Academic,
        Self::Appliance,
        Self::ClientAccess,
        Self::ConcurrentUser,
        Self::CorePoints,
        Self::CustomMetric,
        Self::Device,
        Self::Evaluation,
        Self::NamedUser,
        Self::NodeLocked,
        Self::Oem,
        Self::Perpetual,
        Self::ProcessorPoints,
        Self::Subscription,
        Self::User,
        Self::Other,
    ];

    /// The CycloneDX name (`named-user`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Academic => "academic",
            Self::Appliance => "appliance",
            Self::ClientAccess => "client-access",
            Self::ConcurrentUser => "concurrent-user",
            Self::CorePoints => "core-points",
            Self::CustomMetric => "custom-metric",
            Self::Device => "device",
            Self::Evaluation => "evaluation",
            Self::NamedUser => "named-user",
            Self::NodeLocked => "node-locked",
            Self::Oem => "oem",
            Self::Perpetual => "perpetual",
            Self::ProcessorPoints => "processor-points",
            Self::Subscription => "subscription",
            Self::User => "user",
            Self::Other => "other",
        }
    }

    /// The licence type with this CycloneDX name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|model| model.as_str() == name)
    }
}

impl fmt::Display for LicenceModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_match_serde() {
        for model in LicenceModel::ALL {
            assert_eq!(LicenceModel::from_name(model.as_str()), Some(model));
            let json = serde_json::to_string(&model).unwrap();
            assert_eq!(json, format!("\"{model}\""));
        }
        assert_eq!(LicenceModel::from_name("per-seat"), None);
    }
}
