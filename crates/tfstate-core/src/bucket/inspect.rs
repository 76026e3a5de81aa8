//! Reads what is true of a bucket name in AWS: free, someone else's, this account's in another
//! region, or this account's with these settings. Read-only; the plan decides what to do.

use aws_sdk_s3::error::SdkError;
use aws_sdk_s3::Client;

use super::{account, Settings};
use crate::action::BucketSuggestion;
use crate::aws_error;
use crate::error::Result;
use crate::identity::CallerIdentity;
use crate::names;
use crate::request::BackendRequest;
use crate::session::{Service, Session};

/// What AWS says about the requested bucket name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BucketFacts {
    /// Nobody holds the name.
    Absent,
    /// Another account holds it (or this profile may not see it).
    Taken,
    /// This account holds it in another region (`None` when S3 did not say which).
    Elsewhere(Option<String>),
    /// This account holds it in the requested region, with these settings.
    Owned(Settings),
}

/// Reads the bucket's ownership, region and settings.
pub async fn inspect(
    session: &Session,
    s3: &Client,
    identity: &CallerIdentity,
    request: &BackendRequest,
) -> Result<BucketFacts> {
    let name = request.bucket.as_str();
    let head = s3
        .head_bucket()
        .bucket(name)
        .expected_bucket_owner(&identity.account)
        .send()
        .await;
    let region = match head {
        Ok(found) => found.bucket_region().map(str::to_owned),
        Err(SdkError::ServiceError(e)) => {
            let status = e.raw().status().as_u16();
            let elsewhere = e.raw().headers().get("x-amz-bucket-region").map(str::to_owned);
            match (status, elsewhere) {
                (404, _) => return Ok(BucketFacts::Absent),
                (403, _) => return Ok(BucketFacts::Taken),
                // S3 names the region of ANY existing bucket, whoever owns it (301, and 400 for
                // some cross-region requests): ownership is confirmed before saying "yours".
                (301 | 400, Some(region)) => {
                    return Ok(match owned_by_caller(s3, name).await {
                        false => BucketFacts::Taken,
                        true => BucketFacts::Elsewhere(Some(region)),
                    });
                }
                (301, None) => {
                    return Ok(match owned_by_caller(s3, name).await {
                        false => BucketFacts::Taken,
                        true => BucketFacts::Elsewhere(None),
                    });
                }
                _ => {
                    let at = session.call_context("s3:HeadBucket", Service::S3);
                    return Err(aws_error::from_sdk(at, SdkError::ServiceError(e)));
                }
            }
        }
        Err(e) => {
            return Err(aws_error::from_sdk(
                session.call_context("s3:HeadBucket", Service::S3),
                e,
            ))
        }
    };
    if !owned_by_caller(s3, name).await {
        return Ok(BucketFacts::Taken);
    }
    if let Some(region) = region.filter(|r| r != &request.region) {
        return Ok(BucketFacts::Elsewhere(Some(region)));
    }
    let mut settings = Settings::read(session, s3, name).await?;
    // An account-level block covers every bucket: the bucket's own block is then not missing.
    if !settings.public_access_blocked {
        settings.public_access_blocked = account::blocks_public_access(session, &identity.account).await;
    }
    Ok(BucketFacts::Owned(settings))
}

/// HeadBucket does not prove ownership (emulators ignore ExpectedBucketOwner, and a redirect
/// names the region of anyone's bucket), so the account's own bucket list decides. Without
/// s3:ListAllMyBuckets, HeadBucket's answer stands.
async fn owned_by_caller(s3: &Client, name: &str) -> bool {
    let mut pages = s3.list_buckets().prefix(name).into_paginator().send();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                if page.buckets().iter().any(|b| b.name() == Some(name)) {
                    return true;
                }
            }
            Err(_) => return true,
        }
    }
    false
}

/// Names derived from the requested one that nobody holds yet, best first: the account-regional
/// name (which no other account can take), then the name with the account id (and region).
pub async fn suggest_free_names(
    s3: &Client,
    identity: &CallerIdentity,
    request: &BackendRequest,
) -> Vec<BucketSuggestion> {
    let base = request.bucket.trim_end_matches('-');
    let regional = names::has_account_regional_namespace(&request.region).then(|| {
        (
            names::account_regional_bucket(base, &identity.account, &request.region),
            true,
        )
    });
    let candidates = regional.into_iter().chain([
        (format!("{base}-{}", identity.account), false),
        (format!("{base}-{}-{}", identity.account, request.region), false),
    ]);
    let mut free: Vec<BucketSuggestion> = Vec::new();
    for (bucket, account_regional) in candidates {
        if names::validate_bucket(&bucket).is_err() || free.iter().any(|s| s.bucket == bucket) {
            continue;
        }
        let answer = s3.head_bucket().bucket(&bucket).send().await;
        if matches!(&answer, Err(SdkError::ServiceError(e)) if e.raw().status().as_u16() == 404) {
            free.push(BucketSuggestion {
                bucket,
                account_regional,
            });
        }
    }
    free
}
