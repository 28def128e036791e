//! Exact duplicate-id detection through the public API, in memory and
//! spilled to disk.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use pprl::duplicates::{DuplicateFinder, Duplicates};
use proptest::prelude::*;

/// Runs a finder over `(id, record number)` pairs.
fn find(budget: usize, dir: &Path, rows: &[(String, u64)]) -> Duplicates {
    let mut finder = DuplicateFinder::new(budget, Some(dir.to_path_buf()));
    for (id, record) in rows {
        finder.add(id, *record).expect("add");
    }
    finder.finish().expect("finish")
}

/// Rows numbered from 1 in order.
fn numbered(ids: &[&str]) -> Vec<(String, u64)> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| (id.to_string(), i as u64 + 1))
        .collect()
}

/// The answer computed the obvious way, in memory.
fn reference(rows: &[(String, u64)]) -> (u64, u64, Vec<u64>) {
    let mut by_id: HashMap<&str, Vec<u64>> = HashMap::new();
    for (id, record) in rows {
        by_id.entry(id).or_default().push(*record);
    }
    let mut records = Vec::new();
    let (mut distinct, mut extra) = (0, 0);
    for group in by_id.values().filter(|g| g.len() > 1) {
        distinct += 1;
        extra += group.len() as u64 - 1;
        records.extend(group);
    }
    records.sort_unstable();
    (distinct, extra, records)
}

fn spill_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).expect("read spill dir").count()
}

fn assert_matches_reference(dups: &Duplicates, rows: &[(String, u64)]) {
    let (distinct, extra, records) = reference(rows);
    assert_eq!(dups.distinct_ids(), distinct);
    assert_eq!(dups.extra_rows(), extra);
    assert_eq!(dups.rows(), records.len() as u64);
    assert_eq!(dups.is_empty(), records.is_empty());
    let mut iter = dups.record_numbers();
    assert_eq!(iter.by_ref().collect::<Vec<_>>(), records);
    assert!(iter.take_error().is_none());
}

#[test]
fn no_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let dups = find(1 << 20, dir.path(), &numbered(&["a", "b", "c", ""]));
    assert!(dups.is_empty());
    assert_eq!(dups.distinct_ids(), 0);
    assert_eq!(dups.record_numbers().count(), 0);
}

#[test]
fn empty_input() {
    let dir = tempfile::tempdir().unwrap();
    let dups = find(1 << 20, dir.path(), &[]);
    assert!(dups.is_empty());
    assert_eq!(
        (dups.distinct_ids(), dups.extra_rows(), dups.rows()),
        (0, 0, 0)
    );
    assert_eq!(dups.record_numbers().next(), None);
    assert_eq!(spill_files(dir.path()), 0);
}

#[test]
fn one_duplicate_pair() {
    let dir = tempfile::tempdir().unwrap();
    let dups = find(1 << 20, dir.path(), &numbered(&["x", "y", "z", "y"]));
    assert_eq!(
        (dups.distinct_ids(), dups.extra_rows(), dups.rows()),
        (1, 1, 2)
    );
    assert_eq!(dups.record_numbers().collect::<Vec<_>>(), [2, 4]);
    assert!(!dups.is_spilled());
}

#[test]
fn an_id_three_times() {
    let dir = tempfile::tempdir().unwrap();
    let rows = numbered(&["k", "a", "k", "b", "k"]);
    let dups = find(1 << 20, dir.path(), &rows);
    assert_eq!(
        (dups.distinct_ids(), dups.extra_rows(), dups.rows()),
        (1, 2, 3)
    );
    assert_eq!(dups.record_numbers().collect::<Vec<_>>(), [1, 3, 5]);
}

#[test]
fn everything_that_fits_stays_off_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut finder = DuplicateFinder::new(1 << 20, Some(dir.path().to_path_buf()));
    for i in 0..1000u64 {
        finder.add(&format!("id-{}", i % 700), i).unwrap();
    }
    assert_eq!(finder.spilled_runs(), 0);
    assert_eq!(spill_files(dir.path()), 0);
    let dups = finder.finish().unwrap();
    assert_eq!(dups.distinct_ids(), 300);
    assert_eq!(spill_files(dir.path()), 0);
}

#[test]
fn duplicates_spanning_spill_runs() {
    let dir = tempfile::tempdir().unwrap();
    let mut finder = DuplicateFinder::new(4096, Some(dir.path().to_path_buf()));
    finder.add("dup-first", 1).unwrap();
    for i in 2..2000u64 {
        finder.add(&format!("unique-{i}"), i).unwrap();
    }
    finder.add("dup-first", 2000).unwrap();
    finder.add("dup-last", 2001).unwrap();
    assert!(finder.spilled_runs() > 2, "{finder:?}");
    assert!(spill_files(dir.path()) > 2);

    let dups = finder.finish().unwrap();
    assert_eq!((dups.distinct_ids(), dups.extra_rows()), (1, 1));
    assert_eq!(dups.record_numbers().collect::<Vec<_>>(), [1, 2000]);
}

