//! Faults at every step: each fault of [`FAULTS`] injected, by the proxy, into each AWS call of
//! apply, plan, destroy and verify. For each case: an error names the call and says what to do;
//! the engine gives up within [`give_up_bound`]; running it again without the fault ends with
//! exactly the intended resources, read back with the SDK directly. The outcomes are the table
//! in `tests/engine/FAULTS.md`: checked on every run, rewritten with `UPDATE_FAULT_TABLE=1`.

mod apply;
mod others;
mod reads;
mod table;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tfstate_core::retry::Patience;
use tfstate_core::{Limits, Session, SessionRequest};
use tfstate_tests::aws_files::{ACCESS_KEY_ID, SECRET_ACCESS_KEY};
use tfstate_tests::proxy::{Fault, Proxy};
use tfstate_tests::sandbox;

use table::{check_or_update, figures, section};

pub const REGION: &str = "eu-west-1";

/// Short limits, so the suite gives up in seconds; people get `Limits::DEFAULT`.
pub const TEST_LIMITS: Limits = Limits {
    connect: Duration::from_secs(1),
    // Above the emulator's slowest answers while the suite loads it (a busy machine included).
    attempt: Duration::from_secs(2),
    operation: Duration::from_secs(8),
    max_attempts: 3,
    initial_backoff: Duration::from_millis(20),
    eventual_consistency: Patience {
        limit: Duration::from_secs(1),
        first_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
    },
    table_active: Duration::from_secs(5),
};

/// A fault as the suite injects it: what, and into how many requests of the operation.
#[derive(Debug, Clone)]
pub struct FaultKind {
    pub name: &'static str,
    pub fault: Fault,
    pub times: u32,
}

pub fn faults() -> Vec<FaultKind> {
    let every = u32::MAX;
    vec![
        FaultKind {
            name: "connection refused",
            fault: Fault::Refuse,
            times: every,
        },
        FaultKind {
            name: "reset mid-answer (once)",
            fault: Fault::Reset,
            times: 1,
        },
        FaultKind {
            name: "HTTP 500 (every attempt)",
            fault: Fault::Status(500),
            times: every,
        },
        FaultKind {
            name: "HTTP 503 (once)",
            fault: Fault::Status(503),
            times: 1,
        },
        FaultKind {
            name: "throttled (2 times)",
            fault: Fault::Throttle,
            times: 2,
        },
        FaultKind {
            name: "slower than the attempt timeout",
            fault: Fault::Slow(TEST_LIMITS.attempt * 2),
            times: every,
        },
        FaultKind {
            name: "body not XML/JSON",
            fault: Fault::Garble,
            times: every,
        },
    ]
}

/// One AWS call the suite breaks: the proxy's name for it, the engine's (what a message names).
#[derive(Debug, Clone, Copy)]
pub struct Call {
    pub proxy: &'static str,
    pub engine: &'static str,
}

pub const fn call(proxy: &'static str, engine: &'static str) -> Call {
    Call { proxy, engine }
}

/// The most one faulted run may take before its error stands: two faulted calls (verify removes
/// its probes after a fault), each with every attempt and pause, plus the wait for eventual
/// consistency, plus slack for the run's other calls on a loaded machine. With `Limits::DEFAULT`
/// the same formula gives 2 × 60 s + 120 s = 4 min.
pub fn give_up_bound() -> Duration {
    TEST_LIMITS.call_bound() * 2 + TEST_LIMITS.eventual_consistency.limit + SLACK
}

pub const SLACK: Duration = Duration::from_secs(8);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    Done,
    RetriedDone,
    Failed,
}

/// What one case came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub class: Class,
    /// For `Failed`: the message; otherwise empty.
    pub message: String,
    pub took: Duration,
    /// What was wrong with it (empty: as it should be).
    pub problems: Vec<String>,
}

/// The outcomes of a family of cases, keyed by (step, fault).
pub type Table = Arc<Mutex<BTreeMap<(usize, usize), (String, Outcome)>>>;

/// A proxy in front of the sandbox's emulator and a profile that points at it.
pub struct Faulty {
    pub proxy: Proxy,
    pub profile: String,
}

/// One faulty proxy per case, each with its profile, written to the config file at once
/// (sessions read the file while other cases run).
pub fn proxies(count: usize, family: &str) -> Vec<Faulty> {
    let (moto, files) = sandbox();
    let all: Vec<Faulty> = (0..count)
        .map(|i| Faulty {
            proxy: Proxy::faulty(moto.port()),
            profile: format!("fault-{family}-{i}-{}", std::process::id()),
        })
        .collect();
    let mut config = String::new();
    for f in &all {
        let _ = write!(
            config,
            "\n[profile {}]\nregion = {REGION}\nendpoint_url = {}\naws_access_key_id = {ACCESS_KEY_ID}\naws_secret_access_key = {SECRET_ACCESS_KEY}\n",
            f.profile,
            f.proxy.endpoint()
        );
    }
    files.append_config(&config);
    all
}

