//! `runs-on` labels: GitHub-hosted runner images (`ubuntu-22.04`, `windows-2022`, `macos-14`,
//! `ubuntu-latest`) as platforms with a version, and other labels (self-hosted runners, larger
//! runners named by their owners) reported under the label itself.

/// A runner label, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runner<'a> {
    /// The canonical platform name: `ubuntu`, `windows-server`, `windows`, `macos`, or the label
    /// itself when it names no GitHub-hosted image.
    pub name: &'a str,
    /// The image's version (`22.04`, `2022`, `14`, `latest`); `None` for other labels.
    pub version: Option<&'a str>,
    /// What follows the version (`arm`, `xlarge`, `16-cores`).
    pub variant: Option<&'a str>,
}

impl<'a> Runner<'a> {
    /// Classifies one label.
    pub fn classify(label: &'a str) -> Self {
        let hosted = [("ubuntu-", "ubuntu"), ("windows-", "windows-server"), ("macos-", "macos")]
            .into_iter()
            .find_map(|(prefix, name)| label.strip_prefix(prefix).map(|rest| (name, rest)));
        let Some((name, rest)) = hosted else { return Self { name: label, version: None, variant: None } };
        let (version, variant) = match rest.split_once('-') {
            Some((version, variant)) => (version, Some(variant)),
            None => (rest, None),
        };
        let is_version = version == "latest" || version.starts_with(|c: char| c.is_ascii_digit());
        if !is_version {
            return Self { name: label, version: None, variant: None };
        }
        let name = if name == "windows-server" && !is_year(version) && version != "latest" {
            "windows"
        } else {
            name
        };
        Self { name, version: Some(version), variant }
    }

    /// Whether the label names a fixed image release (`ubuntu-22.04`), not `…-latest`.
    pub fn is_pinned(&self) -> bool {
        self.version.is_some_and(|version| version != "latest")
    }
}

fn is_year(version: &str) -> bool {
    version.len() == 4 && version.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosted_images() {
        let ubuntu = Runner::classify("ubuntu-22.04");
        assert_eq!(ubuntu, Runner { name: "ubuntu", version: Some("22.04"), variant: None });
        assert!(ubuntu.is_pinned());
        assert!(!Runner::classify("ubuntu-latest").is_pinned());
        assert_eq!(Runner::classify("ubuntu-24.04-arm").variant, Some("arm"));
        assert_eq!(Runner::classify("windows-2022").name, "windows-server");
        assert_eq!(
            Runner::classify("windows-11-arm"),
            Runner { name: "windows", version: Some("11"), variant: Some("arm") }
        );
        assert_eq!(Runner::classify("macos-14-xlarge").version, Some("14"));
    }

    #[test]
    fn other_labels() {
        for label in ["self-hosted", "linux", "ubuntu-gpu-runners", "my-big-runner"] {
            assert_eq!(Runner::classify(label), Runner { name: label, version: None, variant: None });
        }
    }
}
