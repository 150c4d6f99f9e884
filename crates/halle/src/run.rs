use std::process::ExitCode;
use std::sync::Arc;

use app::{App, Mailer, Sendmail, Smtp, SystemClock};
use store::Store;
use vault::Vault;

use crate::cli::{AdminCommand, AuditCommand, Cli, Command};
use crate::config::Config;
use crate::demo;

/// Where `halle demo` keeps the demo buyer's opening secret key, in the data folder.
const DEMO_OPENING_SECRET_FILE: &str = "cle-ouverture-acheteur-demo.txt";

/// A secret readable by its owner only, written whole or not at all.
fn write_secret(path: &std::path::Path, secret: &str) -> Result<(), String> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| format!("{} : {e}", tmp.display()))?;
    f.write_all(format!("{secret}\n").as_bytes()).and_then(|_| f.sync_all()).map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{} : {e}", path.display()))
}

async fn open(config: &Config) -> Result<(Store, Vault), String> {
    if let Some(path) = config.database_url.strip_prefix("sqlite://")
        && let Some(dir) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| format!("{} : {e}", dir.display()))?;
    }
    let store = Store::connect(&config.database_url).await.map_err(|e| format!("base de données : {e}"))?;
    let vault = Vault::open(&config.storage).await.map_err(|e| format!("stockage des fichiers : {e}"))?;
    Ok((store, vault))
}

fn app(config: &Config, store: Store, vault: Vault) -> App {
    App::new(store, vault, Arc::new(SystemClock), config.app_config())
}

/// The search index: `HALLE_INDEX_DIR`, or `index/` beside the files folder.
fn index_dir(config: &Config) -> std::path::PathBuf {
    match std::env::var_os("HALLE_INDEX_DIR").filter(|d| !d.is_empty()) {
        Some(dir) => dir.into(),
        None => config.storage.with_file_name("index"),
    }
}

/// The app with its search index opened (created if missing).
async fn with_index(config: &Config, app: App) -> Result<App, String> {
    let dir = index_dir(config);
    let index = tokio::task::spawn_blocking(move || {
        search::Index::open_or_create(&dir)
            .map_err(|e| format!("{} : {e} (un autre processus Halle l’utilise-t-il ?)", dir.display()))
    })
    .await
    .map_err(|e| e.to_string())??;
    Ok(app.with_search(Arc::new(index)))
}

/// At start, rebuilds the index if it is new or ahead of the database (restored from a
/// backup), catches up with the change feed, then follows it every quarter second: a
/// published consultation is searchable within the second.
async fn start_indexer(app: &App) -> Result<(), String> {
    if app.prepare_index().await.map_err(|e| format!("index de recherche : {e}"))? {
        tracing::info!("search index rebuilt from the store");
    }
    app.index_pending().await.map_err(|e| format!("index de recherche : {e}"))?;
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.index_pending().await {
                tracing::warn!(error = %e, "search indexing round failed");
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    });
    Ok(())
}

/// Hands queued e-mails to the SMTP relay (or the mail transfer agent) every few seconds.
fn spawn_mail_delivery(config: &Config, app: &App) -> Result<(), String> {
    let mailer: Arc<dyn Mailer> = match (&config.smtp_url, config.mail_command.as_deref().and_then(Sendmail::parse)) {
        (Some(url), _) => Arc::new(Smtp::parse(url)?),
        (None, Some(sendmail)) => Arc::new(sendmail),
        (None, None) => {
            tracing::info!("neither smtp_url nor mail_command: e-mails stay queued in the database");
            return Ok(());
        }
    };
    let (app, from) = (app.clone(), config.mail_from.clone());
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.deliver_emails(mailer.clone(), &from).await {
                tracing::warn!(error = %e, "e-mail delivery round failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    });
    Ok(())
}

/// Matches new documents against the saved searches every few seconds, and sends the daily
/// digests once their hour has come.
fn spawn_alerts(app: &App) {
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.run_alerts().await {
                tracing::warn!(error = %e, "saved-search alerts round failed");
            }
            if let Err(e) = app.send_digests().await {
                tracing::warn!(error = %e, "daily digest round failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        }
    });
}

/// Freezes each consultation's deposits as its deadline passes.
fn spawn_deadline_watch(app: &App) {
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.freeze_due_statements().await {
                tracing::warn!(error = %e, "freezing deposit statements failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        }
    });
}

/// Erases the beneficiaries whose retention date has passed, hourly (RGPD).
fn spawn_retention_purge(app: &App) {
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            match app.purge_expired_beneficiaries().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(erased = n, "beneficiaries past their retention date erased"),
                Err(e) => tracing::warn!(error = %e, "retention purge failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}

/// Imports what is dropped in the import folder, every half minute.
fn spawn_drop_folder(config: &Config, app: &App) {
    let Some(dir) = config.import_dir.clone() else { return };
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            match app.import_drop_folder(&dir).await {
                Ok(reports) => {
                    for r in reports {
                        tracing::info!(report = %r.summary(), "import");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "drop folder import failed"),
            }
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        }
    });
}

async fn serve(config: &Config, app: App) -> Result<(), String> {
    app.ensure_test_consultation().await.map_err(|e| format!("consultation de test : {e}"))?;
    spawn_mail_delivery(config, &app)?;
    spawn_alerts(&app);
    spawn_deadline_watch(&app);
    spawn_drop_folder(config, &app);
    spawn_retention_purge(&app);
    start_indexer(&app).await?;
    let router = web::router(app, web::WebConfig { secure_cookies: config.secure_cookies });
    let listener = tokio::net::TcpListener::bind(config.addr).await.map_err(|e| format!("{} : {e}", config.addr))?;
    tracing::info!(addr = %config.addr, "serving");
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    continue;
                }
            },
            _ = &mut stop => return Ok(()),
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // A small read buffer per connection: during a deadline rush hundreds of uploads
            // stream at once, and hyper's default (about 400 KB each) would add up.
            let connection = hyper::server::conn::http1::Builder::new()
                .max_buf_size(READ_BUFFER)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
        });
    }
}

