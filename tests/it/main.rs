//! The one integration-test binary (linking happens once); each area is a module.

mod common;
mod emulator;
