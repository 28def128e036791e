//! `pprl tokenize` and `pprl decrypt`: validated settings in, library calls out.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use pprl::config::{Aliases, ColumnMap, Config, PprlAliases};
use pprl::delivery::{Delivery, DeliveryOptions, Layout, TableFormat};
use pprl::extract::{self, Encoding, ExtractOptions, InputFormat};
use pprl::key::{key_file_is_shared, Secret, TokenKey, DEFAULT_COLLABORATION};
use pprl::metadata::{self, RunSettings};
use pprl::normalize::{NormalizeOptions, Normalizer};
use pprl::opentoken::encrypt::{encryption_key, Encryptor};
use pprl::opentoken::metadata::{secret_hash, Metadata as OpenTokenMetadata};
use pprl::opentoken::{self, EncryptedProfile, OpenTokenAliases, OpenTokenProfile};
use pprl::pipeline::{self, RowPolicy, RunOptions};
use pprl::profile::{Profile, SpecV1};
use pprl::rule::default_rules;
use pprl::token::Tokenizer;
use pprl::{Error, Result};

use crate::cli::{BadRowArg, DecryptArgs, LayoutArg, ProfileArg, TokenizeArgs};
use crate::progress::Bar;

/// The profile to run and what the metadata says about it.
struct Prepared {
    profile: Box<dyn Profile>,
    aliases: Box<dyn Aliases>,
    collaboration: Option<String>,
    key_id: Option<String>,
    rules: Vec<(String, Vec<String>)>,
    extra_metadata: serde_json::Map<String, Value>,
}

