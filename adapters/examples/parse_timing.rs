//! Times the adapters on lockfiles: `cargo run --release -p shelflife-adapters --example
//! parse_timing -- <lockfile>...`. Each file is parsed by every adapter the registry assigns
//! to it, several times; the best and median wall times are printed with the counts.

use std::path::Path;
use std::time::{Duration, Instant};

use shelflife_adapters::registry::matcher;
use shelflife_adapters::{RealFiles, SourceFile};

const RUNS: usize = 20;

fn main() {
    for argument in std::env::args().skip(1) {
        let path = Path::new(&argument);
        let contents = match std::fs::read(path) {
            Ok(contents) => contents,
            Err(error) => {
                eprintln!("{argument}: {error}");
                continue;
            }
        };
        let file = SourceFile { path, display_path: &argument, contents: &contents };
        for adapter in matcher().adapters_for(&argument) {
            let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
            let mut summary = String::new();
            for _ in 0..RUNS {
                let start = Instant::now();
                let result = adapter.parse(&file, &RealFiles);
                times.push(start.elapsed());
                summary = match result {
                    Ok(parsed) => {
                        format!("{} findings, {} problems", parsed.findings.len(), parsed.problems.len())
                    }
                    Err(error) => format!("error: {error}"),
                };
            }
            times.sort();
            println!(
                "{argument} [{}] {} KiB: best {:.2} ms, median {:.2} ms; {summary}",
                adapter.name(),
                contents.len() / 1024,
                times[0].as_secs_f64() * 1e3,
                times[RUNS / 2].as_secs_f64() * 1e3,
            );
        }
    }
}
