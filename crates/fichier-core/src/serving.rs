//! What the local server (stream links and the WebDAV drive) may be set to.

use crate::error::CoreError;

/// The port the server uses unless told otherwise: fixed, so exported links and mounted
/// drives keep working after a restart.
pub const DEFAULT_SERVE_PORT: u16 = 4918;

/// The lowest port the user may choose (0 aside, which picks any free one): the ones
/// below are the system's.
pub const MIN_SERVE_PORT: u16 = 1024;

/// A port the user may choose: 0 (any free one) or from [`MIN_SERVE_PORT`] up.
pub fn check_serve_port(port: u16) -> Result<(), CoreError> {
    if port != 0 && port < MIN_SERVE_PORT {
        return Err(CoreError::InvalidInput {
            reason: format!(
                "Choose a port from {MIN_SERVE_PORT} to 65535 (or 0 for any free one)."
            ),
        });
    }
    Ok(())
}