/// `pprl tokenize`.
pub fn run(args: TokenizeArgs, quiet: bool) -> Result<()> {
    // Installed first, so an early Ctrl-C also ends in the cleanup path.
    let cancel = interrupt_flag();
    if args
        .max_invalid_rate
        .is_some_and(|r| !(0.0..=1.0).contains(&r))
    {
        return Err(Error::Config(
            "--max-invalid-rate must be between 0 and 1".into(),
        ));
    }
    if args.layout == LayoutArg::Long && !args.pass_through.is_empty() {
        return Err(Error::Config(
            "--pass-through needs --layout wide (the long layout has one row per rule)".into(),
        ));
    }
    check_not_input(&args)?;
    let config = match &args.config {
        Some(p) => Config::load(p)?,
        None => Config::default(),
    };
    // Only the first call configures the global pool; this is the first.
    // Named, so that `top -H` and `perf` tell the workers from the
    // pipeline's other threads.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .thread_name(|i| format!("pprl-worker-{i}"))
        .build_global();
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let extract_opts = extract_options(&args, &config)?;
    let key_path = args
        .key_file
        .clone()
        .ok_or_else(|| Error::Key("no key: pass --key-file FILE or set PPRL_KEY_FILE".into()))?;
    if key_file_is_shared(&key_path) {
        tracing::warn!(
            "key file {} can be read by other users; chmod 600 it",
            key_path.display()
        );
    }
    let prepared = prepare_profile(&args, &config, &key_path, as_of)?;

    let source = extract::open(&extract_opts)?;
    let mut pass_through = config.output.pass_through.clone();
    for name in args.pass_through.iter().map(|s| s.trim().to_string()) {
        if !pass_through.contains(&name) {
            pass_through.push(name);
        }
    }
    if args.layout == LayoutArg::Long && !pass_through.is_empty() {
        return Err(Error::Config(
            "pass-through columns need --layout wide (the long layout has one row per rule)".into(),
        ));
    }
    let map = ColumnMap::resolve(
        source.headers(),
        &config.columns,
        &pass_through,
        &*prepared.aliases,
    )?;
    warn_about_columns(&map, source.headers());

    let (active, skipped) = pipeline::plan_rules(&*prepared.profile, &map);
    for (id, missing) in &skipped {
        let names: Vec<&str> = missing.iter().map(|f| f.name()).collect();
        tracing::warn!(
            "rule {id} skipped: the extract has no {} column",
            names.join(", ")
        );
    }
    if active.is_empty() {
        return Err(Error::Config(format!(
            "no rule can be computed: the extract lacks the fields every rule needs \
             (the header has {} columns; check --delimiter and the column names)",
            source.headers().len()
        )));
    }
    let rule_ids = prepared.profile.rule_ids();
    let columns: Vec<String> = active
        .iter()
        .map(|&i| rule_ids[i].to_ascii_lowercase())
        .collect();
    let pass_names: Vec<String> = map.pass_through.iter().map(|(_, n)| n.clone()).collect();
    check_name_clashes(&columns, &pass_names)?;

    let delivery_opts = delivery_options(&args, &prepared)?;
    if let Some(rejects) = &args.rejects {
        check_rejects(rejects, &args, &delivery_opts)?;
    }
    let output_settings = output_settings(&delivery_opts, &pass_names);
    let active_ids: Vec<String> = active.iter().map(|&i| rule_ids[i].clone()).collect();
    let delivery = Delivery::create(delivery_opts, &active_ids, &columns, &pass_names)?;

    let run_opts = RunOptions {
        chunk_rows: args.chunk_rows.max(1),
        on_bad_row: match args.on_bad_row {
            BadRowArg::Fail => RowPolicy::Fail,
            BadRowArg::Skip => RowPolicy::Skip,
        },
        max_invalid_rate: args.max_invalid_rate,
        rejects: args.rejects.clone(),
        input: extract_opts.path.clone(),
        fail_after_rows: args.fail_after_rows,
        cancel: Some(cancel),
        spill_dir: args
            .output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf),
        ..RunOptions::default()
    };
    // Skipping rows with a duplicated record id needs a first pass over
    // the ids; standard input can be read only once.
    let prescan = match (run_opts.on_bad_row, &extract_opts.path) {
        (RowPolicy::Skip, Some(_)) => Some(extract::open(&extract_opts)?),
        (RowPolicy::Skip, None) => {
            return Err(Error::Config(
                "--on-bad-row skip needs a file input (duplicate record ids are found in a \
                 first pass); save standard input to a file first"
                    .into(),
            ))
        }
        (RowPolicy::Fail, _) => None,
    };
    let started_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let bar = Bar::new(quiet);
    let finished = pipeline::run(
        source,
        prescan,
        &map,
        &*prepared.profile,
        delivery,
        &run_opts,
        &|p| bar.update(p),
    );
    bar.finish();
    let finished = finished?;

    let settings = RunSettings {
        profile: prepared.profile.name().to_string(),
        spec_version: prepared.profile.spec_version().to_string(),
        collaboration: prepared.collaboration.clone(),
        key_id: prepared.key_id.clone(),
        as_of: as_of.format("%Y-%m-%d").to_string(),
        input: input_settings(&extract_opts, &config, &args),
        rules: prepared.rules.clone(),
        output: output_settings,
        started_at,
    };
    let mut meta = metadata::build(&settings, &finished.outcome);
    if args.profile == ProfileArg::Opentoken {
        let ot = OpenTokenMetadata::from_stats(&finished.outcome.stats, &finished.outcome.rules);
        if let Value::Object(fields) = serde_json::to_value(&ot).expect("metadata serializes") {
            meta.extend(fields);
        }
    }
    meta.extend(prepared.extra_metadata.clone());
    let json = serde_json::to_string_pretty(&Value::Object(meta)).expect("metadata serializes");
    let stats = finished.outcome.stats.clone();
    let elapsed = finished.outcome.elapsed;
    let meta_path = finished.commit(&json)?;

    if stats.rows_in == 0 {
        tracing::warn!("the input has a header but no data rows");
    }
    if !quiet {
        let secs = elapsed.as_secs_f64().max(1e-9);
        eprintln!(
            "pprl: {} rows in, {} out, {} rejected, {} without any token; {} token columns; \
             {:.2} s ({:.0} rows/s); metadata {}",
            stats.rows_in,
            stats.rows_out,
            stats.rejected_total(),
            stats.rows_without_tokens,
            columns.len(),
            secs,
            stats.rows_in as f64 / secs,
            meta_path.display()
        );
    }
    Ok(())
}

