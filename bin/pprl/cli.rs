//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use pprl::key::Secret;
use pprl::synth::{generate, SynthOptions};
use pprl::{Error, Result};

const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    unexpected internal error
  2    bad command line, option or configuration
  3    unreadable input (missing file, bad CSV, invalid UTF-8, bad row)
  4    key file missing, unreadable or invalid
  5    output cannot be written (or already exists without --overwrite)
  6    a policy threshold was exceeded (--max-invalid-rate)
  130  interrupted

Secrets are read only from files (--key-file or PPRL_KEY_FILE), never from
the command line. Errors name file, record and column, never a value.";

/// Privacy-preserving record linkage: normalize identifying fields and
/// derive keyed tokens, written as Parquet.
#[derive(Debug, Parser)]
#[command(name = "pprl", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// More log detail on stderr (-v info, -vv debug). Logs never carry values.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// No progress bar, no summary; errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a fresh 256-bit secret to a new file (mode 0600).
    #[command(after_help = EXIT_CODES)]
    Keygen(KeygenArgs),
    /// Tokenize an extract (CSV or Parquet) into Parquet.
    #[command(after_help = EXIT_CODES)]
    Tokenize(Box<TokenizeArgs>),
    /// Decrypt OpenToken-encrypted tokens back to hash-only tokens.
    #[command(after_help = EXIT_CODES)]
    Decrypt(DecryptArgs),
    /// Generate a synthetic extract of realistic person records.
    #[command(after_help = EXIT_CODES)]
    Synth(SynthArgs),
}

/// `pprl keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The new key file; refused if it exists.
    #[arg(long)]
    pub out: PathBuf,
}

/// Which tokens to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// pprl spec version 1 (docs/spec.md).
    Pprl,
    /// Truveta OpenToken 1.12.5 T1–T5, byte for byte (docs/opentoken.md).
    Opentoken,
}

/// Output row layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// One row per record, one column per rule.
    Wide,
    /// One row per record and rule (rule_id, token, record_id).
    Long,
}

/// What to do with a row that cannot be tokenized as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BadRowArg {
    /// Stop with an error naming the record.
    Fail,
    /// Skip it, count it, list it in --rejects.
    Skip,
}

/// `pprl tokenize`.
#[derive(Debug, Args)]
pub struct TokenizeArgs {
    /// Input extract: CSV (`-` for standard input) or Parquet (by extension).
    #[arg(long, short)]
    pub input: PathBuf,

    /// Output: a directory of Parquet part files (a Glue table location),
    /// or one file ending in .parquet (or .csv for --layout long).
    #[arg(long, short)]
    pub output: PathBuf,

    /// Key file (hex secret for pprl; text secret for OpenToken).
    #[arg(long, env = "PPRL_KEY_FILE", hide_env_values = true)]
    pub key_file: Option<PathBuf>,

    /// TOML config: columns, formats, rules, pass-through.
    #[arg(long)]
    pub config: Option<PathBuf>,

    /// Token profile.
    #[arg(long, value_enum, default_value = "pprl")]
    pub profile: ProfileArg,

    /// Collaboration id: tokens for one collaboration do not link to another's.
    #[arg(long)]
    pub collaboration: Option<String>,

    /// Birth date format (chrono strftime), e.g. %Y%m%d. Default %Y-%m-%d.
    #[arg(long)]
    pub date_format: Option<String>,

    /// Birth dates after this date (YYYY-MM-DD) are invalid. Default: today (UTC).
    #[arg(long)]
    pub as_of: Option<String>,

    /// ISO country of postal codes (US codes are repaired; others kept as written).
    #[arg(long)]
    pub postal_country: Option<String>,

    /// CSV delimiter (one character; `tab` for a tab).
    #[arg(long)]
    pub delimiter: Option<String>,

    /// CSV text encoding: utf-8, latin1, windows-1252.
    #[arg(long)]
    pub encoding: Option<String>,

    /// Accept Excel serial day numbers as birth dates (1900 date system).
    #[arg(long)]
    pub excel_dates: bool,

    /// Input columns to copy to the output in clear (repeat or comma-separate).
    #[arg(long, value_delimiter = ',')]
    pub pass_through: Vec<String>,

    /// Row layout.
    #[arg(long, value_enum, default_value = "wide")]
    pub layout: LayoutArg,

    /// Write blank OpenToken tokens as 64 zeros instead of null in Parquet.
    #[arg(long)]
    pub opentoken_blank: bool,

