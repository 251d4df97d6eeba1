//! Gathers one file's findings and problems, one finding per key.

use std::collections::HashSet;

use crate::containers::image::ImageFinding;
use crate::finding::{Finding, Location, Parsed, Problem};

/// The findings and problems of one file as they are found.
#[derive(Default)]
pub(crate) struct Collector {
    parsed: Parsed,
    keys: HashSet<String>,
}

impl Collector {
    /// Adds a finding unless one with the same key is already there; returns its key.
    pub fn finding(&mut self, finding: Finding) -> String {
        let key = finding.key.clone();
        if self.keys.insert(key.clone()) {
            self.parsed.findings.push(finding);
        }
        key
    }

    /// Adds an image finding and its problem; returns the finding's key.
    pub fn image(&mut self, image: ImageFinding) -> String {
        let is_new = !self.keys.contains(&image.finding.key);
        if let Some(problem) = image.problem.filter(|_| is_new) {
            self.parsed.problems.push(problem);
        }
        self.finding(image.finding)
    }

    /// Adds a problem.
    pub fn problem(&mut self, location: Location, message: impl Into<String>) {
        self.parsed.problems.push(Problem { location, message: message.into() });
    }

    /// Adds problems found elsewhere.
    pub fn problems(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.parsed.problems.extend(problems);
    }

    /// The finding with `key`, to add edges or properties.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Finding> {
        self.parsed.findings.iter_mut().find(|finding| finding.key == key)
    }

    /// Everything gathered, problems in file order.
    pub fn finish(mut self) -> Parsed {
        self.parsed
            .problems
            .sort_by(|a, b| a.location.cmp(&b.location).then_with(|| a.message.cmp(&b.message)));
        self.parsed
    }
}
