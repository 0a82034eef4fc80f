//! The registered sources. Adding a source means adding its folder here and in `migration`,
//! and one line in [`SOURCES`].

use crate::graphql::spec::Source;

pub mod character_creation;
pub mod deed_o;
pub mod head_shakers;
pub mod mind_vault;
pub mod usegemz;

/// Every source, in namespace order.
pub static SOURCES: &[&Source] = &[
    &head_shakers::SOURCE,
    &usegemz::SOURCE,
    &character_creation::SOURCE,
    &mind_vault::SOURCE,
    &deed_o::SOURCE,
];

/// The source with this id.
pub fn source(id: &str) -> Option<&'static Source> {
    SOURCES.iter().copied().find(|s| s.id == id)
}
