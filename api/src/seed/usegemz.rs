//! Demo data of `usegemz`.

use crate::db::Connections;
use crate::error::ApiError;

/// Writes demo data at `scale` into an empty `usegemz` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let _ = (conns, scale);
    Ok(())
}
