//! A PostgreSQL server a test can take down and bring back under a running gateway.
//!
//! Preferably a server of the test's own: `initdb` into a temporary folder and `pg_ctl` on a
//! free port (as the `postgres` user when the test runs as root, since `initdb` refuses root).
//! Where no PostgreSQL binaries are installed but `TEST_DATABASE_URL` is set, a TCP proxy in
//! front of that server stands in: "down" closes its port and cuts every open connection.
//!
//! The binaries are found at run time: `PG_BIN` (when set, the only place looked at), then
//! `pg_config --bindir`, `PATH`, and the usual versioned install folders, newest first.

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// The folder holding `initdb` and `pg_ctl`, if any.
pub fn bin_dir() -> Option<PathBuf> {
    let usable = |d: &Path| d.join("initdb").is_file() && d.join("pg_ctl").is_file();
    if let Some(d) = std::env::var_os("PG_BIN") {
        let d = PathBuf::from(d);
        return usable(&d).then_some(d);
    }
    let mut candidates = Vec::new();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    // Debian / Ubuntu (`/usr/lib/postgresql/15/bin`) and RHEL (`/usr/pgsql-15/bin`) layouts.
    for (root, prefix) in [("/usr/lib/postgresql", ""), ("/usr", "pgsql-")] {
        let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(root)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let major = name.strip_prefix(prefix)?.split('.').next()?.parse().ok()?;
                Some((major, e.path().join("bin")))
            })
            .collect();
        versions.sort_by_key(|v| std::cmp::Reverse(v.0));
        candidates.extend(versions.into_iter().map(|(_, p)| p));
    }
    candidates.push(PathBuf::from("/usr/local/pgsql/bin"));
    candidates.into_iter().find(|d| usable(d))
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn id(args: &[&str]) -> Option<u32> {
    let out = Command::new("id").args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// How the server's commands run: as this user, or as another one when this is root.
#[derive(Debug, Clone)]
enum RunAs {
    Me,
    Runuser(String),
    Su(String),
}

impl RunAs {
    fn detect() -> Result<RunAs, String> {
        if id(&["-u"]) != Some(0) {
            return Ok(RunAs::Me);
        }
        let user = "postgres".to_owned();
        if id(&["-u", &user]).is_none() {
            return Err("running as root and there is no `postgres` user to run initdb".into());
        }
        Ok(if on_path("runuser") {
            RunAs::Runuser(user)
        } else {
            RunAs::Su(user)
        })
    }

    fn command(&self, program: &Path, args: &[String]) -> Command {
        match self {
            RunAs::Me => {
                let mut c = Command::new(program);
                c.args(args);
                c
            }
            RunAs::Runuser(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(program).args(args);
                c
            }
            RunAs::Su(user) => {
                let line = std::iter::once(program.display().to_string())
                    .chain(args.iter().cloned())
                    .map(|a| quote(&a))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut c = Command::new("su");
                c.args(["-s", "/bin/sh", user, "-c", &line]);
                c
            }
        }
    }

    /// Hands `dir` to the user the server runs as.
    fn own(&self, dir: &Path) -> Result<(), String> {
        let user = match self {
            RunAs::Me => return Ok(()),
            RunAs::Runuser(u) | RunAs::Su(u) => u,
        };
        let uid = id(&["-u", user]);
        let gid = id(&["-g", user]);
        std::os::unix::fs::chown(dir, uid, gid)
            .map_err(|e| format!("chown {} to {user}: {e}", dir.display()))
    }
}

fn run(mut cmd: Command, what: &str) -> Result<(), String> {
    let out = cmd.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("free port: {e}"))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("free port: {e}"))
}

/// A PostgreSQL server of the test's own in a temporary folder, stopped and removed on drop.
#[derive(Debug)]
pub struct PgServer {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    run_as: RunAs,
}

