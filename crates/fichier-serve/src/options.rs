//! The user's choices for the server (on or off, port, network, read only), kept in a
//! small JSON file beside the app's other data so they survive restarts.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The port the server uses unless told otherwise (core's).
pub const DEFAULT_PORT: u16 = fichier_core::serving::DEFAULT_SERVE_PORT;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServeOptions {
    pub enabled: bool,
    pub lan: bool,
    pub read_only: bool,
    /// 0 picks any free port (links then change with each start).
    pub port: u16,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            enabled: false,
            lan: false,
            read_only: false,
            port: DEFAULT_PORT,
        }
    }
}

impl ServeOptions {
    /// The saved options, or the defaults when there are none or they can't be read.
    pub fn load(path: &Path) -> ServeOptions {
        std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Saves through a temporary file, so a crash never leaves half a file.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self)?)?;
        std::fs::rename(&tmp, path)
    }

    pub fn listen(&self) -> std::net::SocketAddr {
        let ip = if self.lan {
            std::net::IpAddr::from([0, 0, 0, 0])
        } else {
            std::net::IpAddr::from([127, 0, 0, 1])
        };
        std::net::SocketAddr::new(ip, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_options_come_back_and_bad_files_give_the_defaults() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("serve.json");
        assert_eq!(ServeOptions::load(&p), ServeOptions::default());
        let o = ServeOptions {
            enabled: true,
            lan: true,
            read_only: true,
            port: 5000,
        };
        o.save(&p).unwrap();
        assert_eq!(ServeOptions::load(&p), o);
        assert_eq!(o.listen().to_string(), "0.0.0.0:5000");
        std::fs::write(&p, "{not json").unwrap();
        assert_eq!(ServeOptions::load(&p), ServeOptions::default());
    }
}
