//! The one integration-test binary (linking the AWS SDK once is slow enough); each area is a
//! module.

mod architecture;
mod cli;
mod common;
mod corpus;
mod day_one;
mod deploy;
mod emulator;
mod examples;
mod fuzz;
mod help;
mod import;
mod lifecycle;
mod mapping;
