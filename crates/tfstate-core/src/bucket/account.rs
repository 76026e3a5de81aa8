//! The account's own public access block (S3 Control). An organization often enforces it at
//! the account level and denies changing it per bucket; then the bucket's block adds nothing.

use crate::session::Session;

/// True when the account blocks all four kinds of public access for every bucket it has. False
/// when it does not, or when that cannot be read (no `s3:GetAccountPublicAccessBlock`, an
/// endpoint without S3 Control): then the bucket's own block is needed.
pub async fn blocks_public_access(session: &Session, account: &str) -> bool {
    let answer = session
        .s3control()
        .get_public_access_block()
        .account_id(account)
        .send()
        .await;
    answer
        .ok()
        .and_then(|a| a.public_access_block_configuration().cloned())
        .is_some_and(|c| {
            super::blocks_all_four([
                c.block_public_acls(),
                c.ignore_public_acls(),
                c.block_public_policy(),
                c.restrict_public_buckets(),
            ])
        })
}
