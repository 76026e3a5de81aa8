//! Discovery rules no emulator shows, with mocked SDK clients: ListBuckets that names each
//! bucket's region (real S3 does; moto does not), a redirect to another region, a denied
//! ListBuckets, and a lock table the person may not scan.

use aws_sdk_dynamodb::operation::describe_table::DescribeTableOutput;
use aws_sdk_dynamodb::operation::list_tables::ListTablesOutput;
use aws_sdk_dynamodb::operation::list_tags_of_resource::ListTagsOfResourceOutput;
use aws_sdk_dynamodb::types::{AttributeDefinition, KeySchemaElement, KeyType, ScalarAttributeType, TableDescription};
use aws_sdk_s3::operation::get_bucket_location::GetBucketLocationOutput;
use aws_sdk_s3::operation::get_bucket_tagging::GetBucketTaggingOutput;
use aws_sdk_s3::operation::get_bucket_versioning::GetBucketVersioningOutput;
use aws_sdk_s3::operation::list_buckets::ListBucketsOutput;
use aws_sdk_s3::operation::list_object_versions::ListObjectVersionsOutput;
use aws_sdk_s3::operation::list_objects_v2::ListObjectsV2Output;
use aws_sdk_s3::types::{Bucket, BucketLocationConstraint, BucketVersioningStatus, Object, Tag};
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::DateTime;
use tfstate_core::discover::discover_with;
use tfstate_core::{ErrorCode, LockStrategy, Session, StateKey, TeamBackend};

const REGION: &str = "eu-west-1";

fn http(status: u16, body: &'static str) -> Response {
    Response::new(StatusCode::try_from(status).expect("status"), SdkBody::from(body))
}

fn listed(buckets: &[(&str, Option<&str>)]) -> Rule {
    let buckets: Vec<Bucket> = buckets
        .iter()
        .map(|(name, region)| {
            Bucket::builder()
                .name(*name)
                .set_bucket_region(region.map(str::to_owned))
                .build()
        })
        .collect();
    // Asked for the session's region only: real S3 then leaves the others out.
    mock!(aws_sdk_s3::Client::list_buckets)
        .match_requests(|r| r.bucket_region() == Some(REGION))
        .then_output(move || ListBucketsOutput::builder().set_buckets(Some(buckets.clone())).build())
}

/// A bucket's tags (`ManagedBy = tfstate-wizard` and `Team = platform` when managed), versioning
/// on, and its objects.
fn bucket(name: &'static str, managed: bool, objects: &'static [&'static str]) -> Vec<Rule> {
    let this = move |bucket: Option<&str>| bucket == Some(name);
    let tagging = mock!(aws_sdk_s3::Client::get_bucket_tagging)
        .match_requests(move |r| this(r.bucket()))
        .then_output(move || {
            let tags = match managed {
                true => vec![("ManagedBy", "tfstate-wizard"), ("Team", "platform")],
                false => vec![("Team", "platform")],
            };
            let tags = tags
                .into_iter()
                .map(|(k, v)| Tag::builder().key(k).value(v).build().expect("tag"))
                .collect();
            GetBucketTaggingOutput::builder()
                .set_tag_set(Some(tags))
                .build()
                .expect("tagging")
        });
    let versioning = mock!(aws_sdk_s3::Client::get_bucket_versioning)
        .match_requests(move |r| this(r.bucket()))
        .then_output(|| {
            GetBucketVersioningOutput::builder()
                .status(BucketVersioningStatus::Enabled)
                .build()
        });
    let list = mock!(aws_sdk_s3::Client::list_objects_v2)
        .match_requests(move |r| this(r.bucket()))
        .then_output(move || {
            let contents = objects
                .iter()
                .map(|key| {
                    Object::builder()
                        .key(*key)
                        .size(42)
                        .last_modified(DateTime::from_secs(1_795_710_086))
                        .build()
                })
                .collect();
            ListObjectsV2Output::builder().set_contents(Some(contents)).build()
        });
    let versions = mock!(aws_sdk_s3::Client::list_object_versions)
        .match_requests(move |r| this(r.bucket()))
        .then_output(|| ListObjectVersionsOutput::builder().build());
    vec![tagging, versioning, list, versions]
}

fn no_tables() -> Rule {
    mock!(aws_sdk_dynamodb::Client::list_tables).then_output(|| ListTablesOutput::builder().build())
}

fn state_key(key: &str) -> StateKey {
    StateKey {
        key: key.into(),
        size: 42,
        last_modified: "2026-11-26T16:21:26Z".into(),
    }
}

#[tokio::test]
async fn buckets_list_buckets_places_in_another_region_are_never_read() {
    let list = listed(&[("here", Some(REGION)), ("there", Some("us-east-1"))]);
    let location = mock!(aws_sdk_s3::Client::get_bucket_location).then_output(|| {
        GetBucketLocationOutput::builder()
            .location_constraint(BucketLocationConstraint::from(REGION))
            .build()
    });
    let mut rules = bucket("here", false, &["app/terraform.tfstate"]);
    rules.extend([list, location]);
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, rules.iter().collect::<Vec<_>>());
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&no_tables()]);
    let session = Session::detached("dev", REGION);

    let backends = discover_with(&session, &s3, &dynamodb).await.expect("discover");

    assert_eq!(
        backends,
        [TeamBackend {
            bucket: "here".into(),
            region: REGION.into(),
            managed: false,
            versioned: true,
            tables: vec![],
            lock: None,
            keys: vec![state_key("app/terraform.tfstate")],
            more_keys: false,
            unreadable: None,
        }],
        "`there` would be listed as unreadable had it been read: no rule answers for it"
    );
    assert_eq!(rules[5].num_calls(), 0, "the region came with ListBuckets");
}

