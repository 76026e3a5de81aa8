//! The engine against a real AWS API emulator.

mod destroy;
mod discover;
mod faults;
mod guardrails;
mod identity;
mod provision;
mod tls;
mod verify;
