//! The synthetic extract generator, driven through its public API.

use std::collections::{HashMap, HashSet};

use pprl::synth::{generate, DuplicateKind, SynthOptions, SynthSummary, HEADER, TRUTH_HEADER};
use pprl::Error;
use sha2::{Digest, Sha256};

fn opts(rows: u64, seed: u64) -> SynthOptions {
    SynthOptions {
        rows,
        seed,
        ..SynthOptions::default()
    }
}

fn run(opts: &SynthOptions) -> (String, String, SynthSummary) {
    let (mut out, mut truth) = (Vec::new(), Vec::new());
    let summary = generate(opts, &mut out, Some(&mut truth)).expect("generate");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8 output");
    (text(out), text(truth), summary)
}

fn parse(extract: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(extract.as_bytes());
    reader
        .records()
        .map(|r| r.expect("valid csv").iter().map(str::to_string).collect())
        .collect()
}

fn truth_pairs(truth: &str) -> Vec<(String, String, String)> {
    let mut lines = truth.lines();
    assert_eq!(lines.next(), Some(TRUTH_HEADER));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 3, "{l}");
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_bytes() {
    assert_eq!(run(&opts(3_000, 11)), run(&opts(3_000, 11)));
}

#[test]
fn different_seeds_give_different_output() {
    let (a, _, _) = run(&opts(200, 1));
    let (b, _, _) = run(&opts(200, 2));
    assert_ne!(a, b);
}

/// Freezes the output of one seed: a change here changes every benchmark
/// and quality baseline built on synthetic data, and needs a deliberate
/// update of this digest.
#[test]
fn golden_digest_of_seed_42() {
    let (extract, truth, _) = run(&opts(2_000, 42));
    let digest = hex::encode(Sha256::digest(format!("{extract}\u{0}{truth}")));
    assert_eq!(
        digest,
        "dae84c84ff9391e0a6f6212d980e375875c2e203e68e3bc888301df08873e9f4"
    );
}

#[test]
fn row_count_is_exact_and_header_first() {
    for rows in [0, 1, 2, 3, 10, 999, 1_000, 4_097] {
        let (extract, truth, summary) = run(&opts(rows, 5));
        assert_eq!(extract.lines().next(), Some(HEADER));
        assert_eq!(parse(&extract).len() as u64, rows, "rows {rows}");
        assert_eq!(summary.rows, rows);
        assert_eq!(summary.originals + summary.duplicates, rows);
        assert_eq!(truth_pairs(&truth).len() as u64, summary.duplicates);
    }
}

#[test]
fn every_row_has_seven_fields_and_a_unique_id() {
    let (extract, _, _) = run(&opts(20_000, 3));
    let rows = parse(&extract);
    assert!(rows.iter().all(|r| r.len() == 7));

    let ids: HashSet<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids.len(), rows.len());
    assert_eq!(rows[0][0], "R00001");
    assert_eq!(rows[19_999][0], "R20000");
}

#[test]
fn truth_pairs_reference_existing_distinct_ids() {
    let (extract, truth, summary) = run(&opts(20_000, 4));
    let ids: HashSet<String> = parse(&extract).into_iter().map(|r| r[0].clone()).collect();
    let kinds: HashSet<&str> = DuplicateKind::ALL.iter().map(|k| k.as_str()).collect();

    let pairs = truth_pairs(&truth);
    for (a, b, kind) in &pairs {
        assert!(ids.contains(a) && ids.contains(b), "{a} {b}");
        assert_ne!(a, b);
        assert!(kinds.contains(kind.as_str()), "{kind}");
    }
    let duplicate_ids: HashSet<&str> = pairs.iter().map(|(_, b, _)| b.as_str()).collect();
    assert_eq!(duplicate_ids.len() as u64, summary.duplicates);
}

#[test]
fn duplicates_are_spread_through_the_file() {
    let (_, truth, _) = run(&opts(20_000, 6));
    let row = |id: &str| id[1..].parse::<i64>().expect("numeric id");
    let pairs = truth_pairs(&truth);
    let distances: Vec<i64> = pairs.iter().map(|(a, b, _)| row(b) - row(a)).collect();

    let adjacent = distances.iter().filter(|d| d.abs() <= 1).count();
    let before = distances.iter().filter(|&&d| d < 0).count();
    let mean = distances.iter().map(|d| d.abs()).sum::<i64>() / distances.len() as i64;
    assert!(adjacent < pairs.len() / 100, "{adjacent}");
    assert!(before > pairs.len() / 4, "{before}");
    assert!(mean > 4_000, "{mean}");
}

#[test]
fn duplicate_kinds_all_occur_and_add_up() {
    let (_, truth, summary) = run(&opts(20_000, 8));
    let mut counted: HashMap<String, u64> = HashMap::new();
    for (_, _, kind) in truth_pairs(&truth) {
        *counted.entry(kind).or_default() += 1;
    }
    for (kind, n) in &summary.duplicate_kinds {
        assert!(*n > 0, "{kind}");
        assert_eq!(counted.get(kind.as_str()).copied().unwrap_or(0), *n);
    }
}

