//! `check --format junit`: one test case per component (the project's own components are not
//! judged), in one test suite, for CI systems that show JUnit reports. A component fails when a
//! finding fails the check; a component whose lifecycle is unknown is skipped unless unknown fails
//! the check; every other finding is written to the test case's output. Written by `quick-junit`,
//! which also makes names safe for XML.

use quick_junit::{NonSuccessKind, Property, Report, SerializeError, TestCase, TestCaseStatus, TestSuite};

use super::{Condition, Judged, Outcome};
use crate::lifecycle::dates::format_day;

/// The name of the report and of its suite.
const SUITE: &str = "shelflife check";

/// The outcome as a JUnit XML report.
pub fn render(outcome: &Outcome<'_>) -> Result<String, SerializeError> {
    let mut suite = TestSuite::new(SUITE);
    suite.add_properties([
        Property::new("as-of", format_day(outcome.assessed.as_of)),
        Property::new("horizon", outcome.assessed.horizon.to_string()),
        Property::new("subject", outcome.assessed.input.subject.name.as_str()),
    ]);
    suite.add_test_cases(outcome.judged.iter().map(|judged| test_case(outcome, judged)));
    let mut report = Report::new(SUITE);
    report.add_test_suite(suite);
    report.to_string()
}

fn test_case(outcome: &Outcome<'_>, judged: &Judged<'_>) -> TestCase {
    let component = judged.component;
    let name = match &component.version {
        Some(version) => format!("{}@{version}", component.name),
        None => component.name.clone(),
    };
    let lines: Vec<String> =
        judged.findings.iter().map(|f| format!("{}: {}", f.condition, f.message)).collect();
    let unknown_only =
        !judged.findings.is_empty() && judged.findings.iter().all(|f| f.condition == Condition::Unknown);
    let status = if judged.fails() {
        let failing: Vec<&str> =
            judged.findings.iter().filter(|f| f.fails).map(|f| f.message.as_str()).collect();
        let conditions: Vec<&str> =
            judged.findings.iter().filter(|f| f.fails).map(|f| f.condition.as_str()).collect();
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(failing.join("; "))
            .set_type(conditions.join(","))
            .set_description(lines.join("\n"));
        status
    } else if unknown_only {
        let mut status = TestCaseStatus::skipped();
        status.set_message(lines.join("; "));
        status
    } else {
        TestCaseStatus::success()
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(classname(judged));
    let places: Vec<String> = component.locations.iter().map(|l| outcome.user_path_line(l)).collect();
    let mut out = lines;
    if !places.is_empty() {
        out.push(format!("found in {}", places.join(", ")));
    }
    if !out.is_empty() {
        case.set_system_out(out.join("\n"));
    }
    case
}

/// The component's ecosystem (its purl type) or kind, and scope: `npm.runtime`, `container.infrastructure`.
fn classname(judged: &Judged<'_>) -> String {
    let component = judged.component;
    let ecosystem = component
        .purl
        .as_deref()
        .and_then(|p| p.strip_prefix("pkg:"))
        .and_then(|p| p.split('/').next())
        .unwrap_or(component.kind.as_str());
    format!("{ecosystem}.{}", component.scope)
}