fn prepare_profile(
    args: &TokenizeArgs,
    config: &Config,
    key_path: &Path,
    as_of: NaiveDate,
) -> Result<Prepared> {
    match args.profile {
        ProfileArg::Pprl => {
            if args.encryption_key_file.is_some() || args.metadata_secret_hashes {
                return Err(Error::Config(
                    "--encryption-key-file and --metadata-secret-hashes need --profile opentoken"
                        .into(),
                ));
            }
            let secret = Secret::from_hex_file(key_path)?;
            let collaboration = args
                .collaboration
                .clone()
                .unwrap_or_else(|| DEFAULT_COLLABORATION.into());
            let key = TokenKey::derive(&secret, &collaboration);
            tracing::info!("key id {} for collaboration {collaboration}", key.key_id());
            let mut opts = NormalizeOptions::new(as_of);
            if let Some(f) = args
                .date_format
                .clone()
                .or(config.input.date_format.clone())
            {
                opts.date_format = f;
            }
            if let Some(c) = args
                .postal_country
                .clone()
                .or(config.input.postal_country.clone())
            {
                opts.postal_country = c;
            }
            opts.excel_serial_dates =
                args.excel_dates || config.input.excel_serial_dates.unwrap_or(false);
            let normalizer = Normalizer::new(opts)?;
            let rules = config.rules()?.unwrap_or_else(default_rules);
            let described = rules
                .iter()
                .map(|r| (r.id.clone(), r.parts.iter().map(|p| p.spelling()).collect()))
                .collect();
            let key_id = key.key_id().to_string();
            Ok(Prepared {
                profile: Box::new(SpecV1::new(normalizer, rules, Tokenizer::new(&key))),
                aliases: Box::new(PprlAliases),
                collaboration: Some(collaboration),
                key_id: Some(key_id),
                rules: described,
                extra_metadata: Default::default(),
            })
        }
        ProfileArg::Opentoken => crate::tokenize::opentoken_profile(args, key_path, as_of),
    }
}

/// The OpenToken profile: a text hashing secret, optional AES-256-GCM.
fn opentoken_profile(args: &TokenizeArgs, key_path: &Path, as_of: NaiveDate) -> Result<Prepared> {
    if args.collaboration.is_some() || args.date_format.is_some() || args.postal_country.is_some() {
        return Err(Error::Config(
            "--collaboration, --date-format and --postal-country do not apply to --profile \
             opentoken, which reproduces OpenToken's own rules"
                .into(),
        ));
    }
    let secret = Secret::from_text_file(key_path)?;
    let inner = OpenTokenProfile::new(&secret, as_of)?;
    let encryption = match &args.encryption_key_file {
        Some(p) => Some(Secret::from_text_file(p)?),
        None => None,
    };
    let profile: Box<dyn Profile> = match &encryption {
        Some(k) => Box::new(EncryptedProfile::new(
            inner,
            Encryptor::new(&*encryption_key(k)?),
        )),
        None => Box::new(inner),
    };
    let mut extra = serde_json::Map::new();
    extra.insert(
        "mode".into(),
        if encryption.is_some() {
            "encrypted"
        } else {
            "hash-only"
        }
        .into(),
    );
    if args.metadata_secret_hashes {
        extra.insert("HashingSecretHash".into(), secret_hash(&secret).into());
        if let Some(k) = &encryption {
            extra.insert("EncryptionSecretHash".into(), secret_hash(k).into());
        }
    }
    let rules = opentoken::RULE_IDS
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let fields = profile
                .rule_fields(i)
                .iter()
                .map(|f| f.name().to_string())
                .collect();
            (id.to_string(), fields)
        })
        .collect();
    Ok(Prepared {
        profile,
        aliases: Box::new(OpenTokenAliases),
        collaboration: None,
        key_id: None,
        rules,
        extra_metadata: extra,
    })
}

fn parse_as_of(text: Option<&str>) -> Result<NaiveDate> {
    match text {
        None => Ok(chrono::Utc::now().date_naive()),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| Error::Config("--as-of must be a date like 2026-01-31".into())),
    }
}

fn extract_options(args: &TokenizeArgs, config: &Config) -> Result<ExtractOptions> {
    let path = (args.input.as_os_str() != "-").then(|| args.input.clone());
    let delimiter = match args
        .delimiter
        .as_deref()
        .or(config.input.delimiter.as_deref())
    {
        None => b',',
        Some("tab" | "\\t" | "\t") => b'\t',
        Some(d) if d.len() == 1 && d.is_ascii() => d.as_bytes()[0],
        Some(_) => {
            return Err(Error::Config(
                "--delimiter must be one ASCII character or `tab`".into(),
            ))
        }
    };
    let encoding = match args
        .encoding
        .as_deref()
        .or(config.input.encoding.as_deref())
    {
        None => Encoding::Utf8,
        Some(name) => Encoding::parse(name).ok_or_else(|| {
            Error::Config(format!(
                "unknown encoding {name:?}; use utf-8, latin1 or windows-1252"
            ))
        })?,
    };
    Ok(ExtractOptions {
        format: InputFormat::from_path(path.as_deref()),
        path,
        delimiter,
        encoding,
        chunk_rows: args.chunk_rows.max(1),
    })
}

