//! The `shelflife` command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;
use shelflife::assessed::{self, Assessed};
use shelflife::check::{self, Outcome, Rules};
use shelflife::cli::{
    AnnexArgs, CheckArgs, CheckFormat, Cli, Command, GlobalArgs, LicenceLookupArgs, LicenceMode,
    LicencesArgs, ReportInput, ScanArgs,
};
use shelflife::commercial::catalogue::Catalogue;
use shelflife::commercial::{check as commercial_check, declared};
use shelflife::declarations::Declarations;
use shelflife::emit::{self, Format, ScanMetadata};
use shelflife::eol;
use shelflife::input::Origin;
use shelflife::inventory::Inventory;
use shelflife::licence::data::LicenceData;
use shelflife::licence::policy::Policy;
use shelflife::licence_command::{self, EXIT_VIOLATION};
use shelflife::lifecycle::enrich::{self, Report};
use shelflife::scan::{self, Progress, ScanOptions, ScanReport};
use shelflife::summary;
use time::OffsetDateTime;

/// Exit status of a scan that completed but met problems.
const EXIT_PROBLEMS: u8 = 3;
/// Exit status of a usage or input error.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Scan(args) => run_scan(&cli.global, args),
        Command::Eol(args) => {
            let mut notes = std::io::stderr().lock();
            eol::run(args, &cli.global.lifecycle, &mut std::io::stdout().lock(), &mut notes)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Licences(args) => run_licences(&cli.global, args),
        Command::Check(args) => run_check(cli, args),
        Command::Annex(args) => run_annex(cli, args),
    }
}

/// Loads what `check` or `annex` reports on and evaluates its lifecycles, telling the user on
/// stderr what they should know about the data and the scan.
fn assess_input(cli: &Cli, input: &ReportInput) -> Result<Assessed> {
    let options = ScanOptions { max_file_size: input.max_file_size };
    let mut loaded = shelflife::input::load(&input.path, &options)?;
    let declarations = match &loaded.origin {
        Origin::Scan { path, .. } => {
            let declarations = declare(path, &mut loaded.inventory)?;
            licence_command::enrich(&mut loaded.inventory, &offline_licences(), &cli.global.lifecycle)?;
            declarations
        }
        Origin::Sbom { .. } => Declarations::default(),
    };
    let assessed = assessed::assess(loaded, &cli.global.lifecycle, input.within, &declarations)?;
    if !cli.global.quiet {
        for note in &assessed.notes {
            eprintln!("note: {note}");
        }
        let problems = &assessed.input.inventory.problems;
        let limit = if cli.global.verbose { problems.len() } else { problems.len().min(20) };
        for problem in &problems[..limit] {
            eprintln!("problem: {problem}");
        }
        if limit < problems.len() {
            eprintln!("… and {} more problems (--verbose shows all)", problems.len() - limit);
        }
    }
    Ok(assessed)
}

fn run_check(cli: &Cli, args: &CheckArgs) -> Result<ExitCode> {
    let assessed = assess_input(cli, &args.input)?;
    let rules = Rules::new(args.fail_on.iter().map(|&c| c.into()), cli.global.verbose);
    let policy = match args.licences {
        true => Some(check::licences::judge(
            &assessed.input.inventory,
            &check_policy(args, &assessed.input.origin)?,
        )?),
        false => None,
    };
    let outcome = Outcome::judge(&assessed, rules, policy.as_ref());
    let text = match args.format {
        CheckFormat::Table => check::table::render(&outcome, colour_wanted(args.output.as_deref())),
        CheckFormat::Json => check::json::render(&outcome)?,
        CheckFormat::Sarif => check::sarif::render(&outcome)?,
        CheckFormat::Junit => check::junit::render(&outcome)?,
        CheckFormat::Github => check::github::render(&outcome),
    };
    write_text(args.output.as_deref(), &text)?;
    if !cli.global.quiet && args.output.is_some() {
        eprintln!("{}", outcome.summary());
    }
    Ok(ExitCode::from(outcome.exit_status()))
}

