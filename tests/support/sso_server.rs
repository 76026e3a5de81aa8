//! A test-only IAM Identity Center: the SSO OIDC API (RegisterClient, StartDeviceAuthorization,
//! CreateToken with pending / slow_down / expired / denied / approved answers, refresh tokens)
//! and the access portal (ListAccounts, ListAccountRoles a page at a time, GetRoleCredentials),
//! speaking their JSON on a free loopback port. moto has neither. Role credentials are real
//! moto keys, from AssumeRole into the account and role asked for, so STS answers as that role.
//! One request per connection (`Connection: close`), like `proxy.rs`.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{json, Value};

/// One answer of CreateToken to a device code, in the order a person's sign-in produces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Pending,
    SlowDown,
    Expired,
    Denied,
    Approve,
}

#[derive(Debug, Clone)]
struct Account {
    id: String,
    name: String,
    email: String,
    roles: Vec<String>,
}

#[derive(Debug, Default)]
struct State {
    /// CreateToken's answers for the device authorizations of a start URL (default: pending, approve).
    scripts: HashMap<String, VecDeque<Answer>>,
    /// device code → (start URL, answers left)
    devices: HashMap<String, (String, VecDeque<Answer>)>,
    clients: HashMap<String, String>,
    /// access token → start URL
    tokens: HashMap<String, String>,
    /// refresh token → start URL
    refresh_tokens: HashMap<String, String>,
    accounts: Vec<Account>,
    /// (operation, start URL or "")
    calls: Vec<(String, String)>,
    next: u64,
    token_seconds: i64,
}

impl State {
    fn id(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}-{}", self.next)
    }
}

#[derive(Debug, Clone)]
pub struct SsoServer {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl SsoServer {
    /// Serves until the process ends; role credentials come from moto at `moto_endpoint`.
    pub fn start(moto_endpoint: &str) -> SsoServer {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the SSO server");
        let port = listener.local_addr().expect("address").port();
        let state = Arc::new(Mutex::new(State {
            token_seconds: 3600,
            ..State::default()
        }));
        let moto = moto_endpoint.trim_start_matches("http://").to_owned();
        let shared = Arc::clone(&state);
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (state, moto) = (Arc::clone(&shared), moto.clone());
                // A client that went away mid-request is not the test's failure.
                std::thread::spawn(move || serve(client, &state, &moto));
            }
        });
        SsoServer { port, state }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An account the portal lists, with the roles a signed-in person may use in it.
    pub fn add_account(&self, id: &str, name: &str, roles: &[&str]) {
        self.lock().accounts.push(Account {
            id: id.to_owned(),
            name: name.to_owned(),
            email: format!("aws+{id}@example.com"),
            roles: roles.iter().map(|r| (*r).to_owned()).collect(),
        });
    }

    /// How CreateToken answers the sign-ins to `start_url` from now on.
    pub fn script(&self, start_url: &str, answers: &[Answer]) {
        self.lock()
            .scripts
            .insert(start_url.to_owned(), answers.iter().copied().collect());
    }

    /// The operations called for `start_url`, in order.
    pub fn calls(&self, start_url: &str) -> Vec<String> {
        self.lock()
            .calls
            .iter()
            .filter(|(_, url)| url == start_url)
            .map(|(op, _)| op.clone())
            .collect()
    }

    /// The portal stops accepting the tokens issued for `start_url` (a sign-out, a revocation).
    pub fn revoke_tokens(&self, start_url: &str) {
        self.lock().tokens.retain(|_, url| url != start_url);
    }
}

struct Reply {
    status: u16,
    body: Value,
    error_type: Option<&'static str>,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        body,
        error_type: None,
    }
}

fn fail(status: u16, error_type: &'static str, oauth_error: &str) -> Reply {
    Reply {
        status,
        body: json!({ "error": oauth_error, "error_description": error_type, "message": error_type }),
        error_type: Some(error_type),
    }
}

fn serve(client: TcpStream, state: &Mutex<State>, moto: &str) {
    let Ok(reader) = client.try_clone() else { return };
    let mut reader = BufReader::new(reader);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let query: HashMap<String, String> = query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let bearer = headers.get("x-amz-sso_bearer_token").cloned().unwrap_or_default();
    let reply = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        route(&mut state, method, path, &query, &bearer, &body, moto)
    };
    let text = reply.body.to_string();
    let error_type = reply
        .error_type
        .map(|t| format!("x-amzn-ErrorType: {t}\r\n"))
        .unwrap_or_default();
    let answer = format!(
        "HTTP/1.1 {} SSO\r\nContent-Type: application/json\r\n{error_type}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
        reply.status,
        text.len()
    );
    let mut client = client;
    let _ = client.write_all(answer.as_bytes());
}

