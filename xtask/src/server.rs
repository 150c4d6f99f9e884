//! `halle demo` from the release build, on a free port with a temporary data folder; stopped on
//! drop.

use std::{
    fs::{self, File},
    net::{Ipv4Addr, SocketAddr},
    path::PathBuf,
    process::{Child, Command, Stdio},
    thread,
    time::{Duration, Instant},
};

use crate::{
    Result,
    http::{Client, free_port},
    shell::{cargo, run, target_dir},
    signal,
    tmp::TempDir,
};

const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// `cargo build --release -p halle`.
pub fn build_release() -> Result {
    run(cargo().args(["build", "--release", "--package", "halle"]))
}

pub struct DemoServer {
    child: Child,
    addr: SocketAddr,
    // Dropped (removed) after `Drop::drop` has stopped the server.
    dir: TempDir,
}

impl DemoServer {
    /// Starts the server and waits until `GET /healthz` answers `ok`.
    pub fn start() -> Result<DemoServer> {
        let binary = target_dir().join("release").join("halle");
        let dir = TempDir::new("demo")?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, free_port()?));
        let log = File::create(dir.path().join("server.log"))?;
        let mut cmd = Command::new(&binary);
        cmd.arg("demo")
            .arg("--addr")
            .arg(addr.to_string())
            .arg("--data")
            .arg(dir.path().join("data"))
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        eprintln!("$ {} demo --addr {addr} --data {}", binary.display(), dir.path().join("data").display());
        let child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut server = DemoServer { child, addr, dir };
        if let Err(error) = server.wait_ready() {
            server.print_log();
            return Err(error);
        }
        eprintln!("xtask: halle demo ready at {}", server.base_url());
        Ok(server)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's data folder (SQLite database and files), inside the temporary folder.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Resets the server's peak resident set size (`VmHWM`) to its current one, so that a later
    /// [`DemoServer::peak_rss_kb`] tells the peak since now (`clear_refs`, Linux 4.0 and later).
    pub fn reset_peak_rss(&self) -> bool {
        fs::write(format!("/proc/{}/clear_refs", self.child.id()), "5").is_ok()
    }

    /// The server's peak resident set size so far, in kB (`VmHWM`).
    pub fn peak_rss_kb(&self) -> Option<u64> {
        self.status_kb("VmHWM:")
    }

    /// The server's resident set size now, in kB (`VmRSS`).
    pub fn rss_kb(&self) -> Option<u64> {
        self.status_kb("VmRSS:")
    }

    fn status_kb(&self, field: &str) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|line| line.strip_prefix(field))?.split_whitespace().next()?.parse().ok()
    }

    /// Prints the end of the server's output, to explain a failure.
    pub fn print_log(&self) {
        let log = fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = &lines[lines.len().saturating_sub(60)..];
        eprintln!("---- last lines of the halle demo log ----");
        for line in tail {
            eprintln!("{line}");
        }
        eprintln!("------------------------------------------");
    }

    fn wait_ready(&mut self) -> Result {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Err(format!("halle demo exited before it was ready ({status})").into());
            }
            if let Ok(response) = Client::new(self.addr).get("/healthz")
                && response.is_success()
                && response.body.trim() == "ok"
            {
                return Ok(());
            }
            if signal::interrupted() {
                return Err("interrupted".into());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!("GET /healthz did not answer `ok` within {}s", READY_TIMEOUT.as_secs()).into());
            }
            thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        // SIGTERM first so that the server can shut down cleanly, SIGKILL after 10 s.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
