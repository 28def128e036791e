//! Decrypting an OpenToken-encrypted token file back to hash-only tokens
//! (OpenToken's `-d` mode), streaming.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use super::encrypt::Encryptor;
use super::output::{write_long_header, write_long_line};
use crate::delivery::temp_sibling;
use crate::error::{Error, Position, Result};

/// Reads `input` (CSV with `RuleId`, `Token` and `RecordId` columns, in any
/// order) and writes `output` as OpenToken's hash-only CSV. Returns the
/// number of token lines. The output appears only when every token
/// decrypted; blank tokens pass through.
///
/// # Errors
/// A missing column, malformed CSV, or a token that does not decrypt under
/// the key (with its record number; never the token itself).
pub fn decrypt_csv(input: &Path, output: &Path, encryptor: &Encryptor) -> Result<u64> {
    let at = |record: Option<u64>| Position {
        file: Some(input.to_path_buf()),
        record,
        ..Position::default()
    };
    let file = File::open(input).map_err(|e| Error::io(input, e))?;
    let mut reader = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
    let headers = reader
        .headers()
        .map_err(|_| Error::Input {
            at: at(Some(0)),
            reason: "unreadable header".into(),
        })?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .ok_or_else(|| Error::Input {
                at: at(Some(0)),
                reason: format!("no {name} column"),
            })
    };
    let (rule, token, id) = (col("RuleId")?, col("Token")?, col("RecordId")?);

    let tmp = temp_sibling(output);
    let result = (|| {
        let out = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::new(out);
        let io = |e: std::io::Error| Error::io(&tmp, e);
        write_long_header(&mut w).map_err(io)?;
        let mut n = 0u64;
        for (i, row) in reader.records().enumerate() {
            let record = i as u64 + 1;
            let row = row.map_err(|_| Error::Record {
                at: at(Some(record)),
                reason: "malformed CSV".into(),
            })?;
            let field = |c: usize| row.get(c).unwrap_or("");
            let plain = encryptor.decrypt(field(token)).map_err(|e| Error::Record {
                at: Position {
                    column: Some("Token".into()),
                    ..at(Some(record))
                },
                reason: format!("token does not decrypt under this key ({e})"),
            })?;
            write_long_line(&mut w, field(rule), Some(&plain), field(id)).map_err(io)?;
            n += 1;
        }
        w.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        Ok(n)
    })();
    match result {
        Ok(n) => {
            std::fs::rename(&tmp, output).map_err(|e| Error::io(output, e))?;
            Ok(n)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}
