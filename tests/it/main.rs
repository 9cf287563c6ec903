//! The one integration-test binary (linking the AWS SDK once is slow enough).

mod cli;
mod corpus;
mod examples;
mod fuzz;
mod project;
