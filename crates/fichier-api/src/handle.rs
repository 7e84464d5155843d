//! What every client of one account shares: the pacer that spaces its calls and the cache
//! of its answers. Clients made for the same account from one handle (the app's windows,
//! the local server, a backup) keep 1fichier's rules together and read each other's
//! listings instead of asking again.

use std::sync::Arc;
use std::time::Duration;

use crate::cache::{Cached, ResponseCache};
use crate::pacer::Pacer;
use crate::types::UserInfo;

/// One account's pacer and cache. Cheap to clone; clones share both.
#[derive(Clone, Default)]
pub struct AccountHandle {
    pacer: Pacer,
    cache: Arc<ResponseCache>,
}

impl std::fmt::Debug for AccountHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountHandle")
            .field("pacer", &self.pacer)
            .finish_non_exhaustive()
    }
}

impl AccountHandle {
    /// A handle around `pacer`, with an empty cache.
    pub fn new(pacer: Pacer) -> AccountHandle {
        AccountHandle {
            pacer,
            cache: Arc::default(),
        }
    }

    pub fn pacer(&self) -> &Pacer {
        &self.pacer
    }

    pub(crate) fn cache(&self) -> &ResponseCache {
        &self.cache
    }

    /// Forgets every cached answer (e.g. after the user asks for a full refresh). The
    /// per-endpoint intervals still apply.
    pub fn invalidate_caches(&self) {
        self.cache.clear();
    }

    /// The account information if a copy younger than `ttl` is known: this process's,
    /// or a newer one another process of the account left in the pacing memory.
    pub(crate) fn user_info(&self, ttl: Duration) -> Option<Cached<UserInfo>> {
        if let Some((at, info)) = self.pacer.shared_user_info()
            && self.cache.user_info_at().is_none_or(|mine| mine < at)
        {
            self.cache.put_user_info(at, info);
        }
        self.cache.user_info(self.pacer.now(), ttl)
    }

    /// Shares the cached account information with the account's other processes.
    pub(crate) fn share_user_info(&self) {
        self.pacer.share_user_info(self.cache.user_info_entry());
        self.pacer.persist();
    }
}
