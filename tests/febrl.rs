//! FEBRL 3 (fixtures/febrl3, synthetic records with known duplicates): the
//! real-input run of the README, with its counts and a linkage sanity check.

mod common;

use std::collections::HashMap;

use common::*;

#[test]
fn febrl3_tokenizes_with_expected_counts_and_links_true_pairs_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("febrl");
    pprl()
        .args(["tokenize", "--as-of", "2026-12-03", "--input"])
        .arg(fixture("febrl3/febrl3.csv"))
        .arg("--config")
        .arg(fixture("febrl3/febrl3.toml"))
        .arg("--output")
        .arg(&out)
        .arg("--key-file")
        .arg(demo_key())
        .assert()
        .success();

    let m = read_json(&dir.path().join("febrl.metadata.json"));
    assert_eq!(m["rows"]["in"], 5000);
    assert_eq!(m["rows"]["out"], 5000);
    let skipped: Vec<&str> = m["skipped_rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["t_ln_fn_dob_sex", "t_ssn_dob"]);
    assert_eq!(m["invalid_values"]["birth_date"]["impossible_date"], 35);
    assert_eq!(m["invalid_values"]["birth_date"]["missing"], 155);
    assert_eq!(m["invalid_values"]["first_name"]["missing"], 156);
    assert_eq!(m["invalid_values"]["last_name"]["missing"], 79);
    assert_eq!(m["tokens_by_rule"]["t_ln_fn_dob"]["tokens"], 4587);

    // Every pair of records sharing a token must be a true duplicate pair.
    let t = read_table(&out);
    let ids = t.column("record_id");
    let person = |id: &str| id.split('-').nth(1).unwrap().to_string();
    for rule in t.columns.iter().filter(|c| c.starts_with("t_")) {
        let mut groups: HashMap<String, Vec<String>> = HashMap::new();
        for (token, id) in t.column(rule).into_iter().zip(&ids) {
            if let Some(token) = token {
                groups.entry(token).or_default().push(id.clone().unwrap());
            }
        }
        for members in groups.values() {
            let first = person(&members[0]);
            assert!(
                members.iter().all(|m| person(m) == first),
                "{rule}: {members:?}"
            );
        }
    }
}
