//! A corpus of invalid inputs, hand-picked and generated, each with the field it is about and a
//! fragment of the rule its error must name. The engine, the CLI and the app's commands are all
//! driven with it (tests/engine/bad_input.rs, the CLI's and the app's tests).

use tfstate_core::{BackendRequest, Billing, Encryption, Field, LockStrategy, RenderRequest};

/// One invalid value, in the shape each front end takes it.
#[derive(Debug, Clone)]
pub enum Bad {
    Profile(String),
    Region(String),
    Bucket(String),
    /// With `account_regional` on.
    AccountRegionalBucket(String),
    Key(String),
    Table(String),
    KmsKey(String),
    Capacity(u32, u32),
    Tags(Vec<(String, String)>),
    RoleArn(String),
    Environments(Vec<String>),
    AccountId(String),
    KeyPattern(String),
}

#[derive(Debug, Clone)]
pub struct BadInput {
    pub input: Bad,
    pub field: Field,
    /// Part of the message: the rule, so the error says which one was broken.
    pub rule: &'static str,
}

impl BadInput {
    /// What the input is, for the counts per kind.
    pub fn kind(&self) -> &'static str {
        match self.input {
            Bad::Profile(_) => "profile",
            Bad::Region(_) => "region",
            Bad::Bucket(_) | Bad::AccountRegionalBucket(_) => "bucket",
            Bad::Key(_) => "key",
            Bad::Table(_) => "table",
            Bad::KmsKey(_) => "kms_key",
            Bad::Capacity(..) => "capacity",
            Bad::Tags(_) => "tags",
            Bad::RoleArn(_) => "role_arn",
            Bad::Environments(_) => "environment",
            Bad::AccountId(_) => "account_id",
            Bad::KeyPattern(_) => "key_pattern",
        }
    }

    /// Whether the backend request itself is invalid (plan, apply and verify refuse it); the
    /// others are render options.
    pub fn in_backend_request(&self) -> bool {
        !matches!(
            self.input,
            Bad::RoleArn(_) | Bad::Environments(_) | Bad::AccountId(_) | Bad::KeyPattern(_)
        )
    }

    /// `valid` (a valid render request) with this input put in.
    pub fn apply(&self, valid: &RenderRequest) -> RenderRequest {
        let mut render = valid.clone();
        let request: &mut BackendRequest = &mut render.request;
        match &self.input {
            Bad::Profile(p) => request.profile = Some(p.clone()),
            Bad::Region(r) => request.region = r.clone(),
            Bad::Bucket(b) => request.bucket = b.clone(),
            Bad::AccountRegionalBucket(b) => {
                request.bucket = b.clone();
                request.bucket_options.account_regional = true;
            }
            Bad::Key(k) => request.key = k.clone(),
            Bad::Table(t) => {
                request.table = t.clone();
                request.lock = LockStrategy::Dynamodb;
            }
            Bad::KmsKey(k) => {
                request.bucket_options.encryption = Encryption::SseKms {
                    key_id: Some(k.clone()),
                }
            }
            Bad::Capacity(read, write) => {
                request.lock = LockStrategy::Dynamodb;
                request.table_options.billing = Billing::Provisioned {
                    read: *read,
                    write: *write,
                };
            }
            Bad::Tags(tags) => request.tags = tags.iter().cloned().collect(),
            Bad::RoleArn(arn) => render.assume_role_arn = Some(arn.clone()),
            Bad::Environments(envs) => render.environments = envs.clone(),
            Bad::AccountId(id) => render.account_id = Some(id.clone()),
            Bad::KeyPattern(p) => render.team_preset = Some(p.clone()),
        }
        render
    }

    /// The CLI flags that carry this input, or None where a flag cannot (a NUL in an argument, a
    /// tag key with `=`, a flag the CLI does not have).
    pub fn cli_args(&self) -> Option<Vec<String>> {
        let one = |flag: &str, value: &str| Some(vec![format!("--{flag}"), value.to_owned()]);
        let args = match &self.input {
            Bad::Profile(p) => one("profile", p),
            Bad::Region(r) => one("region", r),
            Bad::Bucket(b) => one("bucket", b),
            Bad::AccountRegionalBucket(b) => Some(vec!["--account-regional".into(), "--bucket".into(), b.clone()]),
            Bad::Key(k) => one("key", k),
            Bad::Table(t) => one("table", t),
            Bad::KmsKey(k) => one("kms-key", k),
            Bad::Capacity(read, write) => Some(
                [
                    "--billing",
                    "provisioned",
                    "--read-capacity",
                    &read.to_string(),
                    "--write-capacity",
                    &write.to_string(),
                ]
                .map(str::to_owned)
                .to_vec(),
            ),
            Bad::Tags(tags) => match tags.iter().any(|(k, _)| k.contains('=')) {
                true => None,
                false => Some(
                    tags.iter()
                        .flat_map(|(k, v)| ["--tag".to_owned(), format!("{k}={v}")])
                        .collect(),
                ),
            },
            Bad::RoleArn(arn) => one("assume-role", arn),
            Bad::Environments(envs) => Some(envs.iter().flat_map(|e| ["--env".to_owned(), e.clone()]).collect()),
            Bad::AccountId(id) => one("account-id", id),
            Bad::KeyPattern(_) => None,
        }?;
        // A process argument cannot hold a NUL.
        (!args.iter().any(|a| a.contains('\0'))).then_some(args)
    }
}