fn route(
    state: &mut State,
    method: &str,
    path: &str,
    query: &HashMap<String, String>,
    bearer: &str,
    body: &Value,
    moto: &str,
) -> Reply {
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    match (method, path) {
        ("POST", "/client/register") => {
            let (id, secret) = (state.id("client"), state.id("client-secret"));
            state.clients.insert(id.clone(), secret.clone());
            state.calls.push(("RegisterClient".into(), String::new()));
            ok(
                json!({ "clientId": id, "clientSecret": secret, "clientIdIssuedAt": 1_700_000_000i64, "clientSecretExpiresAt": 4_102_444_800i64 }),
            )
        }
        ("POST", "/device_authorization") => {
            let start_url = field("startUrl");
            if state.clients.get(&field("clientId")) != Some(&field("clientSecret")) {
                return fail(400, "InvalidClientException", "invalid_client");
            }
            let script = state
                .scripts
                .get(&start_url)
                .cloned()
                .unwrap_or_else(|| [Answer::Pending, Answer::Approve].into());
            let device = state.id("device-code");
            let user_code = format!("ABCD-{:04}", state.next);
            state.devices.insert(device.clone(), (start_url.clone(), script));
            state.calls.push(("StartDeviceAuthorization".into(), start_url));
            ok(json!({
                "deviceCode": device, "userCode": user_code,
                "verificationUri": "https://device.sso.example/", "verificationUriComplete": format!("https://device.sso.example/?user_code={user_code}"),
                "expiresIn": 600, "interval": 1
            }))
        }
        ("POST", "/token") => create_token(state, body),
        ("GET", "/assignment/accounts") => {
            let Some(start_url) = state.tokens.get(bearer).cloned() else {
                return fail(401, "UnauthorizedException", "unauthorized");
            };
            state.calls.push(("ListAccounts".into(), start_url));
            let list: Vec<Value> = state
                .accounts
                .iter()
                .map(|a| json!({ "accountId": a.id, "accountName": a.name, "emailAddress": a.email }))
                .collect();
            page(list, query, "accountList")
        }
        ("GET", "/assignment/roles") => {
            let Some(start_url) = state.tokens.get(bearer).cloned() else {
                return fail(401, "UnauthorizedException", "unauthorized");
            };
            state.calls.push(("ListAccountRoles".into(), start_url));
            let account = query.get("account_id").cloned().unwrap_or_default();
            let list: Vec<Value> = state
                .accounts
                .iter()
                .filter(|a| a.id == account)
                .flat_map(|a| a.roles.iter().map(move |r| json!({ "roleName": r, "accountId": a.id })))
                .collect();
            page(list, query, "roleList")
        }
        ("GET", "/federation/credentials") => {
            let Some(start_url) = state.tokens.get(bearer).cloned() else {
                return fail(401, "UnauthorizedException", "unauthorized");
            };
            state.calls.push(("GetRoleCredentials".into(), start_url));
            let (account, role) = (
                query.get("account_id").cloned().unwrap_or_default(),
                query.get("role_name").cloned().unwrap_or_default(),
            );
            match assume_role(moto, &account, &role) {
                Some([key, secret, session]) => ok(json!({ "roleCredentials": {
                    "accessKeyId": key, "secretAccessKey": secret, "sessionToken": session,
                    "expiration": (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0) + 3_600_000) as i64
                }})),
                None => fail(500, "InternalServerException", "moto did not assume the role"),
            }
        }
        _ => fail(404, "ResourceNotFoundException", "not_found"),
    }
}

fn create_token(state: &mut State, body: &Value) -> Reply {
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    if state.clients.get(&field("clientId")) != Some(&field("clientSecret")) {
        return fail(400, "InvalidClientException", "invalid_client");
    }
    let start_url = match field("grantType").as_str() {
        "refresh_token" => match state.refresh_tokens.get(&field("refreshToken")).cloned() {
            Some(url) => {
                state.calls.push(("CreateToken(refresh_token)".into(), url.clone()));
                url
            }
            None => return fail(400, "InvalidGrantException", "invalid_grant"),
        },
        "urn:ietf:params:oauth:grant-type:device_code" => {
            let Some((url, answers)) = state.devices.get_mut(&field("deviceCode")) else {
                return fail(400, "InvalidGrantException", "invalid_grant");
            };
            let url = url.clone();
            let answer = answers.pop_front().unwrap_or(Answer::Expired);
            state.calls.push((format!("CreateToken({answer:?})"), url.clone()));
            match answer {
                Answer::Pending => return fail(400, "AuthorizationPendingException", "authorization_pending"),
                Answer::SlowDown => return fail(400, "SlowDownException", "slow_down"),
                Answer::Expired => return fail(400, "ExpiredTokenException", "expired_token"),
                Answer::Denied => return fail(400, "AccessDeniedException", "access_denied"),
                Answer::Approve => url,
            }
        }
        _ => return fail(400, "UnsupportedGrantTypeException", "unsupported_grant_type"),
    };
    let (access, refresh) = (state.id("access-token"), state.id("refresh-token"));
    state.tokens.insert(access.clone(), start_url.clone());
    state.refresh_tokens.insert(refresh.clone(), start_url);
    ok(
        json!({ "accessToken": access, "tokenType": "Bearer", "expiresIn": state.token_seconds, "refreshToken": refresh }),
    )
}

/// One item a page, so every caller must follow `nextToken`.
fn page(list: Vec<Value>, query: &HashMap<String, String>, key: &str) -> Reply {
    let at: usize = query.get("next_token").and_then(|t| t.parse().ok()).unwrap_or(0);
    let mut body = json!({ key: list.get(at).cloned().into_iter().collect::<Vec<_>>() });
    if at + 1 < list.len() {
        body["nextToken"] = json!((at + 1).to_string());
    }
    ok(body)
}

/// moto routes an unsigned-looking request by the service in its credential scope.
const STS_AUTHORIZATION: &str = "Authorization: AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0";

/// moto's AssumeRole into `arn:aws:iam::<account>:role/<role>`: its keys act as that role.
fn assume_role(moto: &str, account: &str, role: &str) -> Option<[String; 3]> {
    let form = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleSessionName=sso&RoleArn=arn%3Aaws%3Aiam%3A%3A{account}%3Arole%2F{role}"
    );
    let mut stream = TcpStream::connect(moto).ok()?;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {moto}\r\n{STS_AUTHORIZATION}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{form}",
        form.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let tag = |name: &str| {
        let start = answer.find(&format!("<{name}>"))? + name.len() + 2;
        let end = answer[start..].find(&format!("</{name}>"))? + start;
        Some(answer[start..end].to_owned())
    };
    Some([tag("AccessKeyId")?, tag("SecretAccessKey")?, tag("SessionToken")?])
}
