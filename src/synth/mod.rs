//! Synthetic extracts: realistic, reproducible person records with known
//! duplicates, for benchmarks and linkage-quality measurements.
//!
//! [`generate`] streams `rows` records as CSV with the header
//! `record_id,first_name,last_name,birth_date,sex,postal_code,ssn`, the
//! column names pprl detects without a config, and optionally a truth file
//! `record_id_1,record_id_2,kind` listing every pair of records that belong
//! to the same person.
//!
//! # The model
//!
//! A run has `rows` rows. `round(rows × duplicate_rate)` of them (keeping at
//! least one original) are *duplicates*: second records of a person who
//! already has a record, each with one corruption ([`DuplicateKind`],
//! weighted by [`KIND_WEIGHTS`]). The other rows are *originals*, one per
//! person. When there are more duplicates than originals some persons get
//! several duplicates.
//!
//! A person is a pure function of the seed and the person's number, so a
//! duplicate re-derives its original instead of remembering it, and memory
//! stays flat however many rows are written. Rows are placed by a keyed
//! permutation of row numbers, so duplicates land anywhere in the file,
//! before or after their original.
//!
//! | attribute | how it is drawn | default rate |
//! |---|---|---|
//! | sex | M or F, even odds; written `U` at `unknown_sex_rate` | 0.5% `U` |
//! | first name | by frequency from ~340 male or ~300 female US names | |
//! | accented names | from separate lists (José, Zoë, Müller, Nguyễn, …) at `accent_rate`, for first and family name independently | 3% |
//! | family name | by frequency from ~300 US surnames, including O'Brien, De La Cruz | |
//! | hyphenated family name | two family names joined by `-` at `hyphen_rate` | 2% |
//! | suffix | Jr, Sr, II, III or IV after the family name (`Smith Jr`, `Smith Jr.`, `Smith, Jr.`), male persons only, at `suffix_rate` | 3% of men |
//! | birth date | uniform over 1920-01-01..=2024-12-31, written in `date_format` with chrono | |
//! | ZIP | uniform over 01001–99950; written ZIP+4 at `zip4_rate` | 15% |
//! | SSN | area 001–899 except 666, group 01–99, serial 0001–9999, as `ddd-dd-dddd` | |
//! | missing value | each field of each row left empty at `missing_rate` | 2% |
//! | invalid value | each field of each row spoiled at `invalid_rate` (placeholder names like `UNKNOWN`, impossible or future dates, bad sex codes, malformed ZIPs, SSNs like `000-12-3456`) | 1% |
//!
//! Record ids are `R` followed by the 1-based row number, zero-padded to the
//! width of `rows`, so they are unique and sort in file order.
//!
//! # Determinism
//!
//! The output is a function of the [`SynthOptions`] alone, byte for byte, on
//! every platform: the generator uses its own SplitMix64 streams (no `rand`,
//! no hash-map iteration order) and only IEEE-exact float comparisons. A
//! change to the output for a given seed is a breaking change of this
//! module.
//!
//! ```
//! use pprl::synth::{generate, SynthOptions};
//!
//! let opts = SynthOptions { rows: 5, seed: 7, ..SynthOptions::default() };
//! let mut extract = Vec::new();
//! let mut truth = Vec::new();
//! let summary = generate(&opts, &mut extract, Some(&mut truth)).unwrap();
//! assert_eq!(summary.rows, 5);
//! assert!(extract.starts_with(b"record_id,first_name,last_name,birth_date,sex,postal_code,ssn\n"));
//! assert!(truth.starts_with(b"record_id_1,record_id_2,kind\n"));
//! ```

mod corrupt;
mod names;
mod noise;
mod person;
mod record;
mod rng;

use std::io::{BufWriter, Write};

pub use corrupt::{DuplicateKind, KIND_WEIGHTS};

use crate::error::{Error, Result};
use person::{NameLists, Person};
use record::{DateFormat, Layout, Record};
use rng::{Permutation, Rng};

