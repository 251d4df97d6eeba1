//! The `shelflife` command line.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::Parser;
use shelflife::cli::{Cli, Command, GlobalArgs, ScanArgs};
use shelflife::declarations::Declarations;
use shelflife::emit::{self, Format, ScanMetadata};
use shelflife::eol;
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
    }
}

fn run_scan(global: &GlobalArgs, args: &ScanArgs) -> Result<ExitCode> {
    let formats = chosen_formats(args)?;
    let metadata_timestamp = document_timestamp()?;
    let options = ScanOptions { max_file_size: args.max_file_size };
    let mut report = scan_with_progress(&args.path, &options, global.quiet)?;
    let lifecycle = enrich_lifecycle(global, &args.path, &mut report)?;
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

/// Adds every component's lifecycle, with the declarations of `shelflife.toml` at the scanned
/// root. A declarations file that cannot be read is a problem of the scan; the rest goes on.
fn enrich_lifecycle(global: &GlobalArgs, path: &Path, report: &mut ScanReport) -> Result<Report> {
    let root = if path.is_dir() { path } else { path.parent().unwrap_or(Path::new(".")) };
    let declarations = Declarations::load(root).unwrap_or_else(|error| {
        let location =
            shelflife_adapters::Location { path: error.file.clone(), line: error.line.map(line_number) };
        report.inventory.add_problems(vec![shelflife_adapters::Problem { location, message: error.message }]);
        Declarations::default()
    });
    let mut store = global.lifecycle.open_store()?;
    let options = global.lifecycle.options();
    let lifecycle = enrich::enrich(&mut report.inventory, &mut store, &declarations, &options)?;
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
    eprintln!("{}", summary::adapter_table(report));
    for line in summary::problem_lines(report, if verbose { None } else { Some(20) }) {
        eprintln!("{line}");
    }
}
