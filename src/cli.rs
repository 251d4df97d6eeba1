//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::Condition;
use crate::emit::{CycloneDxVersion, Format};
use crate::eol::{EolArgs, LifecycleArgs};
use crate::horizon::Horizon;

/// shelflife: what is in a piece of software, under what licence, and until when each part is
/// supported.
#[derive(Debug, Parser)]
#[command(name = "shelflife", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print every problem and the files read.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Lifecycle data: the store, the network, the as-of day.
    #[command(flatten)]
    pub lifecycle: LifecycleArgs,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a source tree (or one lockfile) and write its SBOM.
    #[command(after_help = SCAN_EXAMPLES)]
    Scan(ScanArgs),
    /// Check every component's lifecycle against a day and a warning horizon, for CI.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Write the delivery annex: a Quarto-markdown document of what is in the software, under
    /// what licence, and until when each part is supported.
    #[command(after_help = ANNEX_EXAMPLES)]
    Annex(AnnexArgs),
    /// Keep and inspect the lifecycle cache (endoflife.date data).
    #[command(after_help = EOL_EXAMPLES)]
    Eol(EolArgs),
    /// Report the dependencies' licences and check them against the policy of shelflife.toml.
    #[command(after_help = LICENCES_EXAMPLES)]
    Licences(LicencesArgs),
}

const LICENCES_EXAMPLES: &str = "\
Examples:
  shelflife licences                              licences of the current directory, checked against ./shelflife.toml
  shelflife licences fixtures/demo --format json  the report as JSON (format shelflife-licence-report, version 1)
  shelflife licences out/demo.cdx.json --policy shelflife.toml
                                                  an SBOM's licences against a policy file
  shelflife licences . --licences online          also ask npm, PyPI and crates.io where the lockfiles say nothing

Exit status: 0 the policy passed; 1 a component fails the policy; 2 usage or input error (a bad
[policy] names its file and line); 3 the scan met problems (and nothing failed the policy).";

/// Arguments of `shelflife licences`.
#[derive(Debug, Args)]
pub struct LicencesArgs {
    /// A directory or lockfile to scan, or an SBOM (CycloneDX or SPDX, JSON, XML or tag-value).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Report format: tables for people, or JSON.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: ReportFormatArg,
    /// The shelflife.toml whose policy applies. Default: the one in the scanned directory (none
    /// for an SBOM).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Where licences come from.
    #[command(flatten)]
    pub lookups: LicenceLookupArgs,
    /// Files larger than this are reported and not read (e.g. 256MB, 10KiB, 4096).
    #[arg(long, default_value = "256MiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// `--format` values of `shelflife licences`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormatArg {
    /// Tables: licences by expression, then the components that fail or are unknown.
    Table,
    /// The report as JSON.
    Json,
}

/// Where licences come from, for `scan` and `licences`.
#[derive(Debug, Clone, Args)]
pub struct LicenceLookupArgs {
    /// `offline`: only what the scanned files state. `online`: also ask the package registries
    /// (npm, PyPI, crates.io) about dependencies whose files state no licence, one request per
    /// package, answers cached in the store (--db). With --offline, the cache only.
    #[arg(long = "licences", value_enum, default_value = "offline", value_name = "SOURCE")]
    pub mode: LicenceMode,
    /// The npm registry asked by --licences online.
    #[arg(
        long,
        env = "SHELFLIFE_NPM_REGISTRY",
        default_value = "https://registry.npmjs.org",
        value_name = "URL"
    )]
    pub npm_registry: String,
    /// The PyPI base URL asked by --licences online (its JSON API is under /pypi).
    #[arg(long, env = "SHELFLIFE_PYPI_URL", default_value = "https://pypi.org", value_name = "URL")]
    pub pypi_url: String,
    /// The crates.io base URL asked by --licences online (its API is under /api/v1).
    #[arg(long, env = "SHELFLIFE_CRATES_URL", default_value = "https://crates.io", value_name = "URL")]
    pub crates_url: String,
}

/// `--licences` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LicenceMode {
    /// Only what the scanned files state; nothing leaves the machine.
    Offline,
    /// Also ask the registries where the files state nothing.
    Online,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  shelflife check                                  this directory, failing on anything past EOL
  shelflife check . --within 6m --fail-on expiring fail on what reaches EOL within 6 months
  shelflife check out/demo.cdx.json --as-of 2027-01-01 --format sarif -o check.sarif
  shelflife check . --format github                annotations in a GitHub Actions log
  shelflife check . --licences                     also fail on licences the policy does not allow

Exit status: 0 passed; 1 a finding of a --fail-on condition; 2 usage or input error; 3 passed,
but the scan met problems (the inventory may be incomplete).";

const ANNEX_EXAMPLES: &str = "\
Examples:
  shelflife annex fixtures/demo --output annex.qmd
  shelflife annex out/demo.cdx.json --as-of 2027-01-01 --output annex.qmd
  shelflife annex . --template my-annex.qmd.j2 --output annex.qmd
  pandoc annex.qmd --standalone -o annex.html      render it (or: quarto render annex.qmd)";

/// What to report on: a tree, a lockfile or an SBOM, and how far ahead to look.
#[derive(Debug, Args)]
pub struct ReportInput {
    /// A directory or lockfile to scan, or an SBOM shelflife wrote (CycloneDX JSON or XML, SPDX).
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// How far ahead an end of life counts as expiring: days, weeks, months or years (180d, 2w,
    /// 6m, 1y).
    #[arg(long, default_value = "180d", value_name = "HORIZON")]
    pub within: Horizon,
    /// Files larger than this are reported and not read (e.g. 256MB, 10KiB, 4096).
    #[arg(long, default_value = "256MiB", value_parser = parse_size)]
    pub max_file_size: u64,
}

