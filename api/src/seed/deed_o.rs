//! Demo data of `deed_o`.

use crate::db::Connections;
use crate::error::ApiError;

/// Writes demo data at `scale` into an empty `deed_o` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let _ = (conns, scale);
    Ok(())
}
