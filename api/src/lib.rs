//! The gateway: one GraphQL endpoint over the databases of five applications.
//!
//! `config` reads flags and environment, `db` opens a pool per source database, `graphql`
//! builds the schema from the source descriptions in `sources`, `http` serves it, `auth`
//! knows the viewer, `seed` writes demo data and `startup` ties them together.

pub mod auth;
pub mod config;
pub mod db;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod identity;
pub mod seed;
pub mod sources;
pub mod startup;
