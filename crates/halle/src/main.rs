//! `halle`: the portal's one binary.

mod cli;
mod config;
mod demo;
mod export;
mod import;
mod run;
mod verify_receipt;

use clap::Parser;

/// glibc's allocator keeps what many threads freed (Argon2's 19 MiB blocks, upload buffers) in
/// per-thread arenas, so the server's memory only grew; mimalloc returns it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("halle : impossible de démarrer ({e})");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(run::run(cli))
}