fn run_annex(cli: &Cli, args: &AnnexArgs) -> Result<ExitCode> {
    let assessed = assess_input(cli, &args.input)?;
    let template = match &args.template {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the template {}", path.display()))?,
        ),
        None => None,
    };
    let produced = shelflife::annex::Production {
        command: shelflife::annex::command_line(std::env::args()),
        date: document_timestamp()?.date(),
    };
    let text = shelflife::annex::render(&assessed, &produced, template.as_deref())?;
    write_text(args.output.as_deref(), &text)?;
    Ok(if assessed.input.inventory.is_incomplete() {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

/// The licence policy `check --licences` applies: `--policy FILE`, else the scanned tree's
/// `shelflife.toml` (none for an SBOM, whose tree is not at hand).
fn check_policy(args: &CheckArgs, origin: &Origin) -> Result<Policy> {
    if let Some(file) = &args.policy {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read the policy", file.display()))?;
        return Ok(Declarations::parse(&file.display().to_string(), &text)?.policy);
    }
    Ok(match origin {
        Origin::Scan { root, .. } => Declarations::load(root)?.policy,
        Origin::Sbom { .. } => Policy::default(),
    })
}

/// Licences as the scanned files state them: `check` and `annex` make no look-ups (an SBOM from
/// `scan --licences online` carries the looked-up ones).
fn offline_licences() -> LicenceLookupArgs {
    LicenceLookupArgs {
        mode: LicenceMode::Offline,
        npm_registry: String::new(),
        pypi_url: String::new(),
        crates_url: String::new(),
    }
}

/// Colour for a table going to a terminal, unless `NO_COLOR` is set.
fn colour_wanted(output: Option<&Path>) -> bool {
    output.is_none_or(|p| p.as_os_str() == "-")
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes text to a file, or to stdout when there is none or it is `-`.
fn write_text(output: Option<&Path>, text: &str) -> Result<()> {
    match output.filter(|p| p.as_os_str() != "-") {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
        }
        None => std::io::stdout().lock().write_all(text.as_bytes()).context("writing to stdout"),
    }
}

fn run_licences(global: &GlobalArgs, args: &LicencesArgs) -> Result<ExitCode> {
    let is_sbom = licence_command::is_sbom(&args.path);
    let policy = licence_command::policy_for(args, is_sbom)?;
    let mut scan = match is_sbom {
        true => None,
        false => Some(scan_with_progress(
            &args.path,
            &ScanOptions { max_file_size: args.max_file_size },
            global.quiet,
        )?),
    };
    let mut read_back: Option<Inventory> = None;
    let inventory = match &mut scan {
        Some(report) => {
            declare(&args.path, &mut report.inventory)?;
            &mut report.inventory
        }
        None => read_back.insert(licence_command::read_sbom(&args.path)?),
    };
    let licences = licence_command::enrich(inventory, &args.lookups, &global.lifecycle)?;
    let commercial = commercial_check::check(inventory, &policy)?;
    let incomplete = inventory.is_incomplete();
    let (text, passed) = licence_command::report(licences, commercial, &policy, args.format)?;
    std::io::stdout().lock().write_all(text.as_bytes()).context("writing to stdout")?;
    if let Some(report) = scan.filter(|_| !global.quiet) {
        for line in summary::problem_lines(&report, if global.verbose { None } else { Some(20) }) {
            eprintln!("{line}");
        }
    }
    Ok(if !passed {
        ExitCode::from(EXIT_VIOLATION)
    } else if incomplete {
        ExitCode::from(EXIT_PROBLEMS)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_scan(global: &GlobalArgs, args: &ScanArgs) -> Result<ExitCode> {
    let formats = chosen_formats(args)?;
    let metadata_timestamp = document_timestamp()?;
    let options = ScanOptions { max_file_size: args.max_file_size };
    let mut report = scan_with_progress(&args.path, &options, global.quiet)?;
    let declarations = declare(&args.path, &mut report.inventory)?;
    licence_command::enrich(&mut report.inventory, &args.lookups, &global.lifecycle)?;
    let lifecycle = enrich_lifecycle(global, &declarations, &mut report)?;
    let meta = ScanMetadata {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: metadata_timestamp,
        root_name: report.root_name.clone(),
    };
    write_documents(args, &formats, &report, &meta)?;
    if !global.quiet {
        print_summary(&report, global.verbose);
        eprintln!("{}", lifecycle.summary());
    }
    Ok(if report.inventory.is_incomplete() { ExitCode::from(EXIT_PROBLEMS) } else { ExitCode::SUCCESS })
}

/// Reads `shelflife.toml` at the scanned root and puts its declared software and licence
/// overrides into the inventory. A declarations file that cannot be read is a problem of the
/// scan; the rest goes on.
fn declare(path: &Path, inventory: &mut Inventory) -> Result<Declarations> {
    let root = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
    let mut declarations = Declarations::load(root).unwrap_or_else(|error| {
        let location =
            shelflife_adapters::Location { path: error.file.clone(), line: error.line.map(line_number) };
        inventory.add_problems(vec![shelflife_adapters::Problem { location, message: error.message }]);
        Declarations::default()
    });
    let catalogue = Catalogue::embedded()?;
    declared::resolve(&mut declarations, catalogue);
    let problems = declared::apply(inventory, &declarations, catalogue, LicenceData::embedded()?);
    inventory.add_problems(problems);
    Ok(declarations)
}

/// Adds every component's lifecycle, with the user's declarations.
fn enrich_lifecycle(
    global: &GlobalArgs,
    declarations: &Declarations,
    report: &mut ScanReport,
) -> Result<Report> {
    let mut store = global.lifecycle.open_store()?;
    let options = global.lifecycle.options();
    let lifecycle = enrich::enrich(&mut report.inventory, &mut store, declarations, &options)?;
    if !global.quiet {
        if lifecycle.requests > 0 {
            eprintln!("lifecycle: {} request(s) to {}", lifecycle.requests, global.lifecycle.eol_url);
        }
        for note in &lifecycle.notes {
            eprintln!("lifecycle: {note}");
        }
    }
    Ok(lifecycle)
}

fn line_number(line: usize) -> u32 {
    u32::try_from(line).unwrap_or(u32::MAX)
}

/// The formats to write: those asked for, else CycloneDX JSON (every format with --out-dir).
fn chosen_formats(args: &ScanArgs) -> Result<Vec<Format>> {
    let mut formats: Vec<Format> = args.format.iter().map(|&f| f.into()).collect();
    formats.sort();
    formats.dedup();
    if formats.is_empty() {
        formats = if args.out_dir.is_some() { Format::ALL.to_vec() } else { vec![Format::CycloneDxJson] };
    }
    if args.out_dir.is_none() && formats.len() > 1 {
        bail!("{} formats asked for but only one output: use --out-dir DIR for several", formats.len());
    }
    Ok(formats)
}

/// `SOURCE_DATE_EPOCH` when set (reproducible builds), else now; to the second.
fn document_timestamp() -> Result<OffsetDateTime> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => {
            let seconds: i64 =
                text.trim().parse().with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is not a number"))?;
            OffsetDateTime::from_unix_timestamp(seconds)
                .with_context(|| format!("SOURCE_DATE_EPOCH={text:?} is out of range"))
        }
        Err(_) => {
            let now = OffsetDateTime::now_utc();
            Ok(now.replace_nanosecond(0).unwrap_or(now))
        }
    }
}

/// Runs the scan, showing progress on stderr when it takes longer than a second and stderr is
/// a terminal.
fn scan_with_progress(path: &Path, options: &ScanOptions, quiet: bool) -> Result<ScanReport> {
    let progress = Progress::default();
    let show = !quiet && std::io::stderr().is_terminal();
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|threads| {
        if show {
            let progress = &progress;
            threads.spawn(move || report_progress(progress, &finished));
        }
        let result = scan::scan(path, options, &progress);
        drop(done);
        result.map_err(anyhow::Error::from)
    })
}

fn report_progress(progress: &Progress, finished: &mpsc::Receiver<()>) {
    let mut first = true;
    let wait = Duration::from_secs(1);
    while let Err(mpsc::RecvTimeoutError::Timeout) =
        finished.recv_timeout(if first { wait } else { Duration::from_millis(200) })
    {
        first = false;
        let read = progress.files_read.load(Ordering::Relaxed);
        let found = progress.files_found.load(Ordering::Relaxed);
        eprint!("\rscanning: {read}/{found} files read");
    }
    if !first {
        eprintln!();
    }
}

fn write_documents(
    args: &ScanArgs,
    formats: &[Format],
    report: &ScanReport,
    meta: &ScanMetadata,
) -> Result<()> {
    let version = args.spec_version.into();
    for &format in formats {
        let bytes = emit::render(format, version, &report.inventory, meta)
            .with_context(|| format!("writing {}", format.name()))?;
        match output_path(args, format, &report.root_name) {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            }
            None => std::io::stdout().lock().write_all(&bytes).context("writing to stdout")?,
        }
    }
    Ok(())
}

/// Where one format goes: a file, or stdout (`None`).
fn output_path(args: &ScanArgs, format: Format, root_name: &str) -> Option<PathBuf> {
    if let Some(dir) = &args.out_dir {
        return Some(dir.join(format!("{root_name}{}", format.file_suffix())));
    }
    args.output.as_ref().filter(|path| path.as_os_str() != "-").cloned()
}

fn print_summary(report: &ScanReport, verbose: bool) {
    if let Some(images) = summary::images_table(report) {
        eprintln!("Container images\n{images}");
    }
    if let Some(tools) = summary::tools_table(report) {
        eprintln!("Development tools and runtimes\n{tools}");
    }
    if let Some(declared) = summary::declared_table(report) {
        eprintln!("Declared in shelflife.toml\n{declared}");
    }
    eprintln!("{}", summary::adapter_table(report));
    for line in summary::problem_lines(report, if verbose { None } else { Some(20) }) {
        eprintln!("{line}");
    }
}
