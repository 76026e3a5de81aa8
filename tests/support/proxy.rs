//! A proxy between the engine and the emulator that answers some requests itself: AWS's answers
//! that moto never gives (an organization's denial, a throttle). Everything else is forwarded.
//! One request per connection (`Connection: close` both ways), which the SDK's client handles.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::Arc;

/// What the proxy sees of a request: its method and its path with the query.
#[derive(Debug, Clone)]
pub struct RequestLine {
    pub method: String,
    pub target: String,
}

/// An HTTP response the proxy gives instead of forwarding.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub body: String,
}

impl Canned {
    /// S3's `AccessDenied` (REST-XML error body).
    pub fn s3_access_denied() -> Canned {
        Canned {
            status: 403,
            body: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>PROXY</RequestId></Error>".into(),
        }
    }
}

type Rule = dyn Fn(&RequestLine) -> Option<Canned> + Send + Sync;

#[derive(Debug)]
pub struct Proxy {
    port: u16,
}

impl Proxy {
    /// Listens on a free loopback port until the process ends, forwarding to `upstream_port`
    /// every request `rule` does not answer.
    pub fn start(upstream_port: u16, rule: impl Fn(&RequestLine) -> Option<Canned> + Send + Sync + 'static) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let rule: Arc<Rule> = Arc::new(rule);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let rule = Arc::clone(&rule);
                std::thread::spawn(move || {
                    // A client that went away mid-request is not the test's failure.
                    let _ = serve(client, upstream_port, &*rule);
                });
            }
        });
        Proxy { port }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

fn serve(client: TcpStream, upstream_port: u16, rule: &Rule) -> std::io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(value) = lower.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        assert!(
            !lower.starts_with("transfer-encoding:"),
            "the test proxy forwards only requests with a Content-Length: {line}"
        );
        if !lower.starts_with("connection:") {
            head.push(line);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut parts = head.first().map(|l| l.split_whitespace()).into_iter().flatten();
    let request = RequestLine {
        method: parts.next().unwrap_or_default().to_owned(),
        target: parts.next().unwrap_or_default().to_owned(),
    };
    let mut client = client;
    if let Some(canned) = rule(&request) {
        let answer = format!(
            "HTTP/1.1 {} Canned\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            canned.status,
            canned.body.len(),
            canned.body
        );
        return client.write_all(answer.as_bytes());
    }
    let mut upstream = TcpStream::connect((Ipv4Addr::LOCALHOST, upstream_port))?;
    let mut forwarded = head.concat().into_bytes();
    forwarded.extend_from_slice(b"Connection: close\r\n\r\n");
    forwarded.extend_from_slice(&body);
    upstream.write_all(&forwarded)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    client.write_all(&answer)
}
