//! Starts `moto_server` on a free loopback port and stops it with the test process.

#![allow(unsafe_code)] // prctl(PR_SET_PDEATHSIG) in pre_exec: the only way to never leak the server.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Moto {
    port: u16,
    scheme: &'static str,
}

impl Moto {
    /// Starts a server. The child is spawned from a thread that lives as long as the process,
    /// so PR_SET_PDEATHSIG ends the server when the test binary exits, even on a panic.
    pub fn start() -> Moto {
        Self::start_with(&[], "http")
    }

    /// A server that speaks HTTPS with this certificate and key (PEM files).
    pub fn start_tls(cert: &std::path::Path, key: &std::path::Path) -> Moto {
        let extra = [
            "-c".to_owned(),
            cert.display().to_string(),
            "-k".to_owned(),
            key.display().to_string(),
        ];
        Self::start_with(&extra, "https")
    }

    fn start_with(extra: &[String], scheme: &'static str) -> Moto {
        let binary = moto_binary();
        let port = free_port();
        let (started, spawned) = mpsc::channel::<std::io::Result<()>>();
        let mut args = vec![
            "-H".to_owned(),
            "127.0.0.1".to_owned(),
            "-p".to_owned(),
            port.to_string(),
        ];
        args.extend_from_slice(extra);
        let keeper_binary = binary.clone();
        std::thread::spawn(move || {
            let child = spawn(&keeper_binary, &args);
            let ok = child
                .as_ref()
                .map(|_| ())
                .map_err(|e| std::io::Error::new(e.kind(), e.to_string()));
            let _ = started.send(ok);
            let _child: Option<Child> = child.ok();
            loop {
                std::thread::park();
            }
        });
        match spawned.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!(
                "cannot start {}: {e}. Run ./scripts/test, which installs moto[server].",
                binary.display()
            ),
            Err(e) => panic!("moto keeper thread died: {e}"),
        }
        let moto = Moto { port, scheme };
        moto.wait_until_ready(Duration::from_secs(30));
        moto
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn endpoint(&self) -> String {
        format!("{}://127.0.0.1:{}", self.scheme, self.port)
    }

    fn wait_until_ready(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)) {
                if self.scheme == "https" {
                    return;
                }
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let request = "GET /moto-api/data.json HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
                let mut answer = String::new();
                if stream.write_all(request.as_bytes()).is_ok()
                    && stream.read_to_string(&mut answer).is_ok()
                    && answer.starts_with("HTTP/1")
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("moto_server did not answer on port {} within {limit:?}", self.port);
    }
}

fn spawn(binary: &PathBuf, args: &[String]) -> std::io::Result<Child> {
    let mut command = Command::new(binary);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
    unsafe {
        command.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
            Ok(())
        });
    }
    command.spawn()
}

/// `MOTO_SERVER` if set, else the venv that `scripts/test` installs, else `moto_server` on PATH.
pub fn moto_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")));
    if let Some(venv) = cache.map(|c| c.join("tfstate-wizard/venv/bin/moto_server")) {
        if venv.exists() {
            return venv;
        }
    }
    PathBuf::from("moto_server")
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind a free loopback port");
    listener.local_addr().expect("local address").port()
}
