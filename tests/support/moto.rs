//! Starts `moto_server` on a free loopback port and stops it when dropped, or with the process.

// prctl(PR_SET_PDEATHSIG) in pre_exec: on Linux, the only way to never leak the server.
#![cfg_attr(unix, allow(unsafe_code))]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Moto {
    port: u16,
    scheme: &'static str,
    /// Dropped to stop the server; the keeper thread then kills it, waits for it and ends.
    stop: Option<mpsc::Sender<()>>,
    keeper: Option<std::thread::JoinHandle<()>>,
}

impl Moto {
    /// Starts a server. The child is spawned from a thread that lives as long as the server, so
    /// PR_SET_PDEATHSIG ends the server when the process exits, even on a panic or a SIGKILL (a
    /// `Moto` in a static is never dropped). Dropping a `Moto` stops its server and waits for it.
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
        let (stop, stop_requested) = mpsc::channel::<()>();
        let mut args = vec![
            "-H".to_owned(),
            "127.0.0.1".to_owned(),
            "-p".to_owned(),
            port.to_string(),
        ];
        args.extend_from_slice(extra);
        let keeper_binary = binary.clone();
        let keeper = std::thread::spawn(move || {
            let child = spawn(&keeper_binary, &args);
            let ok = child
                .as_ref()
                .map(|_| ())
                .map_err(|e| std::io::Error::new(e.kind(), e.to_string()));
            let _ = started.send(ok);
            let Ok(mut child) = child else { return };
            // Returns when the `Moto` is dropped (its sender goes away).
            let _ = stop_requested.recv();
            let _ = child.kill();
            let _ = child.wait();
        });
        match spawned.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => panic!(
                "cannot start {}: {e}. Run ./scripts/test, which installs moto[server].",
                binary.display()
            ),
            Err(e) => panic!("moto keeper thread died: {e}"),
        }
        let moto = Moto {
            port,
            scheme,
            stop: Some(stop),
            keeper: Some(keeper),
        };
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

impl Drop for Moto {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(keeper) = self.keeper.take() {
            let _ = keeper.join();
        }
    }
}

fn spawn(binary: &PathBuf, args: &[String]) -> std::io::Result<Child> {
    let mut command = Command::new(binary);
    command
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    end_with_this_process(&mut command);
    command.spawn()
}

/// The server gets SIGTERM when this process ends, however it ends (Linux). Elsewhere (the
/// macOS and Windows CI jobs) a server is stopped when its `Moto` is dropped, and one held in a
/// static outlives the test process until the runner ends.
fn end_with_this_process(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl, sigemptyset and pthread_sigmask are async-signal-safe and touch only
        // the child's own stack. The mask is cleared because a caller may block the stop
        // signals (as `tfstate-sandbox` does) and an exec keeps the mask: the server would
        // ignore SIGTERM.
        unsafe {
            command.pre_exec(|| {
                let mut none: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut none);
                libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// `MOTO_SERVER` if set, else the venv that `scripts/test` installs, else `moto_server` on PATH.
pub fn moto_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")));
    let in_venv = if cfg!(windows) {
        "tfstate-wizard/venv/Scripts/moto_server.exe"
    } else {
        "tfstate-wizard/venv/bin/moto_server"
    };
    if let Some(venv) = cache.map(|c| c.join(in_venv)) {
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
