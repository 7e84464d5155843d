//! The account summary, browsing and file-management commands.

use fichier_api::{
    FileCpRequest, FileInfoRequest, FileMvRequest, FileToRemove, FolderLsRequest, FolderMvRequest,
    GetTokenRequest, Password, RenameEntry,
};
use fichier_core::library::Library;
use fichier_core::{display_name, encode_name};
use serde_json::json;

use crate::output::{Out, size};
use crate::{CliResult, Failure, client};

/// A file URL or a folder id.
enum Item {
    File(String),
    Folder(i64),
}

fn item(s: &str) -> Result<Item, Failure> {
    if let Ok(id) = s.trim().parse::<i64>() {
        return Ok(Item::Folder(id));
    }
    if s.starts_with("http://") || s.starts_with("https://") {
        return Ok(Item::File(s.trim().to_string()));
    }
    Err(Failure::usage(format!(
        "{s:?} is neither a file link (https://1fichier.com/?…) nor a folder id"
    )))
}

pub async fn whoami(out: &Out) -> CliResult {
    let a = Library::new(client()?).account().await?;
    out.show(&a, || {
        println!("{} — {:?}", a.email, a.offer);
        println!(
            "storage: {} used of {}",
            size(a.cold_storage_used),
            size(a.cold_storage_total)
        );
        if let Some(hot) = a.hot_storage_used {
            println!("hot storage: {} used", size(hot));
        }
        if let Some(free) = a.available_storage {
            println!("available: {}", size(free));
        }
        let cdn = if a.use_cdn { "on" } else { "off" };
        println!("CDN credit: {} GB (use CDN credit: {cdn})", a.cdn_credit_gb);
        if let Some(end) = &a.subscription_end {
            println!("subscription ends: {end}");
        }
        for n in &a.notices {
            println!("! {}", n.explain());
        }
    });
    Ok(())
}

pub async fn ls(out: &Out, folder: i64) -> CliResult {
    let listing = client()?
        .list_folder(&FolderLsRequest::folder(folder).with_files())
        .await?
        .value;
    let folders: Vec<_> = listing
        .sub_folders
        .iter()
        .map(|f| json!({"id": f.id, "name": display_name(&f.name), "createDate": f.create_date}))
        .collect();
    let files: Vec<_> = listing
        .items
        .iter()
        .map(|f| {
            json!({"url": f.url, "filename": display_name(&f.filename), "size": f.size,
                   "date": f.date, "checksum": f.checksum})
        })
        .collect();
    out.show(
        &json!({"folderId": listing.folder_id, "name": listing.name,
                "subFolders": folders, "files": files}),
        || {
            for f in &listing.sub_folders {
                println!("{:>12}  {:>10}  {}/", f.id, "-", display_name(&f.name));
            }
            for f in &listing.items {
                println!(
                    "{:>12}  {:>10}  {}  {}",
                    "",
                    size(f.size),
                    display_name(&f.filename),
                    f.url
                );
            }
        },
    );
    Ok(())
}

pub async fn tree(out: &Out, folder: i64) -> CliResult {
    let client = client()?;
    let mut lines = Vec::new();
    let mut nodes = Vec::new();
    // Depth-first, one listing per folder (1fichier allows one per folder per 30 s).
    let mut stack = vec![(folder, 0usize, String::new())];
    while let Some((id, depth, name)) = stack.pop() {
        let listing = client
            .list_folder(&FolderLsRequest::folder(id).with_files())
            .await?
            .value;
        let indent = "  ".repeat(depth);
        let shown = if depth == 0 && name.is_empty() {
            format!("{} ({id})", if id == 0 { "/" } else { &listing.name })
        } else {
            format!("{name}/ ({id})")
        };
        lines.push(format!("{indent}{shown}"));
        for f in &listing.items {
            lines.push(format!(
                "{indent}  {}  {}",
                display_name(&f.filename),
                size(f.size)
            ));
        }
        nodes.push(
            json!({"id": id, "depth": depth, "name": display_name(&listing.name),
            "files": listing.items.iter().map(|f| json!({"url": f.url,
                "filename": display_name(&f.filename), "size": f.size})).collect::<Vec<_>>()}),
        );
        for sub in listing.sub_folders.iter().rev() {
            stack.push((sub.id, depth + 1, display_name(&sub.name)));
        }
    }
    out.show(&nodes, || {
        for l in &lines {
            println!("{l}");
        }
    });
    Ok(())
}

