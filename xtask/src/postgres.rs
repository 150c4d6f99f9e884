//! A throw-away PostgreSQL cluster from Debian's `postgresql` package: initdb in a temporary
//! directory, trust auth, listening on 127.0.0.1 on a free port, stopped and removed on drop.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::{Result, apt, http::free_port, shell::is_root, shell::run, tmp::TempDir};

const SUPERUSER: &str = "postgres";

pub struct Cluster {
    bin: PathBuf,
    port: u16,
    running: bool,
    // Dropped (removed) after `Drop::drop` has stopped the server.
    dir: TempDir,
}

impl Cluster {
    /// Installs PostgreSQL if needed, then initialises and starts a fresh cluster.
    pub fn start() -> Result<Cluster> {
        apt::ensure("PostgreSQL server", &["postgresql"], || bin_dir().is_some())?;
        let bin = bin_dir().ok_or("no /usr/lib/postgresql/*/bin/initdb")?;
        let dir = TempDir::new("pg")?;
        let mut cluster = Cluster { bin, port: 0, running: false, dir };
        fs::create_dir(cluster.socket_dir())?;
        if is_root() {
            // initdb refuses to run as root: the cluster belongs to the `postgres` system user.
            run(Command::new("chown").arg("-R").arg(format!("{SUPERUSER}:")).arg(cluster.dir.path()))?;
        }
        run(cluster
            .server_tool("initdb")
            .args(["--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"])
            .arg(format!("--username={SUPERUSER}"))
            .arg("--pgdata")
            .arg(cluster.data_dir())
            .stdout(Stdio::null()))?;
        cluster.start_server()?;
        Ok(cluster)
    }

    /// The URL of database `name` for the superuser.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{name}", self.port)
    }

    pub fn create_database(&self, name: &str) -> Result {
        run(self.client_tool("createdb").arg(name))
    }

    /// A client tool (`psql`, `createdb`…) connected to this cluster.
    pub fn client_tool(&self, tool: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(tool));
        cmd.args(["--host", "127.0.0.1", "--port", &self.port.to_string()]).args(["--username", SUPERUSER]);
        cmd
    }

    fn start_server(&mut self) -> Result {
        // The free port may be taken between our probe and the server's bind: try a few.
        let mut last_error = None;
        for _ in 0..3 {
            self.port = free_port()?;
            let options = format!(
                "-h 127.0.0.1 -p {} -k {} -F -c synchronous_commit=off -c full_page_writes=off \
                 -c max_connections=200",
                self.port,
                self.socket_dir().display()
            );
            let started = run(self
                .server_tool("pg_ctl")
                .args(["start", "--wait", "--timeout=60", "--silent"])
                .arg("--pgdata")
                .arg(self.data_dir())
                .arg("--log")
                .arg(self.log_file())
                .arg("-o")
                .arg(options));
            match started {
                Ok(()) => {
                    self.running = true;
                    eprintln!("xtask: PostgreSQL listening on 127.0.0.1:{}", self.port);
                    return Ok(());
                }
                Err(error) => {
                    eprintln!("{}", fs::read_to_string(self.log_file()).unwrap_or_default());
                    last_error = Some(error);
                }
            }
        }
        Err(last_error.unwrap_or_else(|| "PostgreSQL did not start".into()))
    }

    fn stop(&mut self) {
        if !self.running {
            return;
        }
        self.running = false;
        let stopped = run(self
            .server_tool("pg_ctl")
            .args(["stop", "--wait", "--timeout=30", "--silent", "--mode=fast"])
            .arg("--pgdata")
            .arg(self.data_dir()));
        if stopped.is_err() {
            // Last resort: kill the postmaster named in its pid file; its children follow it.
            let pid_file = fs::read_to_string(self.data_dir().join("postmaster.pid"));
            if let Some(pid) = pid_file.ok().as_deref().and_then(|s| s.lines().next()) {
                let _ = run(Command::new("kill").args(["-KILL", pid.trim()]));
            }
        }
    }

    /// A server tool, run as the `postgres` user when we are root.
    fn server_tool(&self, tool: &str) -> Command {
        let program = self.bin.join(tool);
        let mut cmd = if is_root() {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", SUPERUSER, "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // The postgres user may not be allowed into our working directory.
        cmd.current_dir(self.dir.path());
        cmd
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("socket")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn bin_dir() -> Option<PathBuf> {
    let base = Path::new("/usr/lib/postgresql");
    fs::read_dir(base)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let version: Vec<u32> = name.split('.').map(|part| part.parse().ok()).collect::<Option<_>>()?;
            let bin = base.join(&name).join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
}
