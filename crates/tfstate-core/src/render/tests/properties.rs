//! The HCL escape as a property: any string, escaped and parsed back with hcl-rs, is the
//! string; and any key, profile and tag a request accepts comes back out of the rendered files
//! exactly as typed.

use proptest::prelude::*;

use super::*;

/// Strings rich in what HCL treats specially: quotes, backslashes, template introducers,
/// escapes spelled out, control characters, and non-ASCII text.
fn nasty() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => "[a-zA-Z0-9 ./_-]{1,6}",
        2 => prop::sample::select(vec![
            "\"", "\\", "${", "%{", "$${", "%%{", "}", "{", "$", "%", "\\n", "\\u0041", "\n", "\r", "\t", "\r\n",
            "\u{0}", "\u{1b}", "\u{7f}", "\u{85}", "\u{2028}", "é", "日本", "🦀", "#", "//", "/*", "<<EOF",
        ]).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_string_quoted_for_hcl_parses_back_to_itself(value in prop_oneof![nasty(), any::<String>()]) {
        let text = format!("value = {}\n", super::hcl::quote(&value));
        prop_assert_eq!(string_at(&text, &["value"]), Some(value), "{}", text);
    }

}

proptest! {
    // A render and four parses per case: fewer cases (every_nasty_string_… adds 600 more).
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_rendered_key_profile_and_tags_parse_back_as_typed(
        key in nasty(),
        profile in nasty(),
        tag_value in "[a-zA-Z0-9 _.:/=+@é-]{0,40}",
        lock in prop::sample::select(vec![LockStrategy::Dynamodb, LockStrategy::S3, LockStrategy::Both]),
    ) {
        let mut req = request(lock);
        // Only what the engine refuses is taken out (a NUL, empty path segments, brackets and control
        // characters in a profile name): everything else must reach Terraform as typed.
        req.key = format!("k{}k", key.replace('\0', "").split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/"));
        req.profile = Some(format!("p{}", profile.replace(|c: char| c.is_control() || c == '[' || c == ']', "")));
        req.tags.insert("Team".into(), tag_value);
        prop_assert!(req.problems().is_empty(), "{:?}", req.problems());
        let mut render_request = RenderRequest::new(req.clone());
        render_request.state_backend_tf = true;
        let files = render(&render_request).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let backend = contents(&files, "backend.tf");
        let at = |attr: &str| string_at(backend, &["terraform", "backend", "s3", attr]);
        prop_assert_eq!(at("key"), Some(req.key.clone()), "{}", backend);
        prop_assert_eq!(at("profile"), req.profile.clone(), "{}", backend);
        let provider = contents(&files, "provider.tf");
        prop_assert_eq!(string_at(provider, &["provider", "aws", "profile"]), req.profile.clone());
        let tags = value_at(contents(&files, "state-backend.tf"), &["resource", "aws_s3_bucket", "state", "tags"]);
        let expected: ::hcl::Value = req
            .all_tags()
            .into_iter()
            .map(|(k, v)| (k, ::hcl::Value::String(v)))
            .collect::<::hcl::Map<_, _>>()
            .into();
        prop_assert_eq!(tags, Some(expected));
    }
}