#[test]
fn many_runs_with_a_64_kib_budget() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<(String, u64)> = (0..200_000u64)
        .map(|i| (format!("P{:09}", (i * 7919) % 150_000), i + 1))
        .collect();
    let mut finder = DuplicateFinder::new(64 * 1024, Some(dir.path().to_path_buf()));
    for (id, record) in &rows {
        finder.add(id, *record).unwrap();
    }
    // More runs than one merge reads, so intermediate passes run too.
    assert!(finder.spilled_runs() > 50, "{finder:?}");
    let dups = finder.finish().unwrap();
    assert!(dups.is_spilled());
    assert_eq!(dups.distinct_ids(), 50_000);
    assert_matches_reference(&dups, &rows);

    // Only the record-number file remains, and it goes with the result.
    assert_eq!(spill_files(dir.path()), 1);
    drop(dups);
    assert_eq!(spill_files(dir.path()), 0);
}

#[test]
fn spill_files_are_removed_when_a_finder_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    let mut finder = DuplicateFinder::new(1024, Some(dir.path().to_path_buf()));
    for i in 0..1000u64 {
        finder.add(&format!("{i}"), i).unwrap();
    }
    assert!(spill_files(dir.path()) > 0);
    drop(finder);
    assert_eq!(spill_files(dir.path()), 0);
}

#[test]
fn spill_files_are_removed_after_finish() {
    let dir = tempfile::tempdir().unwrap();
    let rows: Vec<(String, u64)> = (0..5000u64).map(|i| (format!("{i}"), i)).collect();
    let dups = find(1024, dir.path(), &rows);
    assert!(dups.is_empty());
    assert_eq!(spill_files(dir.path()), 0);
}

#[test]
fn an_unusable_spill_dir_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing");
    let mut finder = DuplicateFinder::new(64, Some(missing.clone()));
    let err = (0..100u64)
        .map(|i| finder.add("SECRET-ID", i))
        .find_map(Result::err)
        .expect("a spill fails");
    assert!(matches!(err, pprl::Error::Io { ref path, .. } if *path == missing));
    assert!(!err.to_string().contains("SECRET"));
}

/// 1M ids with an 8 MiB budget; slow unoptimized, so run with
/// Runs long enough that their sparse index has many entries, so the
/// parallel merge starts most id ranges in the middle of a run file; ids
/// in order, in reverse and scattered, with duplicates inside one run,
/// across runs, and an id that repeats thousands of times.
#[test]
fn id_ranges_merged_in_parallel_agree_with_the_reference() {
    let orders: [fn(u64) -> u64; 3] = [|i| i, |i| 200_000 - i, |i| (i * 7919) % 120_000];
    for order in orders {
        let rows: Vec<(String, u64)> = (0..200_000u64)
            .map(|i| {
                let n = order(i) % 150_000;
                let id = if i % 50 == 0 {
                    "HOT".to_string()
                } else {
                    format!("{n:07}")
                };
                (id, i + 1)
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let mut finder = DuplicateFinder::new(1 << 20, Some(dir.path().to_path_buf()));
        for (id, record) in &rows {
            finder.add(id, *record).unwrap();
        }
        assert!(finder.spilled_runs() > 3, "{finder:?}");
        let dups = finder.finish().unwrap();
        assert_matches_reference(&dups, &rows);
        drop(dups);
        assert_eq!(spill_files(dir.path()), 0);
    }
}

/// `cargo test --release -- --ignored`. `PPRL_DUPS_ROWS` and
/// `PPRL_DUPS_BUDGET` scale it up to measure speed and peak memory.
#[test]
#[ignore = "performance sanity check; run in release"]
fn a_million_ids_in_8_mib() {
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let rows = env("PPRL_DUPS_ROWS", 1_000_000);
    let budget = env("PPRL_DUPS_BUDGET", 8 << 20) as usize;
    let dir = tempfile::tempdir().unwrap();

    let started = Instant::now();
    let mut finder = DuplicateFinder::new(budget, Some(dir.path().to_path_buf()));
    let mut id = String::new();
    for i in 0..rows {
        // About one row in ten repeats an earlier id.
        let n = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) % (rows - rows / 10).max(1);
        id.clear();
        std::fmt::Write::write_fmt(&mut id, format_args!("{n:010}")).unwrap();
        finder.add(&id, i).unwrap();
    }
    let runs = finder.spilled_runs();
    let dups = finder.finish().unwrap();
    let elapsed = started.elapsed();
    let streamed = dups.record_numbers().count() as u64;
    eprintln!(
        "{rows} ids, budget {budget}, {runs} runs: {elapsed:?} ({:.0} ids/s), {dups:?}",
        rows as f64 / elapsed.as_secs_f64()
    );
    assert!(runs > 1);
    assert_eq!(dups.rows(), streamed);
    assert!(
        elapsed.as_secs_f64() < 10.0 * (rows as f64 / 1e6),
        "took {elapsed:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn agrees_with_a_hash_map(
        ids in prop::collection::vec("[a-d]{0,3}", 0..400),
        budget in 16usize..2048,
        shuffle in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // Record numbers in scrambled order, some repeated.
        let rows: Vec<(String, u64)> = ids
            .into_iter()
            .enumerate()
            .map(|(i, id)| (id, (i as u64).wrapping_mul(shuffle | 1) % 500))
            .collect();
        let dups = find(budget, dir.path(), &rows);
        assert_matches_reference(&dups, &rows);
        drop(dups);
        prop_assert_eq!(spill_files(dir.path()), 0);
    }
}