fn bad(input: Bad, field: Field, rule: &'static str) -> BadInput {
    BadInput { input, field, rule }
}

/// A deterministic xorshift: the generated part of the corpus is the same on every run.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % (1 << 31)) as usize
    }

    /// A valid-looking bucket name of `len` characters.
    fn name(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| ALPHABET[self.next() % ALPHABET.len()] as char)
            .collect()
    }

    fn name_between(&mut self, min: usize, spread: usize) -> String {
        let len = min + self.next() % spread;
        self.name(len)
    }

    fn insert(&mut self, base: &str, what: &str) -> String {
        let at = 1 + self.next() % (base.len() - 1);
        format!("{}{what}{}", &base[..at], &base[at..])
    }
}

/// The whole corpus: at least 300 invalid inputs.
pub fn corpus() -> Vec<BadInput> {
    let mut all = Vec::new();
    let mut gen = Gen(0x2545_f491_4f6c_dd1d);
    let long = |n: usize| "a".repeat(n);

    // Buckets, hand-picked.
    for (name, rule) in [
        ("", "3 to 63 characters"),
        ("ab", "3 to 63 characters"),
        (&long(64), "3 to 63 characters"),
        (&long(300), "3 to 63 characters"),
        ("Tfstate", "is not allowed"),
        ("tf_state", "is not allowed"),
        ("tf state", "is not allowed"),
        ("tfstate\n", "is not allowed"),
        ("tfstate\0x", "is not allowed"),
        ("tfstaté", "is not allowed"),
        ("tf/state", "is not allowed"),
        ("tf\\state", "is not allowed"),
        ("tf${var.x}", "is not allowed"),
        ("\"quoted\"", "is not allowed"),
        ("-tfstate", "begin and end"),
        ("tfstate-", "begin and end"),
        (".tfstate", "begin and end"),
        ("tfstate.", "begin and end"),
        ("192.168.5.4", "IP address"),
        ("10.0.0.1", "IP address"),
        ("my.bucket", "dots break HTTPS"),
        ("my..bucket", "dots break HTTPS"),
        ("xn--tfstate", "reserved by AWS"),
        ("sthree-tfstate", "reserved by AWS"),
        ("amzn-s3-demo-tfstate", "reserved by AWS"),
        ("tfstate-s3alias", "reserved by AWS"),
        ("tfstate--ol-s3", "reserved by AWS"),
        ("tfstate--x-s3", "reserved by AWS"),
        ("tfstate--table-s3", "reserved by AWS"),
        ("tfstate-an", "only in the account-regional namespace"),
        (
            "tfstate-123456789012-us-east-1-an",
            "only in the account-regional namespace",
        ),
    ] {
        all.push(bad(Bad::Bucket(name.to_owned()), Field::Bucket, rule));
    }
    for name in [
        "tfstate",
        "tfstate-123456789012-eu-west-1-an",
        "tfstate-12345-us-east-1-an",
        "tfstate-123456789012-us-east-2-an",
    ] {
        all.push(bad(
            Bad::AccountRegionalBucket(name.to_owned()),
            Field::Bucket,
            "<prefix>-<account id>-us-east-1-an",
        ));
    }
    // Buckets, generated: a valid name broken one way each.
    for i in 0..60 {
        let base = gen.name_between(5, 40);
        let (name, rule) = match i % 6 {
            0 => (gen.insert(&base, ["A", "Z", "M"][i % 3]), "is not allowed"),
            1 => (
                gen.insert(&base, ["_", " ", "!", "é", "*", "#", "~", ","][i % 8]),
                "is not allowed",
            ),
            2 => (format!("{}{base}", ["-", "."][i % 2]), "begin and end"),
            3 => (gen.insert(&base, "."), "dots break HTTPS"),
            4 => (gen.name_between(64, 40), "3 to 63 characters"),
            _ => (
                format!(
                    "{base}{}",
                    ["-s3alias", "--ol-s3", "--x-s3", "--table-s3", "-an"][i % 5]
                ),
                "",
            ),
        };
        let rule = match rule {
            "" if name.ends_with("-an") => "only in the account-regional namespace",
            "" => "reserved by AWS",
            rule => rule,
        };
        all.push(bad(Bad::Bucket(name), Field::Bucket, rule));
    }

    // Tables.
    for (name, rule) in [
        ("", "3 to 255 characters"),
        ("ab", "3 to 255 characters"),
        (&long(256), "3 to 255 characters"),
        (&long(1000), "3 to 255 characters"),
        ("lock table", "is not allowed"),
        ("lock/table", "is not allowed"),
        ("lock:table", "is not allowed"),
        ("locks\n", "is not allowed"),
        ("verrouillé", "is not allowed"),
        ("locks${x}", "is not allowed"),
    ] {
        all.push(bad(Bad::Table(name.to_owned()), Field::Table, rule));
    }
    for i in 0..30 {
        let base = gen.name_between(3, 30);
        let c = [
            "!", "@", "#", "$", "%", "^", "&", "*", "(", ")", "+", "=", " ", ",", ";", "ü", "\"", "'", "\t", "~",
        ][i % 20];
        all.push(bad(Bad::Table(gen.insert(&base, c)), Field::Table, "is not allowed"));
    }

    // State keys.
    for (key, rule) in [
        ("", "the state key is empty"),
        ("/terraform.tfstate", "begins or ends with '/'"),
        ("app/", "begins or ends with '/'"),
        ("/", "begins or ends with '/'"),
        ("app//terraform.tfstate", "empty path segment"),
        ("a///b", "empty path segment"),
        ("app/terraform.tfstate\0", "NUL character"),
        ("\0", "NUL character"),
        ("app/terraform.tfstate.tflock", "Terraform's lock object"),
        (".tflock", "Terraform's lock object"),
        (&"k".repeat(1025), "at most 1024 bytes"),
        (&"é".repeat(513), "at most 1024 bytes"),
    ] {
        all.push(bad(Bad::Key(key.to_owned()), Field::Key, rule));
    }
    for i in 0..18 {
        let base = gen.name_between(3, 20);
        let (key, rule) = match i % 3 {
            0 => (format!("/{base}"), "begins or ends with '/'"),
            1 => (gen.insert(&base, "//"), "empty path segment"),
            _ => (format!("{base}.tflock"), "Terraform's lock object"),
        };
        all.push(bad(Bad::Key(key), Field::Key, rule));
    }

    // Regions.
    for region in [
        "",
        " ",
        "US-EAST-1",
        "us_east_1",
        "useast1",
        "us-east",
        "us-east-",
        "-east-1",
        "us-east-1a",
        "us--east-1",
        "eu-west-1 ",
        " eu-west-1",
        "eu-west-1\n",
        "eu-wést-1",
        "arn:aws:s3",
        "us-east-1/",
    ] {
        all.push(bad(
            Bad::Region(region.to_owned()),
            Field::Region,
            "is not an AWS region name",
        ));
    }
    for region in [
        "us-east-9",
        "eu-west-7",
        "mars-north-1",
        "us-esat-1",
        "eu-wset-1",
        "ap-southeast-99",
        "cn-south-1",
        "us-gov-north-1",
        "local-region-1",
        "xx-yy-1",
    ] {
        all.push(bad(Bad::Region(region.to_owned()), Field::Region, "did you mean"));
    }

    // Profiles.
    for (profile, rule) in [
        ("", "pick a profile"),
        (" ", "pick a profile"),
        ("\t", "pick a profile"),
        ("[dev]", "brackets or control characters"),
        ("profile dev]", "brackets or control characters"),
        ("de[v", "brackets or control characters"),
        ("dev\nregion = x", "brackets or control characters"),
        ("dev\0", "brackets or control characters"),
        ("dev\u{7}", "brackets or control characters"),
        ("dev\r", "brackets or control characters"),
    ] {
        all.push(bad(Bad::Profile(profile.to_owned()), Field::Profile, rule));
    }

    // KMS keys.
    for key in [
        "",
        "nope",
        "alias/",
        "alias/aws/s3",
        "alias/with space",
        "alias/ümlaut",
        "ALIAS/key",
        "1234abcd-12ab-34cd-56ef-1234567890ab", // variant nibble 5
        "1234abcd-12ab-64cd-86ef-1234567890ab", // version 6
        "1234ABCD-12AB-34CD-86EF-1234567890AB", // uppercase
        "1234abcd12ab34cd86ef1234567890ab",
        "mrk-1234",
        "mrk-1234abcd12ab34cd56ef1234567890abXX",
        "arn:aws:kms:eu-west-1:123456789012:key/nope",
        "arn:aws:s3:eu-west-1:123456789012:key/1234abcd-12ab-34cd-86ef-1234567890ab",
        "arn:other:kms:eu-west-1:123456789012:alias/x",
        "arn:aws:kms",
        "key/1234abcd-12ab-34cd-86ef-1234567890ab",
        "alias/x\n",
        "alias/${x}",
    ] {
        all.push(bad(
            Bad::KmsKey(key.to_owned()),
            Field::KmsKey,
            "is not a KMS key id, alias or ARN",
        ));
    }

    // Capacities.
    for (read, write) in [(0, 5), (5, 0), (0, 0), (40_001, 5), (5, 40_001), (u32::MAX, u32::MAX)] {
        all.push(bad(Bad::Capacity(read, write), Field::Capacity, "use 1 to 40000 units"));
    }

    // Tags.
    let tag = |k: &str, v: &str| vec![(k.to_owned(), v.to_owned())];
    for (tags, rule) in [
        (tag("", "x"), "1 to 128 characters"),
        (tag(&long(129), "x"), "1 to 128 characters"),
        (tag("Team", &long(257)), "longer than 256"),
        (tag("aws:team", "x"), "prefix aws: is reserved"),
        (tag("AWS:team", "x"), "prefix aws: is reserved"),
        (tag("ManagedBy", "me"), "set by tfstate-wizard itself"),
        (tag("Team", "a\"b"), "is not allowed"),
        (tag("Team", "a\nb"), "is not allowed"),
        (tag("Team", "${var.x}"), "is not allowed"),
        (tag("Te<am", "x"), "is not allowed"),
        (
            (0..50).map(|i| (format!("k{i}"), "v".to_owned())).collect(),
            "at most 49",
        ),
    ] {
        all.push(bad(Bad::Tags(tags), Field::Tags, rule));
    }
    for i in 0..20 {
        let c = [
            "!", "#", "$", "%", "^", "&", "*", "(", ")", "<", ">", "?", "\\", "|", "~", "`", "'", ";", ",", "\t",
        ][i];
        let (k, v) = match i % 2 {
            0 => (
                {
                    let name = gen.name(6);
                    gen.insert(&name, c)
                },
                "x".to_owned(),
            ),
            _ => ("Team".to_owned(), {
                let name = gen.name(6);
                gen.insert(&name, c)
            }),
        };
        all.push(bad(Bad::Tags(vec![(k, v)]), Field::Tags, "is not allowed"));
    }

    // Role ARNs.
    for arn in [
        "",
        "role/x",
        "arn:aws:iam::123456789012:user/x",
        "arn:aws:iam::12345678901:role/x",
        "arn:aws:iam::1234567890123:role/x",
        "arn:aws:iam:eu-west-1:123456789012:role/x",
        "arn:aws:sts::123456789012:role/x",
        "arn:gcp:iam::123456789012:role/x",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role/with space",
        "arn:aws:iam::123456789012:role/x\"y",
        "arn:aws:iam::123456789012:role/x\n",
        "arn:aws:iam::abcdefghijkl:role/x",
        "ARN:aws:iam::123456789012:role/x",
        "arn:aws:iam::123456789012:role/${x}",
    ] {
        all.push(bad(
            Bad::RoleArn(arn.to_owned()),
            Field::AssumeRole,
            "is not an IAM role ARN",
        ));
    }
    all.push(bad(
        Bad::RoleArn(format!("arn:aws:iam::123456789012:role/{}", long(513))),
        Field::AssumeRole,
        "is not an IAM role ARN",
    ));

    // Environments.
    let envs = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    for (list, rule) in [
        (envs(&[""]), "use 1 to 64 lowercase"),
        (envs(&["Dev"]), "use 1 to 64 lowercase"),
        (envs(&["dev prod"]), "use 1 to 64 lowercase"),
        (envs(&["-dev"]), "use 1 to 64 lowercase"),
        (envs(&["_dev"]), "use 1 to 64 lowercase"),
        (envs(&["dev/.."]), "use 1 to 64 lowercase"),
        (envs(&[".."]), "use 1 to 64 lowercase"),
        (envs(&["dev.prod"]), "use 1 to 64 lowercase"),
        (envs(&["dév"]), "use 1 to 64 lowercase"),
        (envs(&["dev\n"]), "use 1 to 64 lowercase"),
        (vec![long(65)], "use 1 to 64 lowercase"),
        (envs(&["con"]), "device name on Windows"),
        (envs(&["nul"]), "device name on Windows"),
        (envs(&["aux"]), "device name on Windows"),
        (envs(&["prn"]), "device name on Windows"),
        (envs(&["com1"]), "device name on Windows"),
        (envs(&["lpt9"]), "device name on Windows"),
        (envs(&["dev", "dev"]), "listed twice"),
        (envs(&["dev", "prod", "Prod"]), "use 1 to 64 lowercase"),
    ] {
        all.push(bad(Bad::Environments(list), Field::Environment, rule));
    }

    // Account ids.
    for id in [
        "",
        "12345678901",
        "1234567890123",
        "12345678901a",
        "123456789012 ",
        "arn:aws:iam::123456789012",
    ] {
        all.push(bad(
            Bad::AccountId(id.to_owned()),
            Field::AccountId,
            "is not a 12-digit AWS account id",
        ));
    }

    // Team preset key patterns.
    for (pattern, rule) in [
        ("{team}/terraform.tfstate", "the only placeholder"),
        ("{project/terraform.tfstate", "the only placeholder"),
        ("/{project}/terraform.tfstate", "begins or ends with '/'"),
        ("{project}//terraform.tfstate", "empty path segment"),
        ("{project}/terraform.tfstate.tflock", "Terraform's lock object"),
    ] {
        all.push(bad(Bad::KeyPattern(pattern.to_owned()), Field::Key, rule));
    }
    all
}

