//! Rebuilds when the curated data compiled into the binary (`data/`, read by `include_dir!`)
//! changes: the macro cannot tell cargo so itself on stable Rust.

fn main() {
    println!("cargo:rerun-if-changed=data");
}
