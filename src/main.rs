//! The `stroma` binary: parse arguments, run, print an error once, exit with its code.

use clap::Parser;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = stroma::cli::Cli::parse();
    match stroma::app::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            // A closed pipe (`stroma query … | head`) is how the reader says it has enough.
            if stroma::app::is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("{}", stroma::app::message(&error));
            ExitCode::from(stroma::app::exit_code(&error))
        }
    }
}
