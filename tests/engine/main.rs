//! The engine against a real AWS API emulator.

mod identity;
mod provision;