impl PgServer {
    /// Initialises and starts a server with the binaries in `bin` (trust authentication,
    /// superuser `postgres`, listening on 127.0.0.1 only, its socket in its own folder).
    pub fn start(bin: &Path) -> Result<PgServer, String> {
        let run_as = RunAs::detect()?;
        let dir =
            std::env::temp_dir().join(format!("gateway_pg_{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("create {}: {e}", dir.display()))?;
        let mut server = PgServer {
            bin: bin.to_path_buf(),
            port: free_port()?,
            dir,
            run_as,
        };
        server.run_as.own(&server.dir)?;
        let args = [
            "-D",
            &server.data().display().to_string(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ]
        .map(str::to_owned);
        let mut initdb = server.run_as.command(&server.bin.join("initdb"), &args);
        // A folder the server's user may enter (the test's may be private to another user).
        initdb.current_dir(&server.dir);
        run(initdb, "initdb")?;
        // Another process may take the free port before the server binds it: try a few.
        let mut last = String::new();
        for _ in 0..3 {
            match server.start_again() {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
            server.port = free_port()?;
        }
        Err(last)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn ctl(&self, args: &[&str]) -> Command {
        let mut all = vec!["-D".to_owned(), self.data().display().to_string()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        let mut cmd = self.run_as.command(&self.bin.join("pg_ctl"), &all);
        cmd.current_dir(&self.dir);
        cmd
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start_cmd(&self) -> Command {
        // No fsync: the data only has to survive a server crash, not a machine crash.
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log").display().to_string();
        self.ctl(&["-l", &log, "-o", &opts, "-w", "-t", "60", "start"])
    }

    /// `-m immediate`: no goodbye to its clients, crash recovery on the next start.
    fn stop_cmd(&self) -> Command {
        self.ctl(&["-m", "immediate", "-w", "-t", "60", "stop"])
    }

    /// Starts the server (again) on the same data folder and port, waiting until it accepts.
    pub fn start_again(&self) -> Result<(), String> {
        run(self.start_cmd(), "pg_ctl start")
    }

    /// Kills the server at once.
    pub fn stop_immediate(&self) -> Result<(), String> {
        run(self.stop_cmd(), "pg_ctl stop")
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.stop_cmd().output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A TCP proxy in front of a PostgreSQL server: while down its port refuses connections and
/// the connections it carried are cut.
#[derive(Debug)]
pub struct PgProxy {
    url: String,
    up: watch::Sender<bool>,
}

impl PgProxy {
    /// A proxy in front of the server of `url`; its own URL is `url` with the proxy's address.
    pub async fn start(url: &str) -> Result<PgProxy, String> {
        let mut parsed = reqwest::Url::parse(url).map_err(|e| format!("parse {url}: {e}"))?;
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| format!("{url} names no host"))?
            .to_owned();
        let upstream = format!("{host}:{}", parsed.port().unwrap_or(5432));
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| format!("bind proxy: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("proxy address: {e}"))?;
        parsed
            .set_host(Some("127.0.0.1"))
            .map_err(|e| format!("proxy url: {e}"))?;
        parsed
            .set_port(Some(addr.port()))
            .map_err(|()| "proxy url: no port".to_owned())?;
        let (up, rx) = watch::channel(true);
        tokio::spawn(proxy(listener, addr, upstream, rx));
        Ok(PgProxy {
            url: parsed.to_string(),
            up,
        })
    }

    /// The URL through the proxy.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Closes the port and cuts every connection (`false`), or opens the port again (`true`).
    pub fn set_up(&self, up: bool) {
        self.up.send_replace(up);
    }
}

async fn proxy(
    listener: TcpListener,
    addr: std::net::SocketAddr,
    upstream: String,
    mut up: watch::Receiver<bool>,
) {
    let watcher = up.clone();
    let mut listener = Some(listener);
    loop {
        let Some(l) = listener.take() else {
            if up.wait_for(|u| *u).await.is_err() {
                return;
            }
            // The same port again (SO_REUSEADDR is set by tokio); retry while it lingers.
            match TcpListener::bind(addr).await {
                Ok(l) => listener = Some(l),
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
            continue;
        };
        tokio::select! {
            accepted = l.accept() => {
                if let Ok((client, _)) = accepted {
                    tokio::spawn(forward(client, upstream.clone(), watcher.clone()));
                }
                listener = Some(l);
            }
            down = up.wait_for(|u| !*u) => {
                if down.is_err() {
                    return;
                }
                // Dropping the listener refuses new connections.
            }
        }
    }
}

async fn forward(mut client: TcpStream, upstream: String, mut up: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(&upstream).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = up.wait_for(|u| !*u) => {}
    }
}

/// A PostgreSQL server a test can take down: its own, or a proxy in front of
/// `TEST_DATABASE_URL`.
#[derive(Debug)]
pub enum Downable {
    /// A server of the test's own.
    Server(PgServer),
    /// A proxy in front of a shared server.
    Proxy(PgProxy),
}

impl Downable {
    /// A server of the test's own when the binaries are installed, else a proxy in front of
    /// `TEST_DATABASE_URL`; `None` when neither is available (the caller skips). Panics when
    /// the binaries exist but the server does not start.
    pub async fn new() -> Option<Downable> {
        let shared = std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        if let Some(bin) = bin_dir() {
            let server = tokio::task::spawn_blocking(move || PgServer::start(&bin))
                .await
                .unwrap_or_else(|e| panic!("start PostgreSQL: {e}"))
                .unwrap_or_else(|e| panic!("start PostgreSQL: {e}"));
            return Some(Downable::Server(server));
        }
        let url = shared?;
        let proxy = PgProxy::start(&url)
            .await
            .unwrap_or_else(|e| panic!("proxy to TEST_DATABASE_URL: {e}"));
        Some(Downable::Proxy(proxy))
    }

    /// What it is, for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            Downable::Server(_) => "own PostgreSQL server",
            Downable::Proxy(_) => "proxy to TEST_DATABASE_URL",
        }
    }

    /// The URL of a database on it that a test may create databases from.
    pub fn url(&self) -> String {
        match self {
            Downable::Server(s) => s.url(),
            Downable::Proxy(p) => p.url().to_owned(),
        }
    }

    /// Takes the server down at once.
    pub async fn down(&self) {
        match self {
            Downable::Server(s) => blocking(s.stop_cmd(), "pg_ctl stop").await,
            Downable::Proxy(p) => p.set_up(false),
        }
    }

    /// Brings the server back (same data, same port).
    pub async fn up(&self) {
        match self {
            Downable::Server(s) => blocking(s.start_cmd(), "pg_ctl start").await,
            Downable::Proxy(p) => p.set_up(true),
        }
    }
}

async fn blocking(cmd: Command, what: &'static str) {
    tokio::task::spawn_blocking(move || run(cmd, what))
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
        .unwrap_or_else(|e| panic!("{e}"));
}
