//! The account summary, browsing and file-management commands.

use fichier_core::library::{Library, Target};
use serde_json::json;

use crate::output::{Out, size};
use crate::{CliResult, Failure, client};

fn library() -> Result<Library, Failure> {
    Ok(Library::new(client()?))
}

/// The file links and folder ids a command was given; a word that is neither is a usage
/// error.
fn targets(items: &[String]) -> Result<Vec<Target>, Failure> {
    Target::parse_all(items).map_err(|e| Failure::usage(e.to_string()))
}

pub async fn whoami(out: &Out) -> CliResult {
    let a = library()?.account().await?;
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
    let view = library()?.list_folder(folder).await?;
    out.show(&view, || {
        for f in &view.sub_folders {
            println!("{:>12}  {:>10}  {}/", f.id, "-", f.name);
        }
        for f in &view.files {
            println!(
                "{:>12}  {:>10}  {}  {}",
                "",
                size(f.size),
                f.filename,
                f.url
            );
        }
    });
    Ok(())
}

pub async fn tree(out: &Out, folder: i64) -> CliResult {
    let nodes = library()?.tree(folder).await?;
    out.show(&nodes, || {
        for n in &nodes {
            let indent = "  ".repeat(n.depth as usize);
            let slash = if n.id == 0 { "" } else { "/" };
            println!("{indent}{}{slash} ({})", n.name, n.id);
            for f in &n.files {
                println!("{indent}  {}  {}", f.filename, size(f.size));
            }
        }
    });
    Ok(())
}

pub async fn mkdir(out: &Out, name: &str, parent: i64) -> CliResult {
    let created = library()?.create_folder(parent, name).await?;
    out.show(&created, || println!("{}", created.id));
    Ok(())
}

pub async fn mv(out: &Out, items: &[String], to: i64) -> CliResult {
    let targets = targets(items)?;
    let report = library()?.move_targets(&targets, to).await?;
    out.show(&report, || {
        println!(
            "moved {} file(s), {} folder(s)",
            report.moved_files,
            report.moved_folders.len()
        )
    });
    Ok(())
}

pub async fn cp(out: &Out, urls: &[String], to: i64) -> CliResult {
    let copied = library()?.copy_files(urls.to_vec(), to).await?;
    out.show(&copied, || {
        for c in &copied {
            println!("{}", c.to);
        }
    });
    Ok(())
}

pub async fn rename(out: &Out, target: &str, new_name: &str) -> CliResult {
    let t = targets(&[target.to_string()])?;
    library()?.rename_target(&t[0], new_name).await?;
    out.show(&json!({"renamed": target, "name": new_name}), || {
        println!("renamed to {new_name}")
    });
    Ok(())
}

pub async fn rm(out: &Out, items: &[String], yes: bool, recursive: bool) -> CliResult {
    let targets = targets(items)?;
    if targets.contains(&Target::Folder(0)) {
        return Err(Failure::usage("the root folder can't be deleted"));
    }
    if !yes && targets.iter().any(|t| matches!(t, Target::Folder(_))) {
        return Err(Failure::usage(
            "deleting folders needs --yes (and --recursive to delete what they contain)",
        ));
    }
    let report = library()?.remove_targets(&targets, recursive).await?;
    out.show(&report, || {
        println!(
            "deleted {} file(s), {} folder(s)",
            report.removed_files,
            report.removed_folders.len()
        )
    });
    Ok(())
}

pub async fn info(out: &Out, url: &str, password: Option<String>) -> CliResult {
    let i = library()?.file_info_with(url, password.as_deref()).await?;
    out.show(&i, || {
        let e = &i.entry;
        println!("name:     {}", e.filename);
        println!("size:     {} ({} bytes)", size(e.size), e.size);
        println!("date:     {}", e.date);
        if !i.path.is_empty() {
            println!("folder:   {} ({})", i.path, i.folder_id);
        }
        if let Some(c) = &e.checksum {
            println!("whirlpool: {c}");
        }
        println!("password: {}", if e.pass { "yes" } else { "no" });
        println!("url:      {}", e.url);
    });
    Ok(())
}

pub async fn link(out: &Out, url: &str, password: Option<String>) -> CliResult {
    // A link the user will open in another program may take several requests.
    let link = library()?
        .direct_link(url, password.as_deref(), false)
        .await?;
    out.show(&link, || println!("{}", link.url));
    Ok(())
}

pub async fn remote_ls(out: &Out) -> CliResult {
    let jobs = library()?.remote_jobs().await?;
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
    let job = library()?.remote_job(id).await?;
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
    let mut results = Vec::new();
    for p in paths {
        let digest = fichier_core::hashing::whirlpool_file(p)
            .map_err(|e| Failure::from(fichier_core::CoreError::from_io(p, &e)))?;
        results.push((p.display().to_string(), digest));
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
