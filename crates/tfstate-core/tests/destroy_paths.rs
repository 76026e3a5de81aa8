//! Teardown failures no emulator produces, with mocked SDK clients: DeleteObjects answering 200
//! with per-key errors, a bucket that cannot be deleted. The lock table must outlive its bucket.

use aws_sdk_dynamodb::operation::delete_table::DeleteTableOutput;
use aws_sdk_dynamodb::operation::describe_table::DescribeTableOutput;
use aws_sdk_dynamodb::operation::list_tags_of_resource::ListTagsOfResourceOutput;
use aws_sdk_dynamodb::types::TableDescription;
use aws_sdk_s3::operation::delete_bucket::DeleteBucketOutput;
use aws_sdk_s3::operation::delete_objects::DeleteObjectsOutput;
use aws_sdk_s3::operation::get_bucket_tagging::GetBucketTaggingOutput;
use aws_sdk_s3::operation::list_object_versions::ListObjectVersionsOutput;
use aws_sdk_s3::types::{ObjectVersion, Tag};
use aws_smithy_mocks::{mock, mock_client, Rule, RuleMode};
use aws_smithy_runtime_api::http::{Response, StatusCode};
use aws_smithy_types::body::SdkBody;
use tfstate_core::destroy::{destroy_with, DestroyRequest};
use tfstate_core::names::MANAGED_BY_TAG;
use tfstate_core::{ErrorCode, Session};

const BUCKET: &str = "tfstate-acme";
const TABLE: &str = "terraform-locks";

fn request() -> DestroyRequest {
    DestroyRequest {
        bucket: Some(BUCKET.into()),
        table: Some(TABLE.into()),
        force: true,
    }
}

/// A lock table tagged as the wizard's, without deletion protection.
fn our_table() -> (Rule, Rule) {
    let describe = mock!(aws_sdk_dynamodb::Client::describe_table).then_output(|| {
        DescribeTableOutput::builder()
            .table(
                TableDescription::builder()
                    .table_name(TABLE)
                    .table_arn(format!("arn:aws:dynamodb:eu-west-1:123456789012:table/{TABLE}"))
                    .build(),
            )
            .build()
    });
    let tags = mock!(aws_sdk_dynamodb::Client::list_tags_of_resource).then_output(|| {
        ListTagsOfResourceOutput::builder()
            .tags(
                aws_sdk_dynamodb::types::Tag::builder()
                    .key(MANAGED_BY_TAG.0)
                    .value(MANAGED_BY_TAG.1)
                    .build()
                    .expect("tag"),
            )
            .build()
    });
    (describe, tags)
}

/// A bucket tagged as the wizard's, holding two versions of a state object.
fn our_bucket() -> (Rule, Rule) {
    let tagging = mock!(aws_sdk_s3::Client::get_bucket_tagging).then_output(|| {
        GetBucketTaggingOutput::builder()
            .tag_set(
                Tag::builder()
                    .key(MANAGED_BY_TAG.0)
                    .value(MANAGED_BY_TAG.1)
                    .build()
                    .expect("tag"),
            )
            .build()
            .expect("tagging")
    });
    let versions = mock!(aws_sdk_s3::Client::list_object_versions).then_output(|| {
        let version = |id: &str| {
            ObjectVersion::builder()
                .key("app/terraform.tfstate")
                .version_id(id)
                .build()
        };
        ListObjectVersionsOutput::builder()
            .versions(version("v1"))
            .versions(version("v2"))
            .is_truncated(false)
            .build()
    });
    (tagging, versions)
}

#[tokio::test]
async fn keys_delete_objects_could_not_delete_are_named_and_the_bucket_and_table_kept() {
    let (describe, table_tags) = our_table();
    let delete_table =
        mock!(aws_sdk_dynamodb::Client::delete_table).then_output(|| DeleteTableOutput::builder().build());
    let dynamodb = mock_client!(
        aws_sdk_dynamodb,
        RuleMode::MatchAny,
        [&describe, &table_tags, &delete_table]
    );
    let (tagging, versions) = our_bucket();
    // DeleteObjects answers 200 and lists, in Errors, what it did not delete.
    let delete_objects = mock!(aws_sdk_s3::Client::delete_objects).then_output(|| {
        DeleteObjectsOutput::builder()
            .errors(
                aws_sdk_s3::types::Error::builder()
                    .key("app/terraform.tfstate")
                    .version_id("v1")
                    .code("AccessDenied")
                    .message("Access Denied")
                    .build(),
            )
            .build()
    });
    let delete_bucket = mock!(aws_sdk_s3::Client::delete_bucket).then_output(|| DeleteBucketOutput::builder().build());
    let s3 = mock_client!(
        aws_sdk_s3,
        RuleMode::MatchAny,
        [&tagging, &versions, &delete_objects, &delete_bucket]
    );
    let session = Session::detached("dev", "eu-west-1");

    let err = destroy_with(&session, &s3, &dynamodb, &request())
        .await
        .expect_err("a version was not deleted");
    assert_eq!(err.code(), ErrorCode::Aws);
    let text = err.to_string();
    assert!(
        text.contains("app/terraform.tfstate (version v1): AccessDenied, Access Denied."),
        "names the key, its version and why: {text}"
    );
    assert!(text.contains("run destroy again"), "{text}");
    assert_eq!(delete_objects.num_calls(), 1);
    assert_eq!(
        delete_bucket.num_calls(),
        0,
        "a bucket with versions left is not deleted"
    );
    assert_eq!(
        delete_table.num_calls(),
        0,
        "the lock table stays while its bucket does"
    );
}

#[tokio::test]
async fn a_bucket_that_cannot_be_deleted_keeps_its_lock_table() {
    let (describe, table_tags) = our_table();
    let delete_table =
        mock!(aws_sdk_dynamodb::Client::delete_table).then_output(|| DeleteTableOutput::builder().build());
    let dynamodb = mock_client!(
        aws_sdk_dynamodb,
        RuleMode::MatchAny,
        [&describe, &table_tags, &delete_table]
    );
    let (tagging, versions) = our_bucket();
    let delete_objects =
        mock!(aws_sdk_s3::Client::delete_objects).then_output(|| DeleteObjectsOutput::builder().build());
    let delete_bucket = mock!(aws_sdk_s3::Client::delete_bucket).then_http_response(|| {
        Response::new(
            StatusCode::try_from(403).expect("status"),
            SdkBody::from("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>"),
        )
    });
    let s3 = mock_client!(
        aws_sdk_s3,
        RuleMode::MatchAny,
        [&tagging, &versions, &delete_objects, &delete_bucket]
    );
    let session = Session::detached("dev", "eu-west-1");

    let err = destroy_with(&session, &s3, &dynamodb, &request())
        .await
        .expect_err("DeleteBucket denied");
    assert_eq!(err.code(), ErrorCode::AccessDenied, "{err}");
    assert_eq!(delete_bucket.num_calls(), 1);
    assert_eq!(
        delete_table.num_calls(),
        0,
        "Terraform can still lock while the bucket is there"
    );
}
