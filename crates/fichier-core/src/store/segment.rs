//! A piece of a download on several connections, as the queue journals it.

use serde::{Deserialize, Serialize};

/// Bytes `start..end` of the file, of which the first `done` are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Segment {
    pub start: u64,
    pub end: u64,
    pub done: u64,
}

impl Segment {
    pub(crate) fn pos(&self) -> u64 {
        self.start + self.done
    }

    pub(crate) fn left(&self) -> u64 {
        self.end - self.pos()
    }
}
