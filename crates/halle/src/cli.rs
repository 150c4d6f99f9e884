use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Halle — le portail des marchés publics d’Île-de-France.
#[derive(Debug, Parser)]
#[command(name = "halle", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// A ready portal on SQLite in DIR, with demo data and accounts; serves until stopped.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[arg(long, default_value = "./halle-data")]
        data: PathBuf,
    },
    /// The production server.
    Serve {
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Verifies a bid receipt offline: exit 0 if intact and signed by KEY, 1 otherwise.
    VerifyReceipt {
        /// The receipt document (JSON) as received.
        file: PathBuf,
        /// The platform's public key as served at /.well-known/halle/receipt-key, or a file
        /// holding it. Without it, only the receipt's own key is checked.
        #[arg(long)]
        key: Option<String>,
    },
    /// Imports notices (BOAMP CSV or XML, TED eForms XML), essential data (DECP v1/v2 JSON, v2
    /// XML) or the SIAE directory. A folder means every file in it. Rejected records are
    /// listed with their reason; re-importing the same files changes nothing.
    Import {
        /// boamp, eforms, decp or siae.
        #[arg(value_parser = ["boamp", "eforms", "decp", "siae"])]
        kind: String,
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Writes open data: decp (DECP v2 JSON, or XML with --format xml), ocds (OCDS 1.1.5
    /// release package), eforms (the contract notice, subtype 16, of one consultation; with
    /// --award, its contract award notice, subtype 29).
    Export {
        #[arg(value_parser = ["decp", "ocds", "eforms"])]
        kind: String,
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long)]
        out: PathBuf,
        /// decp: json (default) or xml.
        #[arg(long, default_value = "json", value_parser = ["json", "xml"])]
        format: String,
        /// eforms: the consultation's reference, e.g. 2026-0001-00012.
        #[arg(long)]
        consultation: Option<String>,
        /// eforms: the award notice instead of the contract notice.
        #[arg(long)]
        award: bool,
    },
    /// Rebuilds the search index from the store (run it with the server stopped: the index
    /// has one writer).
    Reindex {
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Platform administration from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Checks the whole hash chain; exit 1 and the first broken entry if it was tampered with.
    Verify {
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Creates the first platform administrator (password from HALLE_ADMIN_PASSWORD).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}
