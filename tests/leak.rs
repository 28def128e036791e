//! Privacy: distinctive canary values in every identifying field must not
//! appear anywhere pprl writes — output (record id and pass-through columns
//! aside), metadata, rejects file, stdout, stderr — at any log level, on
//! success and on failure.

mod common;

use std::path::Path;

use common::*;

/// Canary values, each at least 8 distinctive characters, and the forms
/// normalization could turn them into.
const CANARIES: &[&str] = &[
    "Qzxwvkjhgf",
    "QZXWVKJHGF",
    "Plmoknijbu",
    "PLMOKNIJBU",
    "Vbnmrtyuio",
    "VBNMRTYUIO",
    "536-90-8172",
    "536908172",
    "Xq19Zq77Wv",
    "XQ19ZQ77WV",
    "K7J2W9Q4Z",
    "1931-07-29",
    "19310729",
];

const PASS_THROUGH_CANARY: &str = "PassedThroughOk";

fn extract(dir: &Path) -> std::path::PathBuf {
    let text = format!(
        "record_id,first_name,last_name,dob,sex,zip,ssn,note\n\
         r1,Qzxwvkjhgf,Plmoknijbu,1931-07-29,F,02134,536-90-8172,{PASS_THROUGH_CANARY}\n\
         r2,Vbnmrtyuio,Plmoknijbu,Xq19Zq77Wv,M,K7J2W9Q4Z,Xq19Zq77Wv,x\n\
         r3,Vbnmrtyuio,,1931-07-29,,02134,,x\n"
    );
    let p = dir.join("in.csv");
    std::fs::write(&p, text).unwrap();
    p
}

fn assert_clean(what: &str, text: &str) {
    for c in CANARIES {
        assert!(!text.contains(c), "{what} contains canary {c}:\n{text}");
    }
}

fn assert_dir_clean(dir: &Path) {
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        assert_clean(
            &entry.display().to_string(),
            &String::from_utf8_lossy(&bytes),
        );
        if entry.extension().is_some_and(|e| e == "parquet") {
            let t = read_table(&entry);
            let text: Vec<String> = t
                .rows
                .iter()
                .flat_map(|r| r.iter().flatten().cloned())
                .filter(|v| v != PASS_THROUGH_CANARY)
                .collect();
            assert_clean(&entry.display().to_string(), &text.join("\n"));
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.file_name().is_some_and(|n| n != "in.csv") {
            out.push(p);
        }
    }
    out
}

fn run(dir: &Path, extra: &[&str], log: &str) -> std::process::Output {
    pprl()
        .args(["tokenize", "--as-of", "2026-01-01", "--input"])
        .arg(extract(dir))
        .arg("--output")
        .arg(dir.join("out"))
        .arg("--key-file")
        .arg(demo_key())
        .args(["--rejects"])
        .arg(dir.join("rejects.csv"))
        .args(["--pass-through", "note", "--overwrite"])
        .args(extra)
        .env("PPRL_LOG", log)
        .output()
        .unwrap()
}

#[test]
fn canaries_never_leave_on_success_at_any_log_level() {
    for log in ["error", "warn", "info", "debug", "trace"] {
        let dir = tempfile::tempdir().unwrap();
        let out = run(dir.path(), &["-vv"], log);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean("stdout", &String::from_utf8_lossy(&out.stdout));
        assert_clean("stderr", &String::from_utf8_lossy(&out.stderr));
        assert_dir_clean(dir.path());
        let t = read_table(&dir.path().join("out"));
        assert_eq!(t.column("note")[0].as_deref(), Some(PASS_THROUGH_CANARY));
    }
}

#[test]
fn canaries_never_leave_on_failure() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["--max-invalid-rate", "0", "-vv"], "trace");
    assert!(!out.status.success());
    assert_clean("stderr", &String::from_utf8_lossy(&out.stderr));
    assert_dir_clean(dir.path());

    // A config naming columns that hold canaries as headers is fine; values
    // in a bad row are not echoed.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "record_id,first_name\nr1,Qzxwvkjhgf,Plmoknijbu\n").unwrap();
    let out = pprl()
        .args(["tokenize", "--input"])
        .arg(&bad)
        .arg("--output")
        .arg(dir.path().join("o2"))
        .arg("--key-file")
        .arg(demo_key())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_clean("stderr", &String::from_utf8_lossy(&out.stderr));
}
