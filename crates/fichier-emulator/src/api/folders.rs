//! The `folder/*` endpoints.

use super::*;

pub(super) fn share_url(st: &Inner, code: &str) -> String {
    format!("{}/dir/{code}", st.base_url)
}

pub(super) async fn folder_ls(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.unwrap_or(0);
    let with_files = opt_int(p, "files")?.unwrap_or(0) != 0;
    let (mut out, files) = {
        let w = st.shared.world();
        if !w.owns_folder(c.account, id) {
            return Err(Ko::not_found());
        }
        let own_files = w.files_in(c.account, Some(id));
        let size: u64 = own_files.iter().map(|f| f.blob.size).sum();
        let count = own_files.len();
        let subs: Vec<Value> = w
            .sub_folders(c.account, id)
            .into_iter()
            .take(LISTING_CAP)
            .map(|f| {
                json!({
                    "id": f.id,
                    "name": f.name,
                    "create_date": f.create_date,
                    "pass": flag(f.share_pass.is_some()),
                })
            })
            .collect();
        let (name, create_date, shared, pass) = match w.folders.get(&id) {
            Some(f) => (
                f.name.clone(),
                f.create_date.clone(),
                f.share_code
                    .as_deref()
                    .map(|c| share_url(st, c))
                    .unwrap_or_default(),
                f.share_pass.is_some(),
            ),
            None => (
                String::new(),
                "2020-01-01 00:00:00".to_string(),
                String::new(),
                false,
            ),
        };
        let out = json!({
            "status": "OK",
            "folder_id": id,
            "name": name,
            "create_date": create_date,
            "pass": flag(pass),
            "shared": shared,
            "size": size,
            "files": count,
            "sub_folders": subs,
        });
        let files: Vec<StoredFile> = if with_files {
            own_files.into_iter().take(LISTING_CAP).cloned().collect()
        } else {
            Vec::new()
        };
        (out, files)
    };
    if with_files {
        out["items"] = Value::Array(ls_items(st, files).await);
    }
    Ok(out)
}

pub(super) fn folder_mkdir(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let name = req_str(p, "name")?;
    state::check_name(&name).map_err(Ko::bad_name)?;
    let parent = opt_int(p, "folder_id")?.unwrap_or(0);
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, parent) {
        return Err(Ko::not_found());
    }
    if w.folder_name_taken(c.account, parent, &name) {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder already exists", 647));
    }
    let id = w.mkdir(c.account, parent, &name);
    Ok(json!({"status": "OK", "folder_id": id, "name": name}))
}

pub(super) fn folder_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let mut w = st.shared.world();
    if id == 0 {
        return Err(Ko::not_allowed());
    }
    if !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    if !w.sub_folders(c.account, id).is_empty() || !w.files_in(c.account, Some(id)).is_empty() {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder is not empty", 648));
    }
    w.folders.remove(&id);
    Ok(json!({"status": "OK", "message": "Folder removed"}))
}

pub(super) fn folder_mv(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let dest = opt_int(p, "destination_folder_id")?;
    let rename = opt_str(p, "rename")?.filter(|s| !s.is_empty());
    if let Some(n) = &rename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let mut w = st.shared.world();
    if id == 0 {
        return Err(Ko::not_allowed());
    }
    if !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    let current = w.folders[&id].clone();
    // Both fields: move and rename in one step (our choice; see the README).
    let target_parent = dest.unwrap_or(current.parent.unwrap_or(0));
    if !w.owns_folder(c.account, target_parent) {
        return Err(Ko::not_found());
    }
    if w.is_descendant(target_parent, id) {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Cannot move a folder into itself",
            652,
        ));
    }
    let new_name = rename.unwrap_or(current.name.clone());
    if Some(target_parent) == current.parent && new_name == current.name {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Destination name is the same as the source",
            683,
        ));
    }
    if w.folder_name_taken(c.account, target_parent, &new_name) {
        return Err(Ko::new(StatusCode::FORBIDDEN, "Folder already exists", 647));
    }
    let f = w.folders.get_mut(&id).expect("owned");
    f.parent = Some(target_parent);
    f.name = new_name.clone();
    Ok(
        json!({"status": "OK", "message": "Folder moved", "old_name": current.name, "new_name": new_name}),
    )
}

pub(super) fn folder_share(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let id = opt_int(p, "folder_id")?.ok_or_else(|| Ko::bad_param("folder_id"))?;
    let share = opt_int(p, "share")?;
    let pass = opt_str(p, "pass")?.filter(|s| !s.is_empty());
    if let Some(pw) = &pass
        && pw.chars().count() < 6
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Password must be at least 6 characters",
            664,
        ));
    }
    let shares = match p.get("shares") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => {
            for s in a {
                if s.get("email").and_then(Value::as_str).is_none() {
                    return Err(Ko::bad_param("shares"));
                }
            }
            Some(a.clone())
        }
        Some(_) => return Err(Ko::bad_param("shares")),
    };
    let mut w = st.shared.world();
    if id == 0 || !w.owns_folder(c.account, id) {
        return Err(Ko::not_found());
    }
    let f = w.folders.get_mut(&id).expect("owned");
    if let Some(s) = shares {
        f.groupware = s;
    }
    match share {
        Some(0) => {
            f.share_code = None;
            f.share_pass = None;
            Ok(json!({"status": "OK", "url": "", "message": "Public sharing disabled"}))
        }
        Some(_) => {
            let code = f
                .share_code
                .get_or_insert_with(|| state::random_lower(10))
                .clone();
            f.share_pass = pass;
            Ok(json!({"status": "OK", "url": share_url(st, &code), "message": "Folder shared"}))
        }
        None => {
            let url = f
                .share_code
                .as_deref()
                .map(|c| share_url(st, c))
                .unwrap_or_default();
            Ok(json!({"status": "OK", "url": url, "message": "Sharing updated"}))
        }
    }
}