    /// OpenToken: encrypt tokens with the 32-byte key in this file (AES-256-GCM).
    #[arg(long)]
    pub encryption_key_file: Option<PathBuf>,

    /// OpenToken: write the SHA-256 of each secret into the metadata.
    #[arg(long)]
    pub metadata_secret_hashes: bool,

    /// A row with a wrong field count or no record id: fail, or skip and count it.
    #[arg(long, value_enum, default_value = "fail")]
    pub on_bad_row: BadRowArg,

    /// List skipped rows and invalid fields here (record number, id, reason; no values).
    #[arg(long)]
    pub rejects: Option<PathBuf>,

    /// Fail when more than this fraction of rows get no token.
    #[arg(long, allow_negative_numbers = true)]
    pub max_invalid_rate: Option<f64>,

    /// Start a new part file after this many rows.
    #[arg(long)]
    pub max_rows_per_file: Option<u64>,

    /// Replace an existing output.
    #[arg(long)]
    pub overwrite: bool,

    /// Worker threads (default: all cores; at least 1).
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub threads: Option<usize>,

    /// Records per chunk (memory use grows with it).
    #[arg(long, default_value_t = pprl::pipeline::DEFAULT_CHUNK_ROWS, hide = true)]
    pub chunk_rows: usize,

    /// Test only: fail after this many rows were written.
    #[arg(long, hide = true)]
    pub fail_after_rows: Option<u64>,
}

/// `pprl decrypt`.
#[derive(Debug, Args)]
pub struct DecryptArgs {
    /// Encrypted OpenToken file (CSV or Parquet with RuleId,Token,RecordId).
    #[arg(long, short)]
    pub input: PathBuf,
    /// Output CSV with hash-only tokens.
    #[arg(long, short)]
    pub output: PathBuf,
    /// File holding the 32-byte encryption key.
    #[arg(long)]
    pub encryption_key_file: PathBuf,
    /// Replace an existing output.
    #[arg(long)]
    pub overwrite: bool,
}

/// `pprl synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Number of records, duplicates included.
    #[arg(long)]
    pub rows: u64,
    /// Random seed: the same seed gives the same file.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output CSV (`-` for standard output).
    #[arg(long, short, default_value = "-")]
    pub output: PathBuf,
    /// Where to write the true duplicate pairs.
    #[arg(long)]
    pub truth: Option<PathBuf>,
    /// Birth date format (chrono strftime).
    #[arg(long, default_value = "%Y-%m-%d")]
    pub date_format: String,
    /// Share of records that are corrupted duplicates of another.
    #[arg(long)]
    pub duplicate_rate: Option<f64>,
}

/// `pprl keygen --out FILE`.
pub fn keygen(args: &KeygenArgs) -> Result<()> {
    Secret::generate()?.write_hex_file(&args.out)?;
    tracing::info!("wrote a new 256-bit key");
    Ok(())
}

/// `pprl synth`: streams to a file (written under a temporary name and
/// renamed when complete) or to standard output, where a closed pipe ends
/// the run quietly.
pub fn synth(args: &SynthArgs, quiet: bool) -> Result<()> {
    let mut opts = SynthOptions {
        rows: args.rows,
        seed: args.seed,
        date_format: args.date_format.clone(),
        ..SynthOptions::default()
    };
    if let Some(rate) = args.duplicate_rate {
        opts.duplicate_rate = rate;
    }
    opts.validate()?;
    let truth = match &args.truth {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| Error::io(p, e))?),
        None => None,
    };
    let summary = if args.output.as_os_str() == "-" {
        match generate(&opts, std::io::stdout().lock(), truth) {
            Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
                return Ok(())
            }
            other => other?,
        }
    } else {
        let tmp = args.output.with_file_name(format!(
            ".{}.pprl-tmp-{}",
            args.output
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            std::process::id()
        ));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let result = generate(&opts, file, truth).map_err(|e| match e {
            Error::Io { source, .. } => Error::io(&args.output, source),
            other => other,
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        let summary = result?;
        std::fs::rename(&tmp, &args.output).map_err(|e| Error::io(&args.output, e))?;
        summary
    };
    if !quiet {
        eprintln!(
            "pprl: wrote {} rows ({} originals, {} duplicates)",
            summary.rows, summary.originals, summary.duplicates
        );
    }
    Ok(())
}
