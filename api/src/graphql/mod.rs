//! The GraphQL layer: source descriptions in, an executable schema out.
//!
//! [`spec`] describes tables and relations; [`schema`] turns the descriptions into types and
//! resolvers; [`fetch`], [`sql`], [`filter`] and [`order`] build and run the statements;
//! [`context`] holds what one request's resolvers share.

pub mod batch;
pub mod children;
pub mod connection;
pub mod context;
pub mod fetch;
pub mod filter;
pub mod inline;
pub mod json_filter;
pub mod nulls;
pub mod order;
pub mod payload;
pub mod plan;
pub mod poly;
pub mod schema;
pub mod select;
pub mod spec;
pub mod sql;
pub mod value;
pub mod write;
