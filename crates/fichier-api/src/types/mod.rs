//! Request and response bodies of the API v1, with the field names 1fichier uses.
//!
//! Responses decode tolerantly (see `de.rs` and the crate README): numbers may arrive as
//! strings, flags as numbers, strings or booleans, arrays may be missing or null, and the
//! MIME type may be spelt `content-type` or `content_type`.
//!
//! One module per area of the API; everything is re-exported here.

mod download;
mod files;
mod folders;
mod ftp;
mod remote;
mod upload;
mod user;
mod website;

pub use download::*;
pub use files::*;
pub use folders::*;
pub use ftp::*;
pub use remote::*;
pub use upload::*;
pub use user::*;
pub use website::*;

fn is_false(b: &bool) -> bool {
    !*b
}

/// A flag 1fichier wants as 0 or 1.
fn ser_bool_int<S: serde::Serializer>(v: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u8(u8::from(*v))
}

#[cfg(test)]
mod tests;
