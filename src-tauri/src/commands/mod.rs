//! The window's commands, one module per area. Each is a few lines: call one core
//! function, map the error. Each is written under `#[fichier_ipc_macros::command]` and
//! listed once below; the handler and the window's TypeScript (see `crate::ipc`) both come
//! from that list.

pub mod account;
pub mod accounts;
pub mod backups;
pub mod dialogs;
pub mod files;
pub mod remote;
pub mod serve;
pub mod settings;
pub mod transfers;

/// Calls `$then!` with every command as `module::name`, in the order the window's
/// generated `Commands` lists them.
macro_rules! all {
    ($($then:tt)+) => {
        $($then)+! {
            account::get_session,
            account::save_api_key,
            account::start_demo,
            account::forget_key,
            account::sign_out,
            account::get_account,
            account::set_use_cdn,
            account::list_ftp_accounts,
            account::add_ftp_account,
            account::remove_ftp_account,
            account::check_links,
            account::read_text_files,
            accounts::list_accounts,
            accounts::switch_account,
            accounts::add_account,
            accounts::remove_account,
            files::list_folder,
            files::create_folder,
            files::rename_folder,
            files::move_folder,
            files::delete_folder,
            files::rename_file,
            files::move_files,
            files::copy_files,
            files::delete_files,
            files::set_file_attributes,
            files::get_file_info,
            files::share_folder,
            files::get_download_link,
            transfers::list_transfers,
            transfers::list_history,
            transfers::upload_paths,
            transfers::upload_time_check,
            transfers::download_files,
            transfers::pause_transfer,
            transfers::resume_transfer,
            transfers::cancel_transfer,
            transfers::retry_transfer,
            transfers::pause_all,
            transfers::resume_all,
            transfers::clear_finished,
            transfers::show_in_folder,
            transfers::subscribe_events,
            remote::remote_upload,
            remote::list_remote_jobs,
            remote::forget_remote_job,
            remote::retry_remote_job,
            backups::list_backups,
            backups::add_backup,
            backups::update_backup,
            backups::remove_backup,
            backups::preview_backup,
            backups::run_backup,
            backups::set_backup_paused,
            settings::get_settings,
            settings::save_settings,
            dialogs::pick_upload_paths,
            dialogs::pick_directory,
            serve::serve_status,
            serve::set_serve,
            serve::stream_link,
            serve::export_strm,
            serve::mount_drive,
        }
    };
}

/// The handler of every command (a `tauri::generate_handler!`).
macro_rules! handler {
    () => {
        $crate::commands::all!($crate::commands::handler_of)
    };
}

macro_rules! handler_of {
    ($($module:ident::$name:ident,)*) => {
        ::tauri::generate_handler![$($crate::commands::$module::$name),*]
    };
}

macro_rules! signatures_of {
    ($($module:ident::$name:ident,)*) => {
        vec![$($crate::commands::$module::$name::signature()),*]
    };
}

/// What each command takes and returns, for the generated TypeScript.
pub fn signatures() -> Vec<crate::ipc::Signature> {
    all!(crate::commands::signatures_of)
}

pub(crate) use {all, handler, handler_of, signatures_of};
