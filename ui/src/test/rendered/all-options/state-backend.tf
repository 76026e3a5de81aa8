# The state bucket and lock table, managed by Terraform from now on. They already exist:
# the import blocks adopt them on the next `terraform plan` / `terraform apply` instead of
# creating them. prevent_destroy guards the state against `terraform destroy`.

resource "aws_s3_bucket" "state" {
  bucket = "tfstate-123456789012-eu-west-1"

  tags = {
    "Cost"      = "1234"
    "ManagedBy" = "tfstate-wizard"
    "Team"      = "platform @ ops"
  }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/tfstate"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket = aws_s3_bucket.state.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "state" {
  bucket = aws_s3_bucket.state.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.state.arn, "${aws_s3_bucket.state.arn}/*"]
      Condition = {
        Bool = { "aws:SecureTransport" = "false" }
      }
    }]
  })
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id

  rule {
    id     = "tfstate-wizard-state-retention"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }

    noncurrent_version_expiration {
      noncurrent_days = 90
    }
  }
}

resource "aws_dynamodb_table" "lock" {
  name                        = "terraform-locks"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "LockID"
  deletion_protection_enabled = false

  attribute {
    name = "LockID"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = {
    "Cost"      = "1234"
    "ManagedBy" = "tfstate-wizard"
    "Team"      = "platform @ ops"
  }

  lifecycle {
    prevent_destroy = true
  }
}

import {
  to = aws_s3_bucket.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_versioning.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_server_side_encryption_configuration.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_public_access_block.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_ownership_controls.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_policy.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_s3_bucket_lifecycle_configuration.state
  id = "tfstate-123456789012-eu-west-1"
}

import {
  to = aws_dynamodb_table.lock
  id = "terraform-locks"
}