fn delivery_options(args: &TokenizeArgs, prepared: &Prepared) -> Result<DeliveryOptions> {
    let ext = args
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = if ext.as_deref() == Some("csv") {
        TableFormat::Csv
    } else {
        TableFormat::Parquet
    };
    let layout = match args.layout {
        LayoutArg::Wide => Layout::Wide,
        LayoutArg::Long => Layout::Long,
    };
    if args.max_rows_per_file == Some(0) {
        return Err(Error::Config(
            "--max-rows-per-file must be at least 1".into(),
        ));
    }
    let mut footer = vec![
        (
            "pprl.profile".to_string(),
            prepared.profile.name().to_string(),
        ),
        (
            "pprl.spec_version".to_string(),
            prepared.profile.spec_version().to_string(),
        ),
    ];
    if let Some(c) = &prepared.collaboration {
        footer.push(("pprl.collaboration".into(), c.clone()));
    }
    if let Some(k) = &prepared.key_id {
        footer.push(("pprl.key_id".into(), k.clone()));
    }
    let opts = DeliveryOptions {
        path: args.output.clone(),
        format,
        layout,
        blank_as_zeros: args.opentoken_blank || format == TableFormat::Csv,
        max_rows_per_file: args.max_rows_per_file,
        overwrite: args.overwrite,
        footer,
        encoder_threads: encoder_threads(args.threads),
    };
    if opts.max_rows_per_file.is_some() && opts.single_file() {
        // Silently writing one file would defeat the size the user asked for.
        return Err(Error::Config(
            "--max-rows-per-file splits a directory output into part files; \
             --output names a single .parquet or .csv file"
                .into(),
        ));
    }
    Ok(opts)
}

fn input_settings(
    opts: &ExtractOptions,
    config: &Config,
    args: &TokenizeArgs,
) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    let format = match opts.format {
        InputFormat::Csv => "csv",
        InputFormat::Parquet => "parquet",
    };
    m.insert("format".into(), format.into());
    let name = opts
        .path
        .as_ref()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    m.insert(
        "file_name".into(),
        name.unwrap_or_else(|| "<stdin>".into()).into(),
    );
    m.insert("encoding".into(), opts.encoding.name().into());
    m.insert(
        "delimiter".into(),
        (opts.delimiter as char).to_string().into(),
    );
    let date_format = args
        .date_format
        .clone()
        .or(config.input.date_format.clone());
    m.insert(
        "date_format".into(),
        date_format.unwrap_or_else(|| "%Y-%m-%d".into()).into(),
    );
    let country = args
        .postal_country
        .clone()
        .or(config.input.postal_country.clone());
    m.insert(
        "postal_country".into(),
        country.unwrap_or_else(|| "US".into()).to_uppercase().into(),
    );
    let excel = args.excel_dates || config.input.excel_serial_dates.unwrap_or(false);
    m.insert("excel_serial_dates".into(), excel.into());
    m
}

fn output_settings(opts: &DeliveryOptions, pass: &[String]) -> BTreeMap<String, Value> {
    let mut m = BTreeMap::new();
    m.insert("path".into(), opts.path.display().to_string().into());
    let format = match opts.format {
        TableFormat::Parquet => "parquet",
        TableFormat::Csv => "csv",
    };
    m.insert("format".into(), format.into());
    let layout = match opts.layout {
        Layout::Wide => "wide",
        Layout::Long => "long",
    };
    m.insert("layout".into(), layout.into());
    m.insert("pass_through".into(), pass.to_vec().into());
    m.insert("max_rows_per_file".into(), opts.max_rows_per_file.into());
    m
}

/// Pass-through columns that hold identifying fields leave in clear: the
/// user asked for it, but say so.
fn warn_about_columns(map: &ColumnMap, headers: &[String]) {
    for (index, name) in &map.pass_through {
        if map.fields.contains(&Some(*index)) {
            tracing::warn!(
                "pass-through column {name} is also an identifying field ({}); its values leave in clear",
                headers[*index]
            );
        }
    }
}