/// A session with the suite's limits, for a profile.
pub async fn session(profile: &str) -> Session {
    direct_as(profile).await.with_limits(TEST_LIMITS)
}

/// A session straight to the emulator with the default limits, for setting up and reading back.
pub async fn direct() -> Session {
    direct_as("sandbox").await
}

async fn direct_as(profile: &str) -> Session {
    sandbox();
    Session::connect(&SessionRequest {
        profile: Some(profile.to_owned()),
        region: Some(REGION.to_owned()),
    })
    .await
    .expect("session")
}

/// Runs `case` for every fault into a table of (call, fault). A fault that stops what it meets
/// (every request of the call) runs once per call; a passing one (once, twice) runs once with
/// every call faulted, each of them meeting it. `case` gets the indexes of the faulted calls and
/// returns an outcome for each. At most `parallel` runs at once, besides slow ones (they wait).
pub async fn run_all<F, Fut>(calls: &[(&'static str, Call)], family: &str, parallel: usize, case: F) -> Table
where
    F: Fn(Vec<usize>, FaultKind, Faulty) -> Fut,
    Fut: Future<Output = Vec<Outcome>> + Send + 'static,
{
    let kinds = faults();
    let runs: Vec<(usize, Vec<usize>)> = kinds
        .iter()
        .enumerate()
        .flat_map(|(f, kind)| match kind.times {
            u32::MAX => (0..calls.len()).map(|s| (f, vec![s])).collect::<Vec<_>>(),
            _ => vec![(f, (0..calls.len()).collect())],
        })
        .collect();
    let mut faulty = proxies(runs.len(), family).into_iter();
    let table: Table = Arc::default();
    let gate = Arc::new(tokio::sync::Semaphore::new(parallel));
    let mut running = tokio::task::JoinSet::new();
    for (f, faulted) in runs {
        let kind = kinds[f].clone();
        let waits = matches!(kind.fault, Fault::Slow(_));
        let future = case(faulted.clone(), kind, faulty.next().expect("a proxy per run"));
        let labels: Vec<String> = faulted
            .iter()
            .map(|&s| format!("{} / {}", calls[s].0, calls[s].1.proxy))
            .collect();
        let (table, gate) = (Arc::clone(&table), Arc::clone(&gate));
        running.spawn(async move {
            let _permit = match waits {
                true => None,
                false => Some(gate.acquire_owned().await.expect("semaphore")),
            };
            let outcomes = future.await;
            let mut table = table.lock().expect("table");
            for ((s, label), outcome) in faulted.into_iter().zip(labels).zip(outcomes) {
                table.insert((s, f), (label, outcome));
            }
        });
    }
    while let Some(done) = running.join_next().await {
        done.expect("a run panicked");
    }
    table
}

/// Injects `kind` into every call of `faulted` and says how many of each were sent before.
pub fn inject(faulty: &Faulty, faulted: &[Call], kind: &FaultKind) -> Vec<usize> {
    faulted
        .iter()
        .map(|call| {
            faulty.proxy.inject(call.proxy, kind.fault.clone(), kind.times);
            faulty.proxy.seen(call.proxy)
        })
        .collect()
}

/// How a faulted run ended: its failure's message (none: it succeeded), how long it took, and
/// what was wrong with it or with what it left.
pub struct Ended {
    pub failure: Option<String>,
    pub took: Duration,
    pub problems: Vec<String>,
}

/// One outcome per faulted call of a run. A call was retried when more of it were sent than
/// `usual` (what a run without faults sends).
pub fn outcomes(
    faulty: &Faulty,
    faulted: &[Call],
    before: &[usize],
    usual: &[usize],
    kind: &FaultKind,
    ended: Ended,
) -> Vec<Outcome> {
    let Ended {
        failure,
        took,
        problems,
    } = ended;
    faulty.proxy.clear();
    faulted
        .iter()
        .zip(before.iter().zip(usual))
        .map(|(call, (before, usual))| {
            let mut problems = problems.to_vec();
            check_bound(took, &mut problems);
            let sent = faulty.proxy.seen(call.proxy) - before;
            let class = match &failure {
                Some(message) => {
                    // With every call faulted, the message names the one that failed.
                    if faulted.len() == 1 {
                        check_message(message, *call, kind, &mut problems);
                    }
                    Class::Failed
                }
                None if sent > *usual => Class::RetriedDone,
                None => Class::Done,
            };
            Outcome {
                class,
                message: failure.clone().unwrap_or_default(),
                took,
                problems,
            }
        })
        .collect()
}

/// Checks a failed case's message: it names the call and says what to do. After a refusal the
/// endpoint is gone for every call, and the message names whichever call met it first.
pub fn check_message(message: &str, call: Call, kind: &FaultKind, problems: &mut Vec<String>) {
    let refused = matches!(kind.fault, Fault::Refuse) && message.contains("Cannot reach the AWS endpoint");
    if !message.contains(call.engine) && !refused {
        problems.push(format!("the message does not name {}: {message}", call.engine));
    }
    let advice = ["try again", "run apply again", "run it again"];
    if !advice.iter().any(|a| message.contains(a)) {
        problems.push(format!("the message does not say what to do: {message}"));
    }
}

/// Times a faulted run and checks it against the bound.
pub async fn timed<T>(run: impl Future<Output = T>) -> (T, Duration) {
    let started = Instant::now();
    let answer = run.await;
    (answer, started.elapsed())
}

fn check_bound(took: Duration, problems: &mut Vec<String>) {
    if took > give_up_bound() {
        problems.push(format!("took {took:?}, over the bound of {:?}", give_up_bound()));
    }
}

fn pick(calls: &[(&'static str, Call)], faulted: &[usize]) -> Vec<Call> {
    faulted.iter().map(|&s| calls[s].1).collect()
}

/// Runs of one family at once.
const PARALLEL: usize = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_at_every_step() {
    use tfstate_core::LockStrategy;
    let started = Instant::now();
    let (shared_bucket, planned, probed) = tokio::join!(
        apply::finished_bucket(),
        others::finished_backend(LockStrategy::Dynamodb, true),
        // moto denies every object call under the TLS-only policy (DESIGN.md): left out here.
        others::finished_backend(LockStrategy::Both, false),
    );
    let baseline = others::verify_baseline(proxies(1, "baseline").remove(0), probed.clone()).await;

    let apply_steps = apply::calls();
    let apply_calls: Vec<(&'static str, Call)> = apply_steps.iter().map(|(s, c)| (s.title(), *c)).collect();
    let (applied, planned_table, destroyed, verified) = tokio::join!(
        timed(run_all(&apply_calls, "apply", PARALLEL, |faulted, kind, faulty| {
            let steps = faulted.iter().map(|&s| apply_steps[s]).collect();
            apply::case(steps, kind, faulty, shared_bucket.clone())
        })),
        timed(run_all(
            others::PLAN_CALLS,
            "plan",
            PARALLEL,
            |faulted, kind, faulty| {
                others::plan_case(pick(others::PLAN_CALLS, &faulted), kind, faulty, planned.clone())
            }
        )),
        timed(run_all(
            others::DESTROY_CALLS,
            "destroy",
            PARALLEL,
            |faulted, kind, faulty| { others::destroy_case(pick(others::DESTROY_CALLS, &faulted), kind, faulty) }
        )),
        timed(run_all(
            others::VERIFY_CALLS,
            "verify",
            PARALLEL,
            |faulted, kind, faulty| {
                let usual = faulted.iter().map(|&s| baseline[s]).collect();
                others::verify_case(
                    pick(others::VERIFY_CALLS, &faulted),
                    kind,
                    faulty,
                    probed.clone(),
                    usual,
                )
            }
        )),
    );
    eprintln!(
        "families: apply {:?}, plan {:?}, destroy {:?}, verify {:?}",
        applied.1, planned_table.1, destroyed.1, verified.1
    );
    let (applied, planned_table, destroyed, verified) = (applied.0, planned_table.0, destroyed.0, verified.0);

    // Plans under faults changed nothing.
    let direct = direct().await;
    let mut failures: Vec<String> = reads::bucket(&direct.s3(), &planned.bucket, true).await;
    failures.extend(reads::table(&direct.dynamodb(), &planned.table).await);

    let mut sections = Vec::new();
    for (title, calls, table) in [
        ("apply", &apply_calls[..], &applied),
        ("plan", others::PLAN_CALLS, &planned_table),
        ("destroy", others::DESTROY_CALLS, &destroyed),
        ("verify", others::VERIFY_CALLS, &verified),
    ] {
        let (text, wrong) = section(title, calls, table);
        sections.push(text);
        failures.extend(wrong);
    }
    let figures = figures(&[&applied, &planned_table, &destroyed, &verified]);
    sections.push(format!("## Figures\n\n{figures}\n"));
    eprintln!("{figures} Suite: {:.1} s.", started.elapsed().as_secs_f64());
    check_or_update(&sections);
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