pub async fn mkdir(out: &Out, name: &str, parent: i64) -> CliResult {
    let created = client()?.create_folder(parent, &encode_name(name)).await?;
    out.show(
        &json!({"id": created.folder_id, "name": name, "parentId": parent}),
        || println!("{}", created.folder_id),
    );
    Ok(())
}

pub async fn mv(out: &Out, items: &[String], to: i64) -> CliResult {
    let client = client()?;
    let mut urls = Vec::new();
    let mut moved_folders = Vec::new();
    for s in items {
        match item(s)? {
            Item::File(u) => urls.push(u),
            Item::Folder(id) => {
                client
                    .move_folder(&FolderMvRequest {
                        folder_id: id,
                        destination_folder_id: Some(to),
                        ..Default::default()
                    })
                    .await?;
                moved_folders.push(id);
            }
        }
    }
    let mut moved = 0;
    if !urls.is_empty() {
        moved = client
            .move_files(&FileMvRequest {
                urls: urls.clone(),
                destination_folder_id: to,
                ..Default::default()
            })
            .await?
            .moved;
    }
    out.show(
        &json!({"movedFiles": moved, "movedFolders": moved_folders}),
        || println!("moved {} file(s), {} folder(s)", moved, moved_folders.len()),
    );
    Ok(())
}

pub async fn cp(out: &Out, urls: &[String], to: i64) -> CliResult {
    let copied = client()?
        .copy_files(&FileCpRequest {
            urls: urls.to_vec(),
            folder_id: to,
            ..Default::default()
        })
        .await?;
    let pairs: Vec<_> = copied
        .urls
        .iter()
        .map(|c| json!({"from": c.from_url, "to": c.to_url}))
        .collect();
    out.show(&pairs, || {
        for c in &copied.urls {
            println!("{}", c.to_url);
        }
    });
    Ok(())
}

pub async fn rename(out: &Out, target: &str, new_name: &str) -> CliResult {
    let client = client()?;
    let encoded = encode_name(new_name);
    match item(target)? {
        Item::File(url) => {
            client
                .rename_files(&[RenameEntry {
                    url: url.clone(),
                    filename: encoded,
                }])
                .await?;
        }
        Item::Folder(id) => {
            client
                .move_folder(&FolderMvRequest {
                    folder_id: id,
                    rename: Some(encoded),
                    ..Default::default()
                })
                .await?;
        }
    }
    out.show(&json!({"renamed": target, "name": new_name}), || {
        println!("renamed to {new_name}")
    });
    Ok(())
}

pub async fn rm(out: &Out, items: &[String], yes: bool, recursive: bool) -> CliResult {
    let client = client()?;
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for s in items {
        match item(s)? {
            Item::File(u) => files.push(u),
            Item::Folder(0) => return Err(Failure::usage("the root folder can't be deleted")),
            Item::Folder(id) => folders.push(id),
        }
    }
    if !folders.is_empty() && !yes {
        return Err(Failure::usage(
            "deleting folders needs --yes (and --recursive to delete what they contain)",
        ));
    }
    let mut removed_files = 0;
    if !files.is_empty() {
        let list: Vec<_> = files
            .iter()
            .map(|u| FileToRemove {
                url: u.clone(),
                code: None,
            })
            .collect();
        removed_files += client.remove_files(&list).await?.removed;
    }
    for id in &folders {
        if recursive {
            removed_files += empty_folder(&client, *id).await?;
        }
        client.remove_folder(*id).await?;
    }
    out.show(
        &json!({"removedFiles": removed_files, "removedFolders": folders}),
        || {
            println!(
                "deleted {removed_files} file(s), {} folder(s)",
                folders.len()
            )
        },
    );
    Ok(())
}