/// hyper's per-connection read buffer cap.
const READ_BUFFER: usize = 64 * 1024;

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

pub async fn run(cli: Cli) -> ExitCode {
    match execute(cli).await {
        Ok(code) => code,
        Err(message) => {
            eprintln!("halle : {message}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Demo { addr, data } => {
            let config = Config::for_data_dir(&data, addr);
            let (store, vault) = open(&config).await?;
            let summary =
                demo::seed(store.clone(), vault.clone(), config.app_config()).await.map_err(|e| e.to_string())?;
            summary.print(&config.addr.to_string());
            let secret_file = data.join(DEMO_OPENING_SECRET_FILE);
            if let Some(secret) = &summary.opening_secret {
                write_secret(&secret_file, secret)?;
            }
            if secret_file.exists() {
                println!(
                    "Clé d’ouverture des plis du compte {} (secrète, pour la démonstration) : {}",
                    demo::BUYER_EMAIL,
                    secret_file.display()
                );
            }
            serve(&config, with_index(&config, app(&config, store, vault)).await?).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { config } => {
            let config = Config::load(config.as_deref())?;
            let (store, vault) = open(&config).await?;
            serve(&config, with_index(&config, app(&config, store, vault)).await?).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { command: AuditCommand::Verify { data } } => {
            let config = Config::from_data_or_env(data.as_deref())?;
            let (store, vault) = open(&config).await?;
            match app(&config, store, vault).verify_audit().await.map_err(|e| e.to_string())? {
                Ok(n) => {
                    println!("Journal d’audit intègre : {n} entrées vérifiées.");
                    Ok(ExitCode::SUCCESS)
                }
                Err(broken) => {
                    println!(
                        "Journal d’audit ALTÉRÉ : première entrée invalide n° {} ({}).",
                        broken.seq, broken.reason
                    );
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Import { kind, data, paths } => {
            let config = Config::from_data_or_env(data.as_deref())?;
            let kind = app::ImportKind::parse(&kind)?;
            let (store, vault) = open(&config).await?;
            crate::import::run(&app(&config, store, vault), kind, &paths).await
        }
        Command::Export { kind, data, out, format, consultation, award } => {
            let config = Config::from_data_or_env(data.as_deref())?;
            let (store, vault) = open(&config).await?;
            let app = app(&config, store, vault);
            let bytes = match kind.as_str() {
                "ocds" => app.ocds_package().await,
                "decp" => app.decp_export(format == "xml").await,
                _ => {
                    let reference = consultation.ok_or("indiquez la consultation : --consultation RÉFÉRENCE")?;
                    app.eforms_notice(&reference, award).await
                }
            }
            .map_err(|e| match e {
                app::AppError::Conflict(m) => m,
                app::AppError::NotFound => "consultation introuvable ou non publiée".into(),
                other => other.to_string(),
            })?;
            crate::export::write_atomically(&out, &bytes)?;
            println!("{} : {} octets écrits.", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        Command::Reindex { data } => {
            let config = Config::from_data_or_env(data.as_deref())?;
            let (store, vault) = open(&config).await?;
            let app = with_index(&config, app(&config, store, vault)).await?;
            let n = app.reindex().await.map_err(|e| format!("index de recherche : {e}"))?;
            println!(
                "Index de recherche reconstruit : {n} document{} ({}).",
                if n > 1 { "s" } else { "" },
                index_dir(&config).display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyReceipt { file, key } => crate::verify_receipt::run(&file, key.as_deref()),
        Command::Admin { command: AdminCommand::Create { email, name, data } } => {
            let config = Config::from_data_or_env(data.as_deref())?;
            let password = std::env::var("HALLE_ADMIN_PASSWORD")
                .map_err(|_| "indiquez le mot de passe dans la variable HALLE_ADMIN_PASSWORD".to_string())?;
            let (store, vault) = open(&config).await?;
            app(&config, store, vault).bootstrap_admin(&email, &name, &password).await.map_err(|e| e.to_string())?;
            println!("Administrateur {email} créé.");
            Ok(ExitCode::SUCCESS)
        }
    }
}