fn check_name_clashes(columns: &[String], pass: &[String]) -> Result<()> {
    for p in pass {
        if p == "record_id" || columns.contains(p) {
            return Err(Error::Config(format!(
                "pass-through column {p} would clash with an output column of the same name"
            )));
        }
    }
    Ok(())
}

/// `pprl decrypt`: OpenToken's `-d`. Reads `RuleId,Token,RecordId` CSV and
/// writes the same with hash-only tokens; a token that does not decrypt is
/// an error naming its record, never passed through.
pub fn decrypt(args: &DecryptArgs, quiet: bool) -> Result<()> {
    let key = Secret::from_text_file(&args.encryption_key_file)?;
    let encryptor = Encryptor::new(&*encryption_key(&key)?);
    if args.output.exists() && !args.overwrite {
        return Err(Error::Output {
            path: args.output.clone(),
            reason: "already exists (use --overwrite to replace it)".into(),
        });
    }
    let rows = pprl::opentoken::decrypt::decrypt_csv(&args.input, &args.output, &encryptor)?;
    if !quiet {
        eprintln!(
            "pprl: decrypted {rows} tokens into {}",
            args.output.display()
        );
    }
    Ok(())
}

/// A flag set by SIGINT/SIGTERM, so a run stops between chunks and removes
/// its temporary output instead of dying with it in place.
fn interrupt_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let set = flag.clone();
    // Failing to install the handler only loses the cleanup: temporary
    // names are hidden and never look like a complete delivery.
    let _ = ctrlc::set_handler(move || set.store(true, std::sync::atomic::Ordering::Relaxed));
    flag
}

/// Threads for the Parquet column encoders: a quarter of the tokenizing
/// threads. On two or three cores the writer thread keeps up alone (it is
/// about a sixth of the work), and extra threads there would only take
/// turns with the tokenizers; from eight cores on it would not.
fn encoder_threads(threads: Option<usize>) -> usize {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    threads / 4
}

/// Refuses a rejects path that would destroy something: the input, a key,
/// the output or its metadata (exit 2); an existing file without
/// `--overwrite`, or with it one that is not an earlier rejects file, and
/// a missing parent directory (exit 5).
fn check_rejects(rejects: &Path, args: &TokenizeArgs, out: &DeliveryOptions) -> Result<()> {
    let metadata = out.metadata_path();
    let named = [
        (Some(args.input.as_path()), "the input file"),
        (args.key_file.as_deref(), "the key file"),
        (
            args.encryption_key_file.as_deref(),
            "the encryption key file",
        ),
        (args.config.as_deref(), "the config file"),
        (Some(out.path.as_path()), "the output"),
        (Some(metadata.as_path()), "the output's metadata file"),
    ];
    for (path, what) in named {
        if path.is_some_and(|p| same_path(p, rejects)) {
            return Err(Error::Config(format!("--rejects must not be {what}")));
        }
    }

    let refuse = |reason: &str| Error::Output {
        path: rejects.to_path_buf(),
        reason: reason.into(),
    };
    let parent = match rejects.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(refuse("its parent directory does not exist"));
    }
    if !rejects.exists() {
        return Ok(());
    }
    if !args.overwrite {
        return Err(refuse("already exists (use --overwrite to replace it)"));
    }
    if !is_rejects_file(rejects) {
        return Err(refuse(
            "exists and is not a previous pprl rejects file; --overwrite replaces only those",
        ));
    }
    Ok(())
}

/// Whether two paths name the same file: the same file on disk when both
/// exist, otherwise the same absolute path.
fn same_path(a: &Path, b: &Path) -> bool {
    if let (Ok(a), Ok(b)) = (a.canonicalize(), b.canonicalize()) {
        return a == b;
    }
    let absolute = |p: &Path| std::path::absolute(p).ok();
    absolute(a).is_some_and(|a| Some(a) == absolute(b))
}

/// A regular file whose first line is pprl's rejects header.
fn is_rejects_file(path: &Path) -> bool {
    use std::io::{BufRead, Read};
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut first = String::new();
    let read = std::io::BufReader::new(file.take(256)).read_line(&mut first);
    read.is_ok() && first.trim_end() == pprl::pipeline::REJECTS_HEADER
}

/// Refuses an output that is the input file itself.
fn check_not_input(args: &TokenizeArgs) -> Result<()> {
    if same_path(&args.input, &args.output) {
        return Err(Error::Config("--output must not be the input file".into()));
    }
    Ok(())
}
