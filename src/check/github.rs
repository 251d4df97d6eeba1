//! `check --format github`: GitHub Actions workflow commands, one annotation per listed finding
//! (`::error` when it fails the check, `::warning` for other lifecycle ends, `::notice` for
//! unpinned and unknown), at the file and line where the component was found, then the summary
//! as a notice. Values are escaped as the runner's command parser expects, so a component name
//! cannot end or forge a command.

use super::{Condition, Finding, Judged, Outcome};

/// The annotations and summary, a line each.
pub fn render(outcome: &Outcome<'_>) -> String {
    let mut text = String::new();
    for judged in &outcome.judged {
        for finding in judged.listed(&outcome.rules) {
            text.push_str(&annotation(outcome, judged, finding));
            text.push('\n');
        }
    }
    text.push_str(&format!("::notice title=shelflife check::{}\n", escape_data(&outcome.summary())));
    text
}

fn annotation(outcome: &Outcome<'_>, judged: &Judged<'_>, finding: &Finding<'_>) -> String {
    let command = match finding.condition {
        _ if finding.fails => "error",
        Condition::Eol | Condition::Eoas | Condition::Eoes | Condition::Expiring => "warning",
        Condition::Licence | Condition::Unjustified => "error",
        Condition::Unpinned | Condition::Unknown => "notice",
    };
    let component = judged.component;
    let version = component.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    let mut properties = Vec::new();
    if let Some(location) = judged.first_location() {
        properties.push(format!("file={}", escape_property(&outcome.user_path(location))));
        if let Some(line) = location.line {
            properties.push(format!("line={line}"));
        }
    }
    let title = format!("{}{version}: {}", component.name, finding.condition.title());
    properties.push(format!("title={}", escape_property(&title)));
    let message = format!("{}{version}: {}", component.name, finding.message);
    format!("::{command} {}::{}", properties.join(","), escape_data(&message))
}

/// Escapes a command's message as the Actions runner unescapes it.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property's value as the Actions runner unescapes it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_end_or_forge_a_command() {
        assert_eq!(escape_data("a%b\r\n::error::x"), "a%25b%0D%0A::error::x");
        assert_eq!(escape_property("x,line=1::y\n"), "x%2Cline=1%3A%3Ay%0A");
    }
}
