//! Download tokens and the `file/*` endpoints.

use super::*;

pub(super) fn get_token(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    if !c.offer.is_customer() {
        return Err(Ko::not_customer());
    }
    let pass = opt_str(p, "pass")?;
    let single = opt_int(p, "single")?.unwrap_or(0) != 0;
    let inline = opt_int(p, "inline")?.unwrap_or(0) != 0;
    let mut w = st.shared.world();
    let id = match (opt_int(p, "folder_id")?, opt_str(p, "filename")?) {
        // Groupware shares with hidden links: the URL is ignored.
        (Some(folder), Some(name)) if !name.is_empty() => w
            .files
            .values()
            .find(|f| f.folder_id == folder && f.filename == name && f.owner == Some(c.account))
            .map(|f| f.id.clone())
            .ok_or_else(Ko::not_found)?,
        _ => {
            let url = req_str(p, "url")?;
            state::file_id_from_url(&url).ok_or_else(Ko::not_found)?
        }
    };
    let f = w.files.get(&id).ok_or_else(Ko::not_found)?;
    check_access(&w, c, f, pass.as_deref())?;
    {
        let mut loc = st.last_location.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((ip, at)) = loc.get(&c.account)
            && *ip != c.ip
            && at.elapsed() < st.config.location_window
        {
            return Err(Ko::new(
                StatusCode::FORBIDDEN,
                "Only 1 location allowed at a time",
                887,
            ));
        }
        loc.insert(c.account, (c.ip, Instant::now()));
    }
    w.purge_expired(st.config.report_ttl);
    let code = loop {
        let letter = (b'a' + rand::random::<u8>() % 26) as char;
        let code = format!(
            "{letter}{}",
            100_000_000 + rand::random::<u32>() % 900_000_000
        );
        if !w.tokens.contains_key(&code) {
            break code;
        }
    };
    w.tokens.insert(
        code.clone(),
        state::Token {
            file_id: id,
            expires: crate::limits::later(Instant::now(), st.config.token_ttl),
            single,
            used: false,
            inline,
            ip: c.ip,
        },
    );
    Ok(json!({"status": "OK", "url": format!("{}/{code}", st.base_url)}))
}

pub(super) async fn file_ls(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let folder = opt_int(p, "folder_id")?.unwrap_or(0);
    let before = opt_str(p, "sent_before")?.filter(|s| !s.is_empty());
    let after = opt_str(p, "sent_after")?.filter(|s| !s.is_empty());
    let files: Vec<StoredFile> = {
        let w = st.shared.world();
        if folder != -1 && !w.owns_folder(c.account, folder) {
            return Err(Ko::not_found());
        }
        w.files_in(c.account, (folder != -1).then_some(folder))
            .into_iter()
            .filter(|f| before.as_deref().is_none_or(|b| f.date.as_str() < b))
            .filter(|f| after.as_deref().is_none_or(|a| f.date.as_str() > a))
            .take(LISTING_CAP)
            .cloned()
            .collect()
    };
    let items = ls_items(st, files).await;
    Ok(json!({"status": "OK", "count": items.len(), "items": items}))
}

pub(super) async fn file_info(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let pass = opt_str(p, "pass")?;
    let (f, path) = {
        let w = st.shared.world();
        let f = match (opt_int(p, "folder_id")?, opt_str(p, "filename")?) {
            (Some(folder), Some(name)) if !name.is_empty() => w
                .files
                .values()
                .find(|f| f.folder_id == folder && f.filename == name && f.owner == Some(c.account))
                .ok_or_else(Ko::not_found)?,
            _ => {
                let url = req_str(p, "url")?;
                let id = state::file_id_from_url(&url).ok_or_else(Ko::not_found)?;
                w.files.get(&id).ok_or_else(Ko::not_found)?
            }
        };
        check_access(&w, c, f, pass.as_deref())?;
        (f.clone(), w.folder_path(f.folder_id))
    };
    let checksum = f.blob.checksum().await;
    // The MIME key is spelt both ways until the real one is known (protocol §8).
    Ok(json!({
        "status": "OK",
        "url": file_url(st, &f.id),
        "filename": f.filename,
        "size": f.blob.size,
        "date": f.date,
        "folder_id": f.folder_id,
        "path": path,
        "checksum": checksum,
        "content-type": f.content_type,
        "content_type": f.content_type,
        "description": f.description,
        "pass": flag(f.pass.is_some()),
        "no_ssl": f.no_ssl,
        "inline": f.inline,
        "cdn": f.cdn,
        "acl": f.acl,
    }))
}