/// Arguments of `shelflife check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// What to check.
    #[command(flatten)]
    pub input: ReportInput,
    /// A condition that fails the check (exit status 1); repeat for several. Default: eol.
    #[arg(long, value_enum, value_name = "CONDITION")]
    pub fail_on: Vec<ConditionArg>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: CheckFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also apply the licence policy (the `policy` table of shelflife.toml): a licence it does not
    /// allow, or commercial software without the justification it asks for, fails the check.
    #[arg(long)]
    pub licences: bool,
    /// The file whose licence policy applies. Default: shelflife.toml in the scanned directory
    /// (none for an SBOM).
    #[arg(long, value_name = "FILE", requires = "licences")]
    pub policy: Option<PathBuf>,
}

/// `--fail-on` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConditionArg {
    /// Past end of life (security support ended).
    Eol,
    /// Past end of active support.
    Eoas,
    /// Past end of all support (the last of EOL and EOES).
    Eoes,
    /// End of life within the horizon (--within).
    Expiring,
    /// The version fixes no release cycle (`latest`, no tag).
    Unpinned,
    /// No lifecycle is known.
    Unknown,
}

impl From<ConditionArg> for Condition {
    fn from(value: ConditionArg) -> Self {
        match value {
            ConditionArg::Eol => Condition::Eol,
            ConditionArg::Eoas => Condition::Eoas,
            ConditionArg::Eoes => Condition::Eoes,
            ConditionArg::Expiring => Condition::Expiring,
            ConditionArg::Unpinned => Condition::Unpinned,
            ConditionArg::Unknown => Condition::Unknown,
        }
    }
}

/// `check --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// A table for people (coloured on a terminal).
    Table,
    /// JSON of a stable, versioned shape (docs/schemas/check.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// JUnit XML: one test case per component.
    Junit,
    /// GitHub Actions workflow annotations.
    Github,
}

/// Arguments of `shelflife annex`.
#[derive(Debug, Args)]
pub struct AnnexArgs {
    /// What to report on.
    #[command(flatten)]
    pub input: ReportInput,
    /// Write the annex to FILE (`-` or none: stdout).
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// A minijinja template to use instead of the built-in one (data/templates/annex.qmd.j2).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
}

const EOL_EXAMPLES: &str = "\
Examples:
  shelflife eol sync                              fetch the whole endoflife.date dataset
  shelflife eol sync nodejs mssqlserver           fetch two products
  shelflife eol import products-full.json         load a saved dump (air-gapped)
  shelflife eol show mssqlserver 2022             one cycle, with the source of every date
  shelflife --offline eol status                  what the cache holds, and how old it is";

const SCAN_EXAMPLES: &str = "\
Examples:
  shelflife scan                                  CycloneDX 1.6 JSON of the current directory on stdout
  shelflife scan fixtures/demo --out-dir out      every format, written to out/
  shelflife scan . -f spdx-json -o sbom.spdx.json one format to one file
  shelflife scan web/package-lock.json            a single lockfile

Lifecycle: every component is mapped to its endoflife.date product and release cycle (cached in
the store, --db; fetched when older than --eol-ttl unless --offline) and evaluated --as-of a day.

Exit status: 0 clean scan; 2 usage or input error; 3 scan completed with problems (each problem
names its file, and the SBOM records that the scan is incomplete).";

/// Arguments of `shelflife scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The directory (or single lockfile) to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Output format; repeat for several. Default: cyclonedx-json, or every format with --out-dir.
    #[arg(long, short, value_enum)]
    pub format: Vec<FormatArg>,
    /// Write the document to FILE (`-` for stdout). Takes one format.
    #[arg(long, short, value_name = "FILE", conflicts_with = "out_dir")]
    pub output: Option<PathBuf>,
    /// Write one file per format into DIR, named after the scanned directory.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// CycloneDX specification version.
    #[arg(long, value_enum, default_value = "1.6")]
    pub spec_version: SpecVersionArg,
    /// Files larger than this are reported and not read (e.g. 256MB, 10KiB, 4096).
    #[arg(long, default_value = "256MiB", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Where licences come from.
    #[command(flatten)]
    pub lookups: LicenceLookupArgs,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// CycloneDX JSON.
    CyclonedxJson,
    /// CycloneDX XML.
    CyclonedxXml,
    /// SPDX 2.3 JSON.
    SpdxJson,
    /// SPDX 2.3 tag-value.
    SpdxTv,
}

impl From<FormatArg> for Format {
    fn from(value: FormatArg) -> Self {
        match value {
            FormatArg::CyclonedxJson => Format::CycloneDxJson,
            FormatArg::CyclonedxXml => Format::CycloneDxXml,
            FormatArg::SpdxJson => Format::SpdxJson,
            FormatArg::SpdxTv => Format::SpdxTagValue,
        }
    }
}

/// `--spec-version` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SpecVersionArg {
    /// CycloneDX 1.5.
    #[value(name = "1.5")]
    V1_5,
    /// CycloneDX 1.6.
    #[value(name = "1.6")]
    V1_6,
}

impl From<SpecVersionArg> for CycloneDxVersion {
    fn from(value: SpecVersionArg) -> Self {
        match value {
            SpecVersionArg::V1_5 => CycloneDxVersion::V1_5,
            SpecVersionArg::V1_6 => CycloneDxVersion::V1_6,
        }
    }
}

/// Parses a size such as `256MB`, `10KiB` or `4096` (bytes).
fn parse_size(text: &str) -> Result<u64, String> {
    text.trim().parse::<bytesize::ByteSize>().map(|size| size.as_u64()).map_err(|e| format!("{text:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("256MB"), Ok(256_000_000));
        assert_eq!(parse_size("10KiB"), Ok(10_240));
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