/// The header of a synthetic extract.
pub const HEADER: &str = "record_id,first_name,last_name,birth_date,sex,postal_code,ssn";

/// The header of the truth file.
pub const TRUTH_HEADER: &str = "record_id_1,record_id_2,kind";

/// Stream tags: each kind of random draw has its own family of streams so
/// that adding draws to one never shifts another.
const ROW_STREAM: u64 = 2;
const ROW_ORDER_STREAM: u64 = 3;
const DUPLICATE_OF_STREAM: u64 = 4;

/// What to generate. Every rate is a probability in `0..=1`.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthOptions {
    /// Data rows to write, duplicates included. Default 1000.
    pub rows: u64,
    /// The seed; the output is a function of the options, seed included.
    /// Default 0.
    pub seed: u64,
    /// The birth date format for the whole file, in chrono `strftime`
    /// syntax. It must write year (four digits), month and day so that they
    /// read back. Default `%Y-%m-%d`.
    pub date_format: String,
    /// Share of fields left empty, per field per row. Default 0.02.
    pub missing_rate: f64,
    /// Share of fields holding an invalid value, per field per row.
    /// `missing_rate + invalid_rate` must not exceed 1. Default 0.01.
    pub invalid_rate: f64,
    /// Share of rows that are corrupted second records of a person.
    /// Default 0.10.
    pub duplicate_rate: f64,
    /// Share of ZIP codes written as ZIP+4 (`12345-6789`). Default 0.15.
    pub zip4_rate: f64,
    /// Share of rows whose sex is written `U`. Default 0.005.
    pub unknown_sex_rate: f64,
    /// Share of first names, and separately of family names, drawn from
    /// the lists with diacritics. Default 0.03.
    pub accent_rate: f64,
    /// Share of persons with a hyphenated family name. Default 0.02.
    pub hyphen_rate: f64,
    /// Share of male persons with a generational suffix. Default 0.03.
    pub suffix_rate: f64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            rows: 1000,
            seed: 0,
            date_format: "%Y-%m-%d".to_string(),
            missing_rate: 0.02,
            invalid_rate: 0.01,
            duplicate_rate: 0.10,
            zip4_rate: 0.15,
            unknown_sex_rate: 0.005,
            accent_rate: 0.03,
            hyphen_rate: 0.02,
            suffix_rate: 0.03,
        }
    }
}

impl SynthOptions {
    /// Checks every rate and the date format.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] when a rate is not a number in `0..=1`, when
    /// `missing_rate + invalid_rate` exceeds 1, or when the date format
    /// cannot write a birth date that reads back.
    pub fn validate(&self) -> Result<()> {
        self.rates()
            .into_iter()
            .try_for_each(|(name, rate)| check_rate(name, rate))?;
        if self.missing_rate + self.invalid_rate > 1.0 {
            return Err(Error::Config(
                "synth missing_rate + invalid_rate must not exceed 1".to_string(),
            ));
        }
        DateFormat::new(&self.date_format).map(|_| ())
    }

    fn rates(&self) -> [(&'static str, f64); 8] {
        [
            ("missing_rate", self.missing_rate),
            ("invalid_rate", self.invalid_rate),
            ("duplicate_rate", self.duplicate_rate),
            ("zip4_rate", self.zip4_rate),
            ("unknown_sex_rate", self.unknown_sex_rate),
            ("accent_rate", self.accent_rate),
            ("hyphen_rate", self.hyphen_rate),
            ("suffix_rate", self.suffix_rate),
        ]
    }
}

fn check_rate(name: &str, rate: f64) -> Result<()> {
    if (0.0..=1.0).contains(&rate) {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "synth {name} must be a number from 0 to 1"
        )))
    }
}

