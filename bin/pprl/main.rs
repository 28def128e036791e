//! `pprl`: tokenize person extracts for privacy-preserving record linkage.
//!
//! The binary only parses arguments into one validated configuration and
//! reports errors; all the work is in the `pprl` library.

mod cli;
mod progress;
mod tokenize;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

/// Tokenization allocates and frees many short-lived buffers on every core;
/// mimalloc keeps them in per-thread pools where the system allocator maps
/// and zeroes fresh pages for each large one (about 5 % more CPU time on a
/// 1M-row run). Its version 2 (`v2` feature) is used: on the same runs the
/// default version 3 held 20–40 MiB more resident memory, and its peak
/// grew between a 1M-row and a 10M-row run where version 2's did not
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    hide_panic_payloads();
    let cli = Cli::parse();
    init_logging(cli.verbose, cli.quiet);
    let result = match cli.command {
        Command::Keygen(args) => cli::keygen(&args),
        Command::Tokenize(args) => tokenize::run(*args, cli.quiet),
        Command::Decrypt(args) => tokenize::decrypt(&args, cli.quiet),
        Command::Synth(args) => cli::synth(&args, cli.quiet),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the error chain; library errors never carry values.
            let mut line = format!("pprl: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let text = s.to_string();
                if !line.contains(&text) {
                    line.push_str(": ");
                    line.push_str(&text);
                }
                source = s.source();
            }
            let _ = writeln!(std::io::stderr(), "{line}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

/// Logs go to stderr. `-v` shows configuration and key ids, `-vv` debug
/// detail; `PPRL_LOG` accepts a tracing filter. No level logs values.
fn init_logging(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("PPRL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}

/// A panic is a bug, and its message may quote the value being processed:
/// print where it happened and nothing of the payload, then exit 1.
fn hide_panic_payloads() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let _ = writeln!(
            std::io::stderr(),
            "pprl: internal error{at} (a bug; its message is withheld because it may hold data values)"
        );
        std::process::exit(1);
    }));
}
