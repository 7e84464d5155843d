//! The window's commands, one module per area. Each is a few lines: check the input,
//! call one core function, map the error.

pub mod account;
pub mod accounts;
pub mod backups;
pub mod dialogs;
pub mod files;
pub mod remote;
pub mod serve;
pub mod settings;
pub mod transfers;
