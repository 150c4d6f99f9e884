//! Where the data lives: a `--data DIR` (SQLite file and files folder inside), or the
//! configuration file and environment for `halle serve`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Folder for DCE files.
    pub storage: PathBuf,
    pub addr: SocketAddr,
    /// Public address, for links in e-mails.
    pub base_url: String,
    pub max_upload_mb: u64,
    /// Behind HTTPS: mark cookies Secure.
    pub secure_cookies: bool,
    /// The SMTP relay e-mails go to (`smtp://127.0.0.1:25`); preferred to `mail_command`.
    pub smtp_url: Option<String>,
    /// A `sendmail`-compatible command (`/usr/sbin/sendmail -i`); without it nor `smtp_url`,
    /// e-mails stay queued.
    pub mail_command: Option<String>,
    /// The sender address of the portal's e-mails.
    pub mail_from: String,
    /// The OCDS identifier prefix registered for the platform.
    pub ocid_prefix: String,
    /// A drop folder: files put in its `boamp/`, `eforms/`, `decp/` and `siae/` subfolders are
    /// imported by the server, then moved to `importes/` with their report (or `illisibles/`).
    pub import_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config::for_data_dir(Path::new("./halle-data"), "127.0.0.1:8080".parse().expect("valid default address"))
    }
}

impl Config {
    pub fn for_data_dir(dir: &Path, addr: SocketAddr) -> Config {
        Config {
            database_url: format!("sqlite://{}", dir.join("halle.db").display()),
            storage: dir.join("fichiers"),
            addr,
            base_url: format!("http://{addr}"),
            max_upload_mb: 500,
            secure_cookies: false,
            smtp_url: std::env::var("HALLE_SMTP_URL").ok().filter(|c| !c.trim().is_empty()),
            mail_command: std::env::var("HALLE_MAIL_COMMAND").ok().filter(|c| !c.trim().is_empty()),
            mail_from: "ne-pas-repondre@halle.localhost".into(),
            ocid_prefix: app::DEFAULT_OCID_PREFIX.into(),
            import_dir: None,
        }
    }

    /// The file (if any), then `HALLE_DATABASE_URL`, `HALLE_STORAGE`, `HALLE_ADDR` over it.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| format!("{} : {e}", path.display()))?;
                toml::from_str(&text).map_err(|e| format!("{} : {e}", path.display()))?
            }
            None => Config::default(),
        };
        if let Ok(v) = std::env::var("HALLE_DATABASE_URL") {
            config.database_url = v;
        }
        if let Ok(v) = std::env::var("HALLE_STORAGE") {
            config.storage = v.into();
        }
        if let Ok(v) = std::env::var("HALLE_SMTP_URL") {
            config.smtp_url = Some(v).filter(|c| !c.trim().is_empty());
        }
        if let Ok(v) = std::env::var("HALLE_MAIL_COMMAND") {
            config.mail_command = Some(v).filter(|c| !c.trim().is_empty());
        }
        if let Ok(v) = std::env::var("HALLE_ADDR") {
            config.addr = v.parse().map_err(|e| format!("HALLE_ADDR « {v} » : {e}"))?;
        }
        Ok(config)
    }

    /// `--data DIR` if given, else the environment (as `serve` would see it).
    pub fn from_data_or_env(data: Option<&Path>) -> Result<Config, String> {
        match data {
            Some(dir) => Ok(Config::for_data_dir(dir, "127.0.0.1:8080".parse().expect("valid default address"))),
            None => Config::load(None),
        }
    }

    pub fn app_config(&self) -> app::Config {
        app::Config {
            max_upload_bytes: self.max_upload_mb * 1024 * 1024,
            base_url: self.base_url.clone(),
            ocid_prefix: self.ocid_prefix.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_example_configuration_loads() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../halle.example.toml");
        let config = super::Config::load(Some(&path)).unwrap();
        assert!(config.secure_cookies);
        assert_eq!(config.max_upload_mb, 500);
        assert_eq!(config.app_config().max_upload_bytes, 500 * 1024 * 1024);
    }
}
