//! A proxy between the engine and the emulator that answers some requests itself or breaks
//! them: AWS's answers that moto never gives (an organization's denial, a throttle, a 5xx) and
//! the network's faults (a refused connection, a reset mid-answer, a slow or garbled answer).
//! Everything else is forwarded. One request per connection (`Connection: close` both ways),
//! which the SDK's client handles.
//!
//! Requests are matched by operation, as [`Request::operation`] names it: `s3 PUT ?versioning`,
//! `s3 PUT bucket`, `s3 GET object`, `dynamodb CreateTable`, `sts GetCallerIdentity`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the proxy read it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path with the query.
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The name earlier tests use.
pub type RequestLine = Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    S3,
    DynamoDb,
    Sts,
}

/// S3 sub-resources (the query key that selects a bucket's configuration or a listing).
const S3_SUB_RESOURCES: &[&str] = &[
    "versioning",
    "tagging",
    "publicAccessBlock",
    "ownershipControls",
    "encryption",
    "lifecycle",
    "policy",
    "versions",
    "delete",
    "list-type",
    "location",
];

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn service(&self) -> Service {
        if self.header("x-amz-target").is_some() {
            Service::DynamoDb
        } else if self.method == "POST" && form_field(&self.body, "Action").is_some() {
            Service::Sts
        } else {
            Service::S3
        }
    }

    /// DynamoDB: the `X-Amz-Target` operation; STS: the `Action` form field; S3: the method and
    /// the sub-resource (`?versioning`), else what the path names (`service`, `bucket`, `object`).
    pub fn operation(&self) -> String {
        match self.service() {
            Service::DynamoDb => {
                let target = self.header("x-amz-target").unwrap_or_default();
                format!("dynamodb {}", target.rsplit('.').next().unwrap_or(target))
            }
            Service::Sts => format!("sts {}", form_field(&self.body, "Action").unwrap_or_default()),
            Service::S3 => {
                let (path, query) = self.target.split_once('?').unwrap_or((&self.target, ""));
                let keys = query.split('&').map(|pair| pair.split('=').next().unwrap_or(pair));
                let what = match keys.into_iter().find(|k| S3_SUB_RESOURCES.contains(k)) {
                    Some(sub) => format!("?{sub}"),
                    None => match path.trim_start_matches('/').split_once('/') {
                        _ if path == "/" => "service".to_owned(),
                        Some((_, key)) if !key.is_empty() => "object".to_owned(),
                        _ => "bucket".to_owned(),
                    },
                };
                format!("s3 {} {what}", self.method)
            }
        }
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=').map(str::to_owned))
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

    /// An error in the service's own format.
    fn error(service: Service, status: u16, code: &str, message: &str) -> Canned {
        let body = match service {
            Service::S3 => format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>PROXY</RequestId></Error>"),
            Service::Sts => format!("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Receiver</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>PROXY</RequestId></ErrorResponse>"),
            Service::DynamoDb => format!("{{\"__type\":\"com.amazonaws.dynamodb.v20120810#{code}\",\"message\":\"{message}\"}}"),
        };
        Canned { status, body }
    }
}

/// What the proxy does to one request.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answers itself; the request goes no further.
    Answer(Canned),
    /// Drops the connection unanswered and stops listening: every later connection is refused.
    Refuse,
    /// Forwards, then sends half of the answer and resets the connection.
    Reset,
    /// Answers 500 or 503 with the service's error (`InternalError`, `ServiceUnavailable`).
    Status(u16),
    /// Answers the service's throttle: S3 `SlowDown` (503), DynamoDB `ThrottlingException`,
    /// STS `Throttling` (400).
    Throttle,
    /// Forwards, and holds the answer this long.
    Slow(Duration),
    /// Forwards, and replaces the answer's body with text that is not XML or JSON.
    Garble,
}

#[derive(Debug)]
struct Injection {
    operation: String,
    fault: Fault,
    /// How many requests of the operation pass untouched first.
    skip: u32,
    /// How many more requests it applies to.
    left: u32,
}