/// A valid render request for `profile` in us-east-1, into which [`BadInput::apply`] puts one
/// invalid value.
pub fn valid_render_request(profile: &str) -> RenderRequest {
    RenderRequest::new(crate::backend_request(
        profile,
        "us-east-1",
        "tfstate-bad-input",
        "locks-bad-input",
    ))
}

/// How many inputs of each kind, for the report.
pub fn counts(corpus: &[BadInput]) -> std::collections::BTreeMap<&'static str, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for input in corpus {
        *counts.entry(input.kind()).or_default() += 1;
    }
    counts
}

/// Invalid team presets (`tfstate-wizard.json`): the text, and what the error must name (the
/// JSON field, or the line of a syntax error).
pub fn bad_presets() -> Vec<(String, &'static str)> {
    let presets: &[(&str, &str)] = &[
        ("", "not valid JSON at line 1"),
        ("{", "not valid JSON at line 1"),
        (
            "{\n  \"version\": 1,\n  \"bucket\": \"x\",\n}",
            "not valid JSON at line 4",
        ),
        ("\u{feff}{\"version\": 1}", "not valid JSON at line 1"),
        ("[]", "one JSON object"),
        ("\"tfstate\"", "one JSON object"),
        ("{}", "version"),
        ("{\"version\": 99}", "version"),
        ("{\"version\": \"1\"}", "version"),
        ("{\"version\": 1, \"buckt\": \"x\"}", "buckt"),
        ("{\"version\": 1, \"bucket\": 7}", "bucket"),
        ("{\"version\": 1, \"bucket\": \"Bad_Bucket\"}", "bucket"),
        ("{\"version\": 1, \"region\": \"mars-1\"}", "region"),
        ("{\"version\": 1, \"table\": \"a b\"}", "table"),
        ("{\"version\": 1, \"lock\": \"redis\"}", "lock"),
        ("{\"version\": 1, \"key_pattern\": \"/{project}\"}", "key_pattern"),
        ("{\"version\": 1, \"tags\": {\"aws:x\": \"1\"}}", "tags"),
        ("{\"version\": 1, \"tags\": [\"a\"]}", "tags"),
        ("{\"version\": 1, \"role_arn\": \"arn:aws:iam::1:user/x\"}", "role_arn"),
        ("{\"version\": 1, \"environments\": [\"Dev\"]}", "environments"),
        ("{\"version\": 1, \"environments\": \"dev\"}", "environments"),
        (
            "{\"version\": 1, \"encryption\": {\"kind\": \"sse_kms\", \"key_id\": \"nope\"}}",
            "encryption",
        ),
        ("{\"version\": 1, \"encryption\": {\"kind\": \"rot13\"}}", "encryption"),
    ];
    let mut all: Vec<(String, &'static str)> = presets.iter().map(|(t, f)| ((*t).to_owned(), *f)).collect();
    all.push((
        format!("{{\"version\": 1, \"bucket\": \"{}\"}}", "a".repeat(100_000)),
        "bucket",
    ));
    all
}

/// The requests a recording proxy saw.
pub type Recorded = std::sync::Arc<std::sync::Mutex<Vec<crate::proxy::RequestLine>>>;

/// A sandbox profile, `recorded`, whose endpoint is a proxy in front of the emulator that
/// records every request: what proves that an input was refused before any AWS call.
pub fn recorded_profile() -> (&'static str, Recorded) {
    static RECORDED: std::sync::OnceLock<Recorded> = std::sync::OnceLock::new();
    let seen = RECORDED.get_or_init(|| {
        let (moto, files) = crate::sandbox();
        let seen = Recorded::default();
        let record = std::sync::Arc::clone(&seen);
        let proxy = crate::proxy::Proxy::start(moto.port(), move |request| {
            record.lock().expect("record").push(request.clone());
            None
        });
        files.append_config(&format!(
            "\n[profile recorded]\nregion = us-east-1\nendpoint_url = {}\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            proxy.endpoint(),
            crate::aws_files::ACCESS_KEY_ID,
            crate::aws_files::SECRET_ACCESS_KEY
        ));
        seen
    });
    ("recorded", std::sync::Arc::clone(seen))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_has_300_inputs_each_refused_for_its_rule() {
        let corpus = corpus();
        assert!(corpus.len() >= 300, "{} inputs", corpus.len());
        let valid = valid_render_request("sandbox");
        assert!(valid.problems().is_empty(), "{:?}", valid.problems());
        for input in &corpus {
            let problems = input.apply(&valid).problems();
            assert!(
                problems
                    .iter()
                    .any(|p| p.field == input.field && p.message.contains(input.rule)),
                "{input:?}: {problems:?}"
            );
        }
    }
}
