//! The engine against a real AWS API emulator.

mod destroy;
mod identity;
mod provision;
mod tls;
