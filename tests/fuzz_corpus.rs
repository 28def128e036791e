//! Replays the fuzz inputs saved under `fixtures/fuzz-corpus/<target>/`
//! through the same checks the fuzz targets run (`fuzz/src/lib.rs`), so
//! every crash or interesting input a fuzzer found stays a regression test
//! without nightly Rust or cargo-fuzz (`docs/fuzzing.md`).

mod common;

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Saved inputs of bugs not fixed yet are named `open-bug-…`: they are
/// kept out of the regression replay (which must pass) and replayed by the
/// ignored test [`open_bugs_are_fixed`]. Whoever fixes one renames its
/// files without the prefix, which makes them regression tests.
const OPEN_BUG_PREFIX: &str = "open-bug-";

/// The saved inputs of every target, sorted, as (target, check, file).
fn saved_inputs() -> Vec<(&'static str, checks::Check, PathBuf)> {
    let mut inputs = Vec::new();
    for (target, check) in checks::TARGETS {
        let dir = common::fixture("fuzz-corpus").join(target);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        inputs.extend(files.into_iter().map(|f| (target, check, f)));
    }
    inputs
}

fn is_open_bug(file: &std::path::Path) -> bool {
    let name = file.file_name().unwrap().to_string_lossy();
    name.starts_with(OPEN_BUG_PREFIX)
}

/// Replays inputs; returns the names of those whose check panicked.
fn replay(inputs: &[(&'static str, checks::Check, PathBuf)]) -> Vec<String> {
    let mut failed = Vec::new();
    for (target, check, file) in inputs {
        let data = std::fs::read(file).unwrap();
        if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
            let name = file.file_name().unwrap().to_string_lossy();
            failed.push(format!("{target}/{name}"));
        }
    }
    failed
}

/// Every corpus directory belongs to a known target, and every target has
/// one, so a renamed target cannot silently stop being replayed.
#[test]
fn corpus_directories_match_the_targets() {
    let root = common::fixture("fuzz-corpus");
    let mut dirs: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| root.join(name).is_dir())
        .collect();
    dirs.sort();
    let mut targets: Vec<String> = checks::TARGETS.iter().map(|(t, _)| t.to_string()).collect();
    targets.sort();
    assert_eq!(dirs, targets);
}

#[test]
fn saved_fuzz_inputs_pass_their_checks() {
    let inputs: Vec<_> = saved_inputs()
        .into_iter()
        .filter(|(_, _, f)| !is_open_bug(f))
        .collect();
    assert!(!inputs.is_empty(), "no saved fuzz inputs");
    let failed = replay(&inputs);
    assert!(failed.is_empty(), "failing fuzz inputs: {failed:?}");
}

/// Inputs of bugs a fuzzer found that are not fixed yet (see
/// `docs/fuzzing.md`). Run with `cargo test --test fuzz_corpus --
/// --ignored`.
#[test]
#[ignore = "open bugs found by fuzzing; see docs/fuzzing.md"]
fn open_bugs_are_fixed() {
    let inputs: Vec<_> = saved_inputs()
        .into_iter()
        .filter(|(_, _, f)| is_open_bug(f))
        .collect();
    let failed = replay(&inputs);
    assert!(failed.is_empty(), "still failing: {failed:?}");
}