/// What a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthSummary {
    /// Data rows written (the header not counted).
    pub rows: u64,
    /// Rows that are a person's first record: the number of persons.
    pub originals: u64,
    /// Rows that are corrupted second records; also the truth pairs written.
    pub duplicates: u64,
    /// Duplicates per corruption, in [`DuplicateKind::ALL`] order.
    pub duplicate_kinds: Vec<(DuplicateKind, u64)>,
    /// Fields left empty.
    pub missing_values: u64,
    /// Fields holding an invalid value.
    pub invalid_values: u64,
}

/// Writes a synthetic extract to `out` and, when given, the true duplicate
/// pairs to `truth`, one line per duplicate: the original's record id, the
/// duplicate's, and the corruption applied. Truth lines follow the file
/// order of the duplicates.
///
/// Both writers are buffered internally and flushed before returning.
/// Memory use does not grow with `rows`.
///
/// # Errors
///
/// [`Error::Config`] when the options do not validate
/// ([`SynthOptions::validate`]); [`Error::Io`] when writing fails, with the
/// path `<synth extract>` or `<synth truth>` (the caller knows the real
/// path).
pub fn generate<W: Write, T: Write>(
    opts: &SynthOptions,
    out: W,
    truth: Option<T>,
) -> Result<SynthSummary> {
    opts.validate()?;
    let generator = Generator::new(opts)?;
    let mut out = Sink::new(out, "<synth extract>");
    let mut truth = truth.map(|t| Sink::new(t, "<synth truth>"));

    out.line(HEADER.as_bytes())?;
    if let Some(t) = truth.as_mut() {
        t.line(TRUTH_HEADER.as_bytes())?;
    }

    let mut state = RowState::default();
    let mut summary = generator.empty_summary();
    for row in 0..opts.rows {
        let kind = generator.row(row, &mut state, &mut summary);
        out.write(&state.line)?;
        if let (Some(t), Some(_)) = (truth.as_mut(), kind) {
            t.write(&state.truth_line)?;
        }
    }

    out.finish()?;
    if let Some(t) = truth {
        t.finish()?;
    }
    Ok(summary)
}

/// A buffered writer that names itself in errors.
struct Sink<W: Write> {
    inner: BufWriter<W>,
    name: &'static str,
}

impl<W: Write> Sink<W> {
    fn new(inner: W, name: &'static str) -> Self {
        Sink {
            inner: BufWriter::with_capacity(1 << 16, inner),
            name,
        }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.inner
            .write_all(bytes)
            .map_err(|e| Error::io(self.name, e))
    }

    fn line(&mut self, bytes: &[u8]) -> Result<()> {
        self.write(bytes)?;
        self.write(b"\n")
    }

    fn finish(mut self) -> Result<()> {
        self.inner.flush().map_err(|e| Error::io(self.name, e))
    }
}

/// Which person a row shows, and whether it is a duplicate.
enum Slot {
    Original { person: u64 },
    Duplicate { person: u64, original_row: u64 },
}

/// A duplicate row: where its original is, and how it differs.
#[derive(Clone, Copy)]
struct Duplicate {
    original_row: u64,
    kind: DuplicateKind,
}

/// Buffers reused from row to row.
#[derive(Default)]
struct RowState {
    record: Record,
    line: Vec<u8>,
    truth_line: Vec<u8>,
    id: String,
    original_id: String,
}

/// Everything fixed for a run.
struct Generator<'a> {
    opts: &'a SynthOptions,
    names: NameLists,
    dates: DateFormat,
    originals: u64,
    row_order: Permutation,
    duplicate_of: Permutation,
    id_width: usize,
}

impl<'a> Generator<'a> {
    fn new(opts: &'a SynthOptions) -> Result<Self> {
        let duplicates = ((opts.rows as f64 * opts.duplicate_rate).round() as u64)
            .min(opts.rows.saturating_sub(1));
        let originals = opts.rows - duplicates;

        Ok(Generator {
            opts,
            names: NameLists::new(),
            dates: DateFormat::new(&opts.date_format)?,
            originals,
            row_order: Permutation::new(opts.rows, opts.seed, ROW_ORDER_STREAM),
            duplicate_of: Permutation::new(originals.max(1), opts.seed, DUPLICATE_OF_STREAM),
            id_width: opts.rows.max(1).to_string().len(),
        })
    }