#[derive(Debug, Default)]
struct Shared {
    injections: Mutex<Vec<Injection>>,
    /// Every request's operation, in order of arrival.
    seen: Mutex<Vec<String>>,
    closed: AtomicBool,
}

type Rule = dyn Fn(&Request) -> Option<Fault> + Send + Sync;

#[derive(Debug)]
pub struct Proxy {
    port: u16,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Listens on a free loopback port until the process ends, forwarding to `upstream_port`
    /// every request `rule` does not answer.
    pub fn start(upstream_port: u16, rule: impl Fn(&Request) -> Option<Canned> + Send + Sync + 'static) -> Proxy {
        Self::with_rule(upstream_port, move |request| rule(request).map(Fault::Answer))
    }

    /// A proxy that forwards everything until faults are injected (see [`Proxy::inject`]).
    pub fn faulty(upstream_port: u16) -> Proxy {
        Self::with_rule(upstream_port, |_| None)
    }

    fn with_rule(upstream_port: u16, rule: impl Fn(&Request) -> Option<Fault> + Send + Sync + 'static) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let rule: Arc<Rule> = Arc::new(rule);
        let shared = Arc::new(Shared::default());
        let accepting = Arc::clone(&shared);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if accepting.closed.load(Ordering::SeqCst) {
                    // Dropping the listener: the port refuses connections from now on.
                    return;
                }
                let (rule, shared) = (Arc::clone(&rule), Arc::clone(&accepting));
                std::thread::spawn(move || {
                    // A client that went away mid-request is not the test's failure.
                    let _ = serve(client, upstream_port, port, &*rule, &shared);
                });
            }
        });
        Proxy { port, shared }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Applies `fault` to the next `times` requests of `operation` (`u32::MAX`: all of them).
    pub fn inject(&self, operation: &str, fault: Fault, times: u32) {
        self.inject_after(operation, 0, fault, times);
    }

    /// [`Proxy::inject`] after `skip` requests of `operation` have passed untouched.
    pub fn inject_after(&self, operation: &str, skip: u32, fault: Fault, times: u32) {
        self.shared.injections.lock().expect("injections").push(Injection {
            operation: operation.to_owned(),
            fault,
            skip,
            left: times,
        });
    }

    /// Removes every injection that is left.
    pub fn clear(&self) {
        self.shared.injections.lock().expect("injections").clear();
    }

    /// How many requests of `operation` have arrived.
    pub fn seen(&self, operation: &str) -> usize {
        self.shared
            .seen
            .lock()
            .expect("seen")
            .iter()
            .filter(|o| *o == operation)
            .count()
    }

    /// Waits until `count` requests of `operation` have arrived; false after `limit`.
    pub fn wait_for(&self, operation: &str, count: usize, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        while self.seen(operation) < count {
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }
}

impl Shared {
    fn take(&self, operation: &str) -> Option<Fault> {
        let mut injections = self.injections.lock().expect("injections");
        let injection = injections.iter_mut().find(|i| i.operation == operation && i.left > 0)?;
        if injection.skip > 0 {
            injection.skip -= 1;
            return None;
        }
        injection.left -= 1;
        Some(injection.fault.clone())
    }
}

fn read_request(client: &TcpStream) -> std::io::Result<Option<Request>> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if line == "\r\n" {
            break;
        }
        lines.push(line);
    }
    let mut parts = lines.first().map(|l| l.split_whitespace()).into_iter().flatten();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let headers: Vec<(String, String)> = lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    assert!(
        !headers.iter().any(|(n, _)| n == "transfer-encoding"),
        "the test proxy forwards only requests with a Content-Length"
    );
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Some(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body,
    }))
}