pub(super) fn file_scan(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let url = req_str(p, "url")?;
    let mut w = st.shared.world();
    let id = own_file(&w, c, &url)?.id.clone();
    let f = w.files.get_mut(&id).ok_or_else(Ko::not_found)?;
    if f.blob.size >= SCAN_LIMIT {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "File too large to be scanned",
            668,
        ));
    }
    match &f.scanned_at {
        Some(date) => {
            Ok(json!({"status": "OK", "message": "No virus found (cached result)", "date": date}))
        }
        None => {
            f.scanned_at = Some(state::now_paris());
            Ok(json!({"status": "OK", "message": "No virus found"}))
        }
    }
}

pub(super) fn file_rm(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let entries = object_list(p, "files")?;
    let mut w = st.shared.world();
    let mut removed = Vec::new();
    for e in entries {
        let url = entry_str(&e, "url", "files")?;
        let code = e.get("code").and_then(Value::as_str).unwrap_or("");
        let Some(id) = state::file_id_from_url(url) else {
            continue;
        };
        let Some(f) = w.files.get(&id) else { continue };
        let mine = f.owner == Some(c.account);
        let anonymous_ok = f.owner.is_none() && !code.is_empty() && code == f.remove_code;
        if mine || anonymous_ok {
            w.remove_file(&id);
            removed.push(url.to_string());
        }
    }
    if removed.is_empty() {
        return Err(Ko::not_found());
    }
    Ok(json!({"status": "OK", "removed": removed.len(), "urls": removed}))
}

/// The `rename` of mv.cgi and cp.cgi: allowed with one URL only, and a valid name.
fn new_name(p: &Map<String, Value>, urls: usize) -> Result<Option<String>, Ko> {
    let rename = opt_str(p, "rename")?.filter(|s| !s.is_empty());
    if rename.is_some() && urls != 1 {
        return Err(Ko::bad_param("rename (only with one URL)"));
    }
    if let Some(n) = &rename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    Ok(rename)
}

pub(super) fn file_mv(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let dest = opt_int(p, "destination_folder_id")?
        .ok_or_else(|| Ko::bad_param("destination_folder_id"))?;
    let rename = new_name(p, urls.len())?;
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, dest) {
        return Err(Ko::not_found());
    }
    let ids: Vec<String> = urls
        .iter()
        .map(|u| own_file(&w, c, u).map(|f| f.id.clone()))
        .collect::<Result<_, _>>()?;
    if let Some(n) = &rename
        && w.files[&ids[0]].filename == *n
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Destination name is the same as the source",
            683,
        ));
    }
    for id in &ids {
        let f = w.files.get_mut(id).expect("checked above");
        f.folder_id = dest;
        if let Some(n) = &rename {
            f.filename = n.clone();
        }
    }
    let mut out = json!({"status": "OK", "moved": ids.len(), "urls": urls});
    if let Some(n) = rename {
        out["filename"] = json!(n);
    }
    Ok(out)
}

