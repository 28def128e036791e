//! Replays the fuzz inputs saved under `fixtures/fuzz-corpus/<target>/`
//! through the same checks the fuzz targets run (`fuzz/src/lib.rs`), so
//! every crash or interesting input a fuzzer found stays a regression test
//! without nightly Rust or cargo-fuzz (`docs/fuzzing.md`).

mod common;

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::panic::{catch_unwind, AssertUnwindSafe};

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
    let mut failed = Vec::new();
    let mut replayed = 0;
    for (target, check) in checks::TARGETS {
        let dir = common::fixture("fuzz-corpus").join(target);
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failed.push(format!(
                    "{target}/{}",
                    file.file_name().unwrap().to_string_lossy()
                ));
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no saved fuzz inputs");
    assert!(failed.is_empty(), "failing fuzz inputs: {failed:?}");
}
