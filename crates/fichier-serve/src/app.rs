//! What a running server's handlers share: its configuration, the WebDAV handler over the
//! file system, the account's library and tokens, the counters, and the files met through
//! stream links.

use std::sync::Arc;

use dav_server::DavHandler;
use fichier_core::library::Library;

use crate::ServeConfig;
use crate::context::Ctx;
use crate::fs::FichierFs;
use crate::stats::Stats;
use crate::tokens::Tokens;

/// A file met through a stream link: what a player's requests need without a call.
#[derive(Debug, Clone)]
pub struct Known {
    pub size: u64,
    pub content_type: String,
    pub date: std::time::SystemTime,
}

pub(crate) struct App {
    pub config: ServeConfig,
    pub dav: DavHandler<Ctx>,
    pub fs: FichierFs,
    pub stats: Arc<Stats>,
    pub library: Library,
    pub tokens: Arc<Tokens>,
    /// Files met through stream links: size, type and name, by id.
    pub known: std::sync::Mutex<std::collections::HashMap<String, Known>>,
}
