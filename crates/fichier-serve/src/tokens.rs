//! Download tokens: one per file, asked without `single` so every range and every
//! connection of every client shares it, kept until shortly before 1fichier lets it go,
//! asked once however many requests want it at the same moment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fichier_api::types::GetTokenRequest;
use fichier_api::{ApiError, FichierClient};

use crate::stats::Stats;

#[derive(Default)]
struct Slot {
    token: Option<(String, Instant)>,
}

pub struct Tokens {
    client: FichierClient,
    stats: Arc<Stats>,
    /// How long a token is used after it was given.
    keep_for: Duration,
    slots: Mutex<HashMap<String, Arc<tokio::sync::Mutex<Slot>>>>,
}

impl Tokens {
    pub fn new(client: FichierClient, stats: Arc<Stats>, keep_for: Duration) -> Tokens {
        Tokens {
            client,
            stats,
            keep_for,
            slots: Mutex::new(HashMap::new()),
        }
    }

    pub fn client(&self) -> &FichierClient {
        &self.client
    }

    fn slot(&self, url: &str) -> Arc<tokio::sync::Mutex<Slot>> {
        let mut slots = self.slots.lock().unwrap();
        if slots.len() > 4096 {
            // Tokens of files nobody reads any more; the ones in use are held by readers.
            slots.retain(|_, s| Arc::strong_count(s) > 1);
        }
        slots.entry(url.to_string()).or_default().clone()
    }

    /// The token URL for `url`: the one in hand while it is young enough, a new one
    /// otherwise (the callers waiting meanwhile get the same).
    pub async fn get(&self, url: &str) -> Result<String, ApiError> {
        let slot = self.slot(url);
        let mut s = slot.lock().await;
        if let Some((t, at)) = &s.token
            && at.elapsed() < self.keep_for
        {
            return Ok(t.clone());
        }
        let req = GetTokenRequest {
            url: url.to_string(),
            ..GetTokenRequest::default()
        };
        self.stats
            .token_calls
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.stats.api_call();
        let token = self.client.get_token(&req).await?;
        s.token = Some((token.url.clone(), Instant::now()));
        Ok(token.url)
    }

    /// The download host refused `token`: the next `get` asks for a new one (unless another
    /// reader already did).
    pub async fn refused(&self, url: &str, token: &str) {
        let slot = self.slot(url);
        let mut s = slot.lock().await;
        if s.token.as_ref().is_some_and(|(t, _)| t == token) {
            s.token = None;
        }
    }
}