/// Deletes everything inside a folder, depth first; returns the files removed.
async fn empty_folder(client: &fichier_api::FichierClient, id: i64) -> Result<u64, Failure> {
    Ok(Library::new(client.clone()).empty_folder(id).await?)
}

pub async fn info(out: &Out, url: &str, password: Option<String>) -> CliResult {
    let mut req = FileInfoRequest::new(url);
    req.pass = password.map(Password::new);
    let i = client()?.file_info(&req).await?;
    let v = json!({"url": i.url, "filename": display_name(&i.filename), "size": i.size,
        "date": i.date, "folderId": i.folder_id, "path": i.path, "checksum": i.checksum,
        "contentType": i.content_type, "description": i.description, "pass": i.pass,
        "cdn": i.cdn, "inline": i.inline, "noSsl": i.no_ssl});
    out.show(&v, || {
        println!("name:     {}", display_name(&i.filename));
        println!("size:     {} ({} bytes)", size(i.size), i.size);
        println!("date:     {}", i.date);
        if let Some(p) = &i.path {
            println!("folder:   {p} ({})", i.folder_id.unwrap_or(0));
        }
        if let Some(c) = &i.checksum {
            println!("whirlpool: {c}");
        }
        println!("password: {}", if i.pass { "yes" } else { "no" });
        println!("url:      {}", i.url);
    });
    Ok(())
}

pub async fn link(out: &Out, url: &str, password: Option<String>) -> CliResult {
    let mut req = GetTokenRequest::new(url);
    req.pass = password.map(Password::new);
    // A link the user will open in another program may take several requests.
    req.single = None;
    let token = client()?.get_token(&req).await?;
    out.show(&json!({"url": token.url, "expiresInSeconds": 300}), || {
        println!("{}", token.url)
    });
    Ok(())
}

pub async fn remote_ls(out: &Out) -> CliResult {
    let jobs = client()?.remote_jobs().await?;
    out.show(&jobs.data, || {
        for j in &jobs.data {
            let state = if j.has_run() {
                format!("ran {}", j.execution_date)
            } else {
                "waiting".into()
            };
            println!("{:>10}  requested {}  {state}", j.id, j.request_date);
        }
    });
    Ok(())
}

pub async fn remote_info(out: &Out, id: i64) -> CliResult {
    let job = client()?.remote_job(id).await?;
    out.show(&job, || {
        println!("job {} requested {}", job.id, job.request_date);
        for l in &job.links {
            let r = job.result.iter().find(|r| &r.url == l);
            match r {
                Some(r) if r.is_ok() => println!(
                    "  ok  {l} -> {}",
                    r.download_link.clone().unwrap_or_default()
                ),
                Some(r) => println!("  KO  {l}: {}", r.message.clone().unwrap_or_default()),
                None => println!("  ..  {l} (not fetched yet)"),
            }
        }
    });
    Ok(())
}

pub fn hash(out: &Out, paths: &[std::path::PathBuf]) -> CliResult {
    use std::io::Read;
    use whirlpool::{Digest, Whirlpool};
    let mut results = Vec::new();
    for p in paths {
        let io = |e: std::io::Error| Failure::from(fichier_core::CoreError::from_io(p, &e));
        let mut f = std::fs::File::open(p).map_err(io)?;
        let mut h = Whirlpool::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        results.push((p.display().to_string(), hex::encode(h.finalize())));
    }
    let v: Vec<_> = results
        .iter()
        .map(|(p, h)| json!({"path": p, "whirlpool": h}))
        .collect();
    out.show(&v, || {
        for (p, h) in &results {
            println!("{h}  {p}");
        }
    });
    Ok(())
}
