//! The engine against a real AWS API emulator.

mod bad_folders;
mod bad_input;
mod cleanup;
mod destroy;
mod discover;
mod faults;
mod guardrails;
mod identity;
mod practice;
mod provision;
mod sso;
mod tls;
mod verify;