/// Whether `ssn` is `ddd-dd-dddd` with an area, group and serial the SSA
/// could issue.
fn ssa_valid(ssn: &str) -> bool {
    let b = ssn.as_bytes();
    let shape = b.len() == 11
        && b[3] == b'-'
        && b[6] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || i == 6 || c.is_ascii_digit());
    if !shape {
        return false;
    }
    let (area, group, serial) = (&ssn[0..3], &ssn[4..6], &ssn[7..11]);
    let area: u32 = area.parse().unwrap_or(0);
    area != 0 && area != 666 && area < 900 && group != "00" && serial != "0000"
}

fn share(rows: &[Vec<String>], column: usize, pred: impl Fn(&str) -> bool) -> f64 {
    rows.iter().filter(|r| pred(&r[column])).count() as f64 / rows.len() as f64
}

#[test]
fn rates_are_roughly_respected() {
    let o = opts(20_000, 9);
    let (extract, _, summary) = run(&o);
    let rows = parse(&extract);

    assert_eq!(summary.duplicates, 2_000);
    let fields = 6.0 * 20_000.0;
    let missing = summary.missing_values as f64 / fields;
    let invalid = summary.invalid_values as f64 / fields;
    assert!((0.017..0.023).contains(&missing), "{missing}");
    assert!((0.008..0.012).contains(&invalid), "{invalid}");

    for column in 1..7 {
        let empty = share(&rows, column, str::is_empty);
        assert!((0.014..0.026).contains(&empty), "column {column}: {empty}");
    }
    let zip4 = share(&rows, 5, |z| z.len() == 10 && z.as_bytes()[5] == b'-');
    assert!((0.12..0.17).contains(&zip4), "{zip4}");
    let unknown_sex = share(&rows, 4, |s| s == "U");
    assert!((0.002..0.009).contains(&unknown_sex), "{unknown_sex}");
    let female = share(&rows, 4, |s| s == "F");
    assert!((0.46..0.52).contains(&female), "{female}");

    let bad_ssn = share(&rows, 6, |s| !s.is_empty() && !ssa_valid(s));
    assert!((0.005..0.02).contains(&bad_ssn), "{bad_ssn}");
    let placeholder = share(&rows, 1, |s| s == "UNKNOWN");
    assert!(placeholder > 0.0005, "{placeholder}");

    let accented = share(&rows, 2, |s| !s.is_ascii());
    assert!((0.015..0.06).contains(&accented), "{accented}");
    let hyphenated = share(&rows, 2, |s| s.contains('-'));
    assert!((0.01..0.04).contains(&hyphenated), "{hyphenated}");
    let suffixed = share(&rows, 2, |s| {
        s.ends_with(" Jr") || s.ends_with("Jr.") || s.ends_with(" III")
    });
    assert!((0.003..0.03).contains(&suffixed), "{suffixed}");
    assert!(rows.iter().any(|r| r[2].contains('\'')));
}

#[test]
fn valid_birth_dates_use_the_declared_format() {
    let o = SynthOptions {
        date_format: "%m/%d/%Y".to_string(),
        ..opts(5_000, 10)
    };
    let (extract, _, _) = run(&o);
    let rows = parse(&extract);
    let parsed = share(&rows, 3, |d| {
        chrono::NaiveDate::parse_from_str(d, "%m/%d/%Y")
            .is_ok_and(|d| (1920..=2024).contains(&chrono::Datelike::year(&d)))
    });
    assert!(parsed > 0.96, "{parsed}");
    // Impossible dates keep the layout: two digits, slash, two, slash, four.
    let layout = share(&rows, 3, |d| {
        d.is_empty() || d.len() == 10 && &d[2..3] == "/"
    });
    assert_eq!(layout, 1.0);
}

#[test]
fn all_duplicates_keeps_one_original() {
    let o = SynthOptions {
        duplicate_rate: 1.0,
        ..opts(10, 1)
    };
    let (_, truth, summary) = run(&o);
    assert_eq!((summary.originals, summary.duplicates), (1, 9));
    let originals: HashSet<String> = truth_pairs(&truth).into_iter().map(|p| p.0).collect();
    assert_eq!(originals.len(), 1);
}

#[test]
fn output_without_truth_is_the_same_extract() {
    let o = opts(1_000, 12);
    let mut alone = Vec::new();
    generate(&o, &mut alone, None::<Vec<u8>>).expect("generate");
    assert_eq!(String::from_utf8(alone).expect("utf-8"), run(&o).0);
}

#[test]
fn bad_options_are_config_errors() {
    let bad = [
        SynthOptions {
            missing_rate: -0.1,
            ..SynthOptions::default()
        },
        SynthOptions {
            invalid_rate: 1.5,
            ..SynthOptions::default()
        },
        SynthOptions {
            duplicate_rate: f64::NAN,
            ..SynthOptions::default()
        },
        SynthOptions {
            missing_rate: 0.6,
            invalid_rate: 0.6,
            ..SynthOptions::default()
        },
        SynthOptions {
            date_format: "%Y".to_string(),
            ..SynthOptions::default()
        },
        SynthOptions {
            date_format: "%d/%m/%y".to_string(),
            ..SynthOptions::default()
        },
    ];
    for o in bad {
        let result = generate(&o, Vec::new(), None::<Vec<u8>>);
        assert!(matches!(result, Err(Error::Config(_))), "{o:?}");
    }
}