#[tokio::test]
async fn a_redirect_to_another_region_drops_a_bucket_whose_location_could_not_be_read() {
    let list = listed(&[("far", None)]);
    let location = mock!(aws_sdk_s3::Client::get_bucket_location)
        .then_http_response(|| http(403, "<Error><Code>AccessDenied</Code><Message>denied</Message></Error>"));
    let redirect = || {
        let mut response = http(
            301,
            "<Error><Code>PermanentRedirect</Code><Message>use the bucket's region</Message></Error>",
        );
        response.headers_mut().insert("x-amz-bucket-region", "ap-south-1");
        response
    };
    let tagging = mock!(aws_sdk_s3::Client::get_bucket_tagging).then_http_response(redirect);
    let versioning = mock!(aws_sdk_s3::Client::get_bucket_versioning).then_http_response(redirect);
    let s3 = mock_client!(
        aws_sdk_s3,
        RuleMode::MatchAny,
        [&list, &location, &tagging, &versioning]
    );
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&no_tables()]);
    let session = Session::detached("dev", REGION);

    let backends = discover_with(&session, &s3, &dynamodb).await.expect("discover");
    assert_eq!(backends, [], "the bucket lives in ap-south-1");
}

#[tokio::test]
async fn only_a_denied_list_buckets_fails_the_whole_list_and_it_names_the_permission() {
    let list = mock!(aws_sdk_s3::Client::list_buckets).then_http_response(|| {
        http(
            403,
            "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>",
        )
    });
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, [&list]);
    let dynamodb = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&no_tables()]);
    let session = Session::detached("dev", REGION);

    let error = discover_with(&session, &s3, &dynamodb).await.expect_err("denied");
    assert_eq!(error.code(), ErrorCode::AccessDenied);
    assert!(
        error.to_string().contains("IAM permission s3:ListAllMyBuckets"),
        "{error}"
    );
}

#[tokio::test]
async fn a_managed_table_that_may_not_be_scanned_still_pairs_by_its_tags() {
    let list = listed(&[("managed", Some(REGION)), ("other", Some(REGION))]);
    let mut rules = bucket("managed", true, &[]);
    rules.extend(bucket("other", false, &["svc/terraform.tfstate"]));
    rules.push(list);
    let s3 = mock_client!(aws_sdk_s3, RuleMode::MatchAny, rules.iter().collect::<Vec<_>>());

    let tables = mock!(aws_sdk_dynamodb::Client::list_tables)
        .then_output(|| ListTablesOutput::builder().table_names("locks").build());
    let describe = mock!(aws_sdk_dynamodb::Client::describe_table).then_output(|| {
        DescribeTableOutput::builder()
            .table(
                TableDescription::builder()
                    .table_name("locks")
                    .table_arn("arn:aws:dynamodb:eu-west-1:123456789012:table/locks")
                    .key_schema(
                        KeySchemaElement::builder()
                            .attribute_name("LockID")
                            .key_type(KeyType::Hash)
                            .build()
                            .expect("key"),
                    )
                    .attribute_definitions(
                        AttributeDefinition::builder()
                            .attribute_name("LockID")
                            .attribute_type(ScalarAttributeType::S)
                            .build()
                            .expect("attribute"),
                    )
                    .build(),
            )
            .build()
    });
    let table_tags = mock!(aws_sdk_dynamodb::Client::list_tags_of_resource).then_output(|| {
        let tag = |k: &str, v: &str| {
            aws_sdk_dynamodb::types::Tag::builder()
                .key(k)
                .value(v)
                .build()
                .expect("tag")
        };
        ListTagsOfResourceOutput::builder()
            .tags(tag("ManagedBy", "tfstate-wizard"))
            .tags(tag("Team", "platform"))
            .build()
    });
    // Terraform needs GetItem, PutItem and DeleteItem on the table, not Scan.
    let scan = mock!(aws_sdk_dynamodb::Client::scan).then_http_response(|| {
        http(
            400,
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#AccessDeniedException","message":"not authorized to perform: dynamodb:Scan"}"#,
        )
    });
    let dynamodb = mock_client!(
        aws_sdk_dynamodb,
        RuleMode::MatchAny,
        [&tables, &describe, &table_tags, &scan]
    );
    let session = Session::detached("dev", REGION);

    let backends = discover_with(&session, &s3, &dynamodb).await.expect("discover");

    let managed = &backends[0];
    assert_eq!(
        (managed.bucket.as_str(), managed.tables.clone(), managed.lock),
        ("managed", vec!["locks".to_owned()], Some(LockStrategy::Dynamodb))
    );
    assert_eq!(managed.unreadable, None);
    let other = &backends[1];
    assert_eq!((other.bucket.as_str(), other.lock), ("other", None));
    assert_eq!(
        other.unreadable.as_deref(),
        Some("its lock table could not be looked for: table locks: AccessDenied on dynamodb:Scan")
    );
}
