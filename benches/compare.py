#!/usr/bin/env python3
"""Side-by-side benchmark: shelflife against its peers on one tree, in one run.

For each tool: median wall time over --runs runs, peak resident memory (from the kernel's
rusage of the child), and the purls it reports, compared with the purl set shelflife reports
(which the test suite proves equal to the package managers' own lists).

    benches/install-peers.sh                 # once: Trivy, Syft, cdxgen into /tmp/shelflife-peers
    cargo build --release
    python3 benches/compare.py fixtures/bench --runs 5

Peers that are not installed are skipped with a note.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def peers(prefix: Path):
    """The peer commands, each a function of (tree, output file) -> argv, with its environment."""
    venv = prefix / "venv" / "bin"
    cdxgen = prefix / "npm" / "node_modules" / ".bin" / "cdxgen"
    cache = Path(tempfile.mkdtemp(prefix="trivy-cache-"))
    return {
        "trivy": (venv / "trivy", lambda tree, out: [
            str(venv / "trivy"), "fs", "--quiet", "--cache-dir", str(cache), "--offline-scan",
            "--skip-db-update", "--include-dev-deps", "--scanners", "license",
            "--format", "cyclonedx", "--output", out, tree], {}),
        "syft": (venv / "syft", lambda tree, out: [
            str(venv / "syft"), "scan", "-q", f"dir:{tree}", "-o", f"cyclonedx-json={out}"],
            {"SYFT_CHECK_FOR_APP_UPDATE": "false"}),
        "cdxgen": (cdxgen, lambda tree, out: [
            str(cdxgen), "-r", tree, "-o", out, "--no-install-deps"],
            {"FETCH_LICENSE": "false", "CDXGEN_DEBUG_MODE": "", "DO_NOT_TRACK": "1"}),
    }


def run_once(argv, env_extra):
    """Runs argv; returns (wall seconds, peak RSS in MiB)."""
    env = dict(os.environ, **env_extra)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise RuntimeError(f"{argv[0]} exited {code}: {stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024


def purls(path: Path):
    """The purls (without qualifiers) of every component of a CycloneDX JSON document."""
    doc = json.loads(path.read_text())
    found = set()

    def walk(components):
        for component in components or []:
            purl = component.get("purl")
            if purl:
                found.add(purl.split("?")[0])
            walk(component.get("components"))

    walk(doc.get("components"))
    return found


def measure(name, argv_of, env, tree, runs, workdir):
    out = workdir / f"{name}.cdx.json"
    argv = argv_of(tree, str(out))
    run_once(argv, env)  # warm the page cache and any tool caches
    samples = [run_once(argv, env) for _ in range(runs)]
    walls = [wall for wall, _ in samples]
    return {
        "tool": name,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "peak_mib": max(rss for _, rss in samples),
        "purls": purls(out),
    }


def lifecycle_store(shelflife: Path, workdir: Path) -> Path:
    """A store holding the endoflife.date snapshot beside the clone (else the small test dataset),
    so that shelflife does its whole job, lifecycle enrichment included, without the network, as
    the peers run without theirs."""
    repo = Path(__file__).resolve().parent.parent
    dataset = repo.parent / "shared" / "endoflife" / "products-full.json"
    if not dataset.is_file():
        dataset = repo / "fixtures" / "endoflife" / "test-dataset.json"
    store = workdir / "shelflife.db"
    subprocess.run([str(shelflife), "--quiet", "--db", str(store), "eol", "import", str(dataset)], check=True)
    return store


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", help="the tree to scan")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--shelflife", default="target/release/shelflife")
    parser.add_argument("--peers-dir", default=os.environ.get("PEERS_DIR", "/tmp/shelflife-peers"))
    parser.add_argument("--only", action="append", help="measure only these tools (repeatable)")
    args = parser.parse_args()

    tree = str(Path(args.tree).resolve())
    workdir = Path(tempfile.mkdtemp(prefix="shelflife-bench-"))
    store = lifecycle_store(Path(args.shelflife).resolve(), workdir)
    tools = {"shelflife": (Path(args.shelflife), lambda t, out: [
        str(Path(args.shelflife).resolve()), "--db", str(store), "--offline", "scan", t, "--quiet",
        "-f", "cyclonedx-json", "-o", out], {})}
    tools.update(peers(Path(args.peers_dir)))

    results = []
    for name, (binary, argv_of, env) in tools.items():
        if args.only and name not in args.only:
            continue
        if not binary.exists():
            print(f"note: {name} not installed at {binary}; skipped (benches/install-peers.sh)", file=sys.stderr)
            continue
        results.append(measure(name, argv_of, env, tree, args.runs, workdir))

    reference = next((r for r in results if r["tool"] == "shelflife"), None)
    print(f"tree: {args.tree}   runs: {args.runs}   (wall: median of runs, after one warm-up)")
    print(f"{'tool':<10} {'median s':>9} {'min s':>8} {'peak MiB':>9} {'purls':>6} {'recall':>7} {'× shelflife':>12}")
    for r in results:
        recall = ratio = ""
        if reference:
            if reference["purls"]:
                recall = f"{len(r['purls'] & reference['purls']) / len(reference['purls']):.2f}"
            ratio = f"{r['median_s'] / reference['median_s']:.1f}"
        print(f"{r['tool']:<10} {r['median_s']:>9.3f} {r['min_s']:>8.3f} {r['peak_mib']:>9.1f} "
              f"{len(r['purls']):>6} {recall:>7} {ratio:>12}")
    print("recall: share of shelflife's purls (proved exact by the test suite) that the tool reports;")
    print("× shelflife: the tool's median wall time divided by shelflife's (higher = shelflife faster).")


if __name__ == "__main__":
    main()