pub(super) fn file_cp(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let dest = opt_int(p, "folder_id")?.unwrap_or(0);
    let pass = opt_str(p, "pass")?;
    let rename = new_name(p, urls.len())?;
    let mut w = st.shared.world();
    if !w.owns_folder(c.account, dest) {
        return Err(Ko::not_found());
    }
    let mut sources = Vec::new();
    for u in &urls {
        let id = state::file_id_from_url(u).ok_or_else(Ko::not_found)?;
        let f = w.files.get(&id).ok_or_else(Ko::not_found)?;
        check_access(&w, c, f, pass.as_deref())?;
        sources.push((u.clone(), f.clone()));
    }
    let mut pairs = Vec::new();
    for (from, src) in sources {
        let id = w.new_file_id();
        let copy = StoredFile {
            id: id.clone(),
            owner: Some(c.account),
            folder_id: dest,
            filename: rename.clone().unwrap_or(src.filename.clone()),
            date: state::now_paris(),
            pass: None,
            description: String::new(),
            acl: Acl::default(),
            remove_code: String::new(),
            scanned_at: None,
            ..src
        };
        w.insert_file(copy);
        pairs.push(json!({"from_url": from, "to_url": file_url(st, &id)}));
    }
    let mut out = json!({"status": "OK", "copied": pairs.len(), "urls": pairs});
    if let Some(n) = rename {
        out["filename"] = json!(n);
    }
    Ok(out)
}

pub(super) fn file_rename(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let entries = object_list(p, "urls")?;
    let mut w = st.shared.world();
    let mut done = Vec::new();
    for e in entries {
        let url = entry_str(&e, "url", "urls")?;
        let name = entry_str(&e, "filename", "urls")?;
        state::check_name(name).map_err(Ko::bad_name)?;
        let Ok(f) = own_file(&w, c, url) else {
            continue;
        };
        if f.filename == name {
            continue;
        }
        let id = f.id.clone();
        let f = w.files.get_mut(&id).expect("found above");
        let old = std::mem::replace(&mut f.filename, name.to_string());
        done.push(json!({"url": url, "old_filename": old, "new_filename": name}));
    }
    if done.is_empty() {
        // Reported with HTTP 200, as the real service appears to (protocol §3).
        return Err(Ko::new(StatusCode::OK, "No file has been renamed", 312));
    }
    Ok(json!({"status": "OK", "renamed": done.len(), "urls": done}))
}

pub(super) fn file_chattr(st: &Inner, c: &Caller, p: &Map<String, Value>) -> Result<Value, Ko> {
    let urls = str_list(p, "urls")?;
    let filename = opt_str(p, "filename")?.filter(|s| !s.is_empty());
    if filename.is_some() && urls.len() != 1 {
        return Err(Ko::bad_param("filename (only with one URL)"));
    }
    if let Some(n) = &filename {
        state::check_name(n).map_err(Ko::bad_name)?;
    }
    let description = opt_str(p, "description")?;
    let pass = opt_str(p, "pass")?;
    if let Some(pw) = &pass
        && !pw.is_empty()
        && pw.chars().count() < 6
    {
        return Err(Ko::new(
            StatusCode::FORBIDDEN,
            "Password must be at least 6 characters",
            664,
        ));
    }
    let no_ssl = opt_int(p, "no_ssl")?;
    let inline = opt_int(p, "inline")?;
    let cdn = opt_int(p, "cdn")?;
    let acl = match p.get("acl") {
        None | Some(Value::Null) => None,
        Some(v) => {
            Some(serde_json::from_value::<Acl>(v.clone()).map_err(|_| Ko::bad_param("acl"))?)
        }
    };
    let mut w = st.shared.world();
    let ids: Vec<String> = urls
        .iter()
        .map(|u| own_file(&w, c, u).map(|f| f.id.clone()))
        .collect::<Result<_, _>>()?;
    for id in &ids {
        let f = w.files.get_mut(id).expect("checked above");
        if let Some(n) = &filename {
            f.filename = n.clone();
        }
        if let Some(d) = &description {
            f.description = d.clone();
        }
        if let Some(pw) = &pass {
            f.pass = (!pw.is_empty()).then(|| pw.clone());
        }
        if let Some(v) = no_ssl {
            f.no_ssl = (v != 0) as i64;
        }
        if let Some(v) = inline {
            f.inline = (v != 0) as i64;
        }
        if let Some(v) = cdn {
            f.cdn = (v != 0) as i64;
        }
        if let Some(a) = &acl {
            f.acl = a.clone();
        }
    }
    Ok(json!({"status": "OK", "updated": ids.len(), "urls": urls}))
}