    fn empty_summary(&self) -> SynthSummary {
        SynthSummary {
            rows: self.opts.rows,
            originals: self.originals,
            duplicates: self.opts.rows - self.originals,
            duplicate_kinds: DuplicateKind::ALL.iter().map(|&k| (k, 0)).collect(),
            missing_values: 0,
            invalid_values: 0,
        }
    }

    /// Logical slots `0..originals` are persons' first records; the rest
    /// are duplicates, mapped onto persons by a second permutation so that
    /// no person gets a second duplicate before every person has one.
    fn slot(&self, row: u64) -> Slot {
        let slot = self.row_order.forward(row);
        if slot < self.originals {
            return Slot::Original { person: slot };
        }
        let person = self
            .duplicate_of
            .forward((slot - self.originals) % self.originals);
        Slot::Duplicate {
            person,
            original_row: self.row_order.inverse(person),
        }
    }

    fn record_id(&self, row: u64, out: &mut String) {
        out.clear();
        out.push('R');
        record::push_digits(out, row + 1, self.id_width);
    }

    /// Renders row `row` into `state.line` (and `state.truth_line` for a
    /// duplicate); returns the duplicate's kind.
    fn row(
        &self,
        row: u64,
        state: &mut RowState,
        summary: &mut SynthSummary,
    ) -> Option<DuplicateKind> {
        let opts = self.opts;
        let mut rng = Rng::new(opts.seed, ROW_STREAM, row);
        let layout = Layout {
            zip4: rng.chance(opts.zip4_rate),
            unknown_sex: rng.chance(opts.unknown_sex_rate),
        };
        let (person, duplicate) = self.person(row, &mut rng);

        state.record.fill(&person, layout, &self.dates, &mut rng);
        if let Some(d) = duplicate {
            corrupt::corrupt_record(d.kind, &mut state.record, &mut rng);
        }
        let rates = (opts.missing_rate, opts.invalid_rate);
        let noise = noise::apply(&mut state.record, &person, rates, &self.dates, &mut rng);
        summary.missing_values += noise.missing;
        summary.invalid_values += noise.invalid;

        self.record_id(row, &mut state.id);
        state.line.clear();
        state.record.encode(&state.id, &mut state.line);
        let d = duplicate?;
        summary.duplicate_kinds[d.kind.index()].1 += 1;
        self.truth_line(d, state);
        Some(d.kind)
    }

    /// The person row `row` shows, as this row records them: for a
    /// duplicate, with the corruption already applied to names, address and
    /// date.
    fn person(&self, row: u64, rng: &mut Rng) -> (Person, Option<Duplicate>) {
        let (index, original_row) = match self.slot(row) {
            Slot::Original { person } => return (self.derive(person), None),
            Slot::Duplicate {
                person,
                original_row,
            } => (person, original_row),
        };
        let mut person = self.derive(index);
        let accent_rate = self.opts.accent_rate;
        let kind = corrupt::corrupt_person(&mut person, &self.names, accent_rate, rng);
        (person, Some(Duplicate { original_row, kind }))
    }

    fn derive(&self, person: u64) -> Person {
        Person::derive(self.opts, &self.names, person)
    }

    fn truth_line(&self, duplicate: Duplicate, state: &mut RowState) {
        self.record_id(duplicate.original_row, &mut state.original_id);
        let line = &mut state.truth_line;
        line.clear();
        for part in [&state.original_id, &state.id] {
            line.extend_from_slice(part.as_bytes());
            line.push(b',');
        }
        line.extend_from_slice(duplicate.kind.as_str().as_bytes());
        line.push(b'\n');
    }
}
