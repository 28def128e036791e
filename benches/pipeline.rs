//! Whole-run throughput: a synthetic CSV extract through
//! [`pprl::pipeline::run`] to Parquet part files, as `pprl tokenize` does
//! it, under each profile.
//!
//! The extract is generated once into a temporary directory (50,000 rows,
//! enough for several chunks of reading, tokenizing and writing to
//! overlap); every iteration then opens it, runs the pipeline on all cores
//! and commits the output over the previous one. `bin/bench-e2e.sh`
//! measures the same path on millions of rows through the real binary.

use std::fs::File;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use pprl::config::{Aliases, ColumnMap, ColumnsConfig, PprlAliases};
use pprl::delivery::{Delivery, DeliveryOptions, Layout, TableFormat};
use pprl::extract::{self, Encoding, ExtractOptions, InputFormat};
use pprl::key::{Secret, TokenKey};
use pprl::normalize::{NormalizeOptions, Normalizer};
use pprl::opentoken::{OpenTokenAliases, OpenTokenProfile};
use pprl::pipeline::{self, RunOptions};
use pprl::profile::{Profile, SpecV1};
use pprl::rule::default_rules;
use pprl::synth::{generate, SynthOptions};
use pprl::token::Tokenizer;

const ROWS: u64 = 50_000;

/// Writes the synthetic extract and returns its path.
fn write_extract(dir: &Path) -> PathBuf {
    let path = dir.join("extract.csv");
    let opts = SynthOptions {
        rows: ROWS,
        seed: 7,
        ..SynthOptions::default()
    };
    let file = File::create(&path).expect("create the extract");
    generate(&opts, file, None::<File>).expect("generate the extract");
    path
}

/// A profile with the column settings it needs for the synthetic header.
struct Setup<'a> {
    name: &'static str,
    profile: &'a dyn Profile,
    aliases: &'a dyn Aliases,
    columns: ColumnsConfig,
}

/// One tokenize run, input to committed output; returns the rows read.
fn run_once(input: &Path, output: &Path, setup: &Setup<'_>) -> u64 {
    let run_opts = RunOptions {
        input: Some(input.to_path_buf()),
        ..RunOptions::default()
    };
    let source = extract::open(&ExtractOptions {
        path: Some(input.to_path_buf()),
        format: InputFormat::Csv,
        delimiter: b',',
        encoding: Encoding::Utf8,
        chunk_rows: run_opts.chunk_rows,
    })
    .expect("open the extract");
    let map = ColumnMap::resolve(source.headers(), &setup.columns, &[], setup.aliases)
        .expect("resolve the columns");

    let profile = setup.profile;
    let (active, _) = pipeline::plan_rules(profile, &map);
    let rule_ids = profile.rule_ids();
    let ids: Vec<String> = active.iter().map(|&i| rule_ids[i].clone()).collect();
    let columns: Vec<String> = ids.iter().map(|id| id.to_ascii_lowercase()).collect();
    let delivery_opts = DeliveryOptions {
        path: output.to_path_buf(),
        format: TableFormat::Parquet,
        layout: Layout::Wide,
        blank_as_zeros: false,
        max_rows_per_file: None,
        overwrite: true,
        footer: Vec::new(),
        encoder_threads: 0,
    };
    let delivery = Delivery::create(delivery_opts, &ids, &columns, &[]).expect("create output");

    // No prescan: it serves only the skip policy, and the default fails.
    let finished = pipeline::run(source, None, &map, profile, delivery, &run_opts, &|_| {})
        .expect("the run succeeds");
    let rows = finished.outcome.stats.rows_in;
    finished.commit("{}").expect("commit the output");
    rows
}

fn pipeline(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = write_extract(dir.path());
    let output = dir.path().join("tokens");

    let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date");
    let secret = Secret::from_bytes(vec![42; 32]);
    let normalizer = Normalizer::new(NormalizeOptions::new(as_of)).expect("default options");
    let key = TokenKey::derive(&secret, "default");
    let spec_v1 = SpecV1::new(normalizer, default_rules(), Tokenizer::new(&key));
    let opentoken = OpenTokenProfile::new(&secret, as_of).expect("a non-empty secret");
    let setups = [
        Setup {
            name: "spec_v1",
            profile: &spec_v1,
            aliases: &PprlAliases,
            columns: ColumnsConfig::default(),
        },
        // OpenToken's aliases do not include `ssn`; name the column, as a
        // user would in the config, so that T4 is computed too.
        Setup {
            name: "opentoken",
            profile: &opentoken,
            aliases: &OpenTokenAliases,
            columns: ColumnsConfig {
                ssn: Some("ssn".into()),
                ..ColumnsConfig::default()
            },
        },
    ];

    let mut group = c.benchmark_group("pipeline/csv_to_parquet");
    group.throughput(Throughput::Elements(ROWS));
    // A run takes tens of milliseconds; ten samples are enough to see a
    // regression and keep the whole bench under a minute.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for setup in &setups {
        group.bench_function(setup.name, |b| {
            b.iter(|| black_box(run_once(&input, &output, setup)))
        });
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