fn serve(mut client: TcpStream, upstream: u16, own_port: u16, rule: &Rule, shared: &Shared) -> std::io::Result<()> {
    let Some(request) = read_request(&client)? else {
        return Ok(());
    };
    let operation = request.operation();
    shared.seen.lock().expect("seen").push(operation.clone());
    let service = request.service();
    let canned = |canned: Canned| answer(&request, service, &canned);
    match rule(&request).or_else(|| shared.take(&operation)) {
        None => client.write_all(&forward(&request, upstream)?),
        Some(Fault::Answer(c)) => client.write_all(&canned(c)),
        Some(Fault::Status(status)) => {
            let (code, message) = match (service, status) {
                (_, 503) => ("ServiceUnavailable", "Service is unable to handle the request."),
                (Service::S3, _) => ("InternalError", "We encountered an internal error. Please try again."),
                (Service::DynamoDb, _) => ("InternalServerError", "Internal server error"),
                (Service::Sts, _) => ("InternalFailure", "An internal error occurred."),
            };
            client.write_all(&canned(Canned::error(service, status, code, message)))
        }
        Some(Fault::Throttle) => client.write_all(&canned(match service {
            Service::S3 => Canned::error(service, 503, "SlowDown", "Please reduce your request rate."),
            Service::DynamoDb => Canned::error(
                service,
                400,
                "ThrottlingException",
                "Rate of requests exceeds the allowed throughput.",
            ),
            Service::Sts => Canned::error(service, 400, "Throttling", "Rate exceeded"),
        })),
        Some(Fault::Refuse) => {
            shared.closed.store(true, Ordering::SeqCst);
            // Wakes the accept loop, which then drops the listener.
            let _ = TcpStream::connect((Ipv4Addr::LOCALHOST, own_port));
            Ok(())
        }
        Some(Fault::Reset) => {
            let whole = forward(&request, upstream)?;
            client.write_all(&whole[..whole.len() / 2])?;
            client.flush()?;
            reset(&client);
            Ok(())
        }
        Some(Fault::Slow(hold)) => {
            let whole = forward(&request, upstream)?;
            std::thread::sleep(hold);
            client.write_all(&whole)
        }
        Some(Fault::Garble) => {
            let whole = forward(&request, upstream)?;
            client.write_all(&garble(&whole, service))
        }
    }
}

fn answer(request: &Request, service: Service, canned: &Canned) -> Vec<u8> {
    let content_type = match service {
        Service::DynamoDb => "application/x-amz-json-1.0",
        Service::S3 | Service::Sts => "application/xml",
    };
    // A HEAD answer has no body, only its length.
    let body = if request.method == "HEAD" {
        ""
    } else {
        canned.body.as_str()
    };
    format!(
        "HTTP/1.1 {} Canned\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        canned.status,
        body.len(),
    )
    .into_bytes()
}

fn forward(request: &Request, upstream: u16) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect((Ipv4Addr::LOCALHOST, upstream))?;
    let mut forwarded = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (name, value) in request.headers.iter().filter(|(n, _)| n != "connection") {
        forwarded += &format!("{name}: {value}\r\n");
    }
    forwarded += "Connection: close\r\n\r\n";
    let mut bytes = forwarded.into_bytes();
    bytes.extend_from_slice(&request.body);
    upstream.write_all(&bytes)?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer)?;
    Ok(answer)
}

/// The same status and headers, with a body no XML or JSON parser accepts.
fn garble(whole: &[u8], service: Service) -> Vec<u8> {
    let end = whole.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(whole.len());
    let head = String::from_utf8_lossy(&whole[..end]);
    let body = match service {
        Service::DynamoDb => "{\"garbled\": <not JSON",
        Service::S3 | Service::Sts => "<garbled><not XML",
    };
    let mut out = String::new();
    for line in head.split("\r\n") {
        let lower = line.to_ascii_lowercase();
        if !lower.starts_with("content-length:") && !lower.starts_with("transfer-encoding:") {
            out += line;
            out += "\r\n";
        }
    }
    format!("{out}Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// Closes with a TCP reset (SO_LINGER 0) rather than an orderly close.
#[cfg(unix)]
#[allow(unsafe_code)]
fn reset(stream: &TcpStream) {
    use std::os::unix::io::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket descriptor and a `linger` of the size given.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

#[cfg(not(unix))]
fn reset(_: &TcpStream) {}
