//! The delivery metadata file: what was run, with which rules and key, and
//! what happened to every row. It holds counts and settings only, never a
//! field value or key material.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::field::Field;
use crate::pipeline::Outcome;
use crate::stats::CountMethod;

/// Settings of the run worth recording.
#[derive(Debug, Clone, Serialize)]
pub struct RunSettings {
    /// Profile name (`pprl`, `opentoken`).
    pub profile: String,
    /// Spec version of the tokens.
    pub spec_version: String,
    /// Collaboration id the key was derived for.
    pub collaboration: Option<String>,
    /// Public key id.
    pub key_id: Option<String>,
    /// The as-of date (birth dates after it are invalid).
    pub as_of: String,
    /// Input format and reading options.
    pub input: BTreeMap<String, Value>,
    /// Each rule's parts, by id, in output order.
    pub rules: Vec<(String, Vec<String>)>,
    /// Output layout, format and pass-through columns.
    pub output: BTreeMap<String, Value>,
    /// Start time, RFC 3339 UTC.
    pub started_at: String,
}

#[derive(Serialize)]
struct RuleEntry<'a> {
    id: &'a str,
    fields: &'a [String],
}

#[derive(Serialize)]
struct Repeated {
    rows: u64,
    method: CountMethod,
}

/// Builds the metadata JSON object of a run.
pub fn build(settings: &RunSettings, outcome: &Outcome) -> Map<String, Value> {
    let s = &outcome.stats;
    let mut m = Map::new();
    m.insert("tool".into(), "pprl".into());
    m.insert("tool_version".into(), env!("CARGO_PKG_VERSION").into());
    m.insert("profile".into(), settings.profile.clone().into());
    m.insert("spec_version".into(), settings.spec_version.clone().into());
    m.insert(
        "collaboration".into(),
        settings.collaboration.clone().into(),
    );
    m.insert("key_id".into(), settings.key_id.clone().into());
    m.insert("as_of".into(), settings.as_of.clone().into());
    m.insert("started_at".into(), settings.started_at.clone().into());
    m.insert("input".into(), to_value(&settings.input));
    m.insert("output".into(), to_value(&settings.output));

    let active: Vec<RuleEntry> = settings
        .rules
        .iter()
        .filter(|(id, _)| outcome.rules.contains(id))
        .map(|(id, fields)| RuleEntry { id, fields })
        .collect();
    m.insert("rules".into(), to_value(&active));
    let skipped: Vec<Value> = outcome
        .skipped_rules
        .iter()
        .map(|(id, missing)| {
            let names: Vec<&str> = missing.iter().map(|f| f.name()).collect();
            serde_json::json!({ "id": id, "missing_fields": names })
        })
        .collect();
    m.insert("skipped_rules".into(), Value::Array(skipped));

    let mut rows = Map::new();
    rows.insert("in".into(), s.rows_in.into());
    rows.insert("out".into(), s.rows_out.into());
    rows.insert("rejected".into(), s.rejected_total().into());
    rows.insert("rejected_by_reason".into(), to_value(&s.rows_rejected));
    rows.insert("without_any_token".into(), s.rows_without_tokens.into());
    rows.insert(
        "accounted".into(),
        (s.rows_in == s.rows_out + s.rejected_total()).into(),
    );
    m.insert("rows".into(), Value::Object(rows));

    let mut invalid: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for ((field, reason), n) in &s.invalid {
        *invalid
            .entry(field.name())
            .or_default()
            .entry(reason.code())
            .or_default() += n;
    }
    m.insert("invalid_values".into(), to_value(&invalid));

    let mut tokens = Map::new();
    for (i, id) in outcome.rules.iter().enumerate() {
        let nulls = s.null_tokens.get(i).copied().unwrap_or(0);
        let (rows, method) = outcome
            .repeated_tokens
            .get(i)
            .copied()
            .unwrap_or((0, CountMethod::Exact));
        tokens.insert(
            id.clone(),
            serde_json::json!({
                "tokens": s.rows_out - nulls,
                "null": nulls,
                "repeated": Repeated { rows, method },
            }),
        );
    }
    m.insert("tokens_by_rule".into(), Value::Object(tokens));

    let secs = outcome.elapsed.as_secs_f64();
    m.insert("elapsed_seconds".into(), round3(secs).into());
    let rate = if secs > 0.0 {
        s.rows_in as f64 / secs
    } else {
        0.0
    };
    m.insert("rows_per_second".into(), rate.round().into());
    m
}

/// Field names as strings, for settings.
pub fn field_names(fields: &[Field]) -> Vec<String> {
    fields.iter().map(|f| f.name().to_string()).collect()
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
