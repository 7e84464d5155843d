//! The library as a WebDAV file system: paths walked over the cached listings, reads
//! through the shared tokens, writes into verified uploads, folders made, moved, copied
//! and deleted on 1fichier's side (no bytes through this computer for a copy or a move).

use std::sync::Arc;
use std::time::SystemTime;

use dav_server::davpath::DavPath;
use dav_server::fs::{
    DavDirEntry, DavFile, DavMetaData, DavProp, FsError, FsFuture, FsResult, FsStream,
    GuardedFileSystem, OpenOptions, ReadDirMeta,
};
use fichier_api::types::{FileCpRequest, FileMvRequest, FolderMvRequest};
use fichier_core::encode_name;
use futures_util::FutureExt;

use crate::handles::{Entry, LocalRead, Meta, RemoteRead, Target, Write};
use crate::local::{ROOT_HINTS, is_housekeeping};
use crate::reader::Reader;
use crate::tree::{FileNode, Node};

mod moves;

pub use crate::context::{Ctx, Shared, classify};

/// A request path as segments and as a key ("/a/b").
fn split(path: &DavPath) -> FsResult<(Vec<String>, String)> {
    let s = std::str::from_utf8(path.as_bytes()).map_err(|_| FsError::NotFound)?;
    let segs: Vec<String> = s
        .split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    let key = format!("/{}", segs.join("/"));
    Ok((segs, key))
}

fn file_meta(f: &FileNode) -> Meta {
    let id = crate::file_id(&f.entry.url).unwrap_or_default();
    Meta::file(f.entry.size, f.date, Some(format!("{id}-{}", f.entry.size)))
}

fn ready<'a, T: Send + 'a>(r: FsResult<T>) -> FsFuture<'a, T> {
    futures_util::future::ready(r).boxed()
}

#[derive(Clone)]
pub struct FichierFs {
    pub shared: Arc<Shared>,
}

impl FichierFs {
    async fn meta(&self, path: &DavPath, ctx: &Ctx) -> FsResult<Meta> {
        let s = &self.shared;
        let (segs, key) = split(path)?;
        if segs.is_empty() {
            let root = s.api(ctx, s.tree.root()).await?;
            return Ok(Meta::dir(root.created));
        }
        if segs.len() == 1 && ROOT_HINTS.contains(&segs[0].as_str()) {
            return Ok(Meta::file(0, SystemTime::UNIX_EPOCH, None));
        }
        if let Some(l) = s.local.file(&key) {
            return Ok(Meta::file(l.data.len() as u64, l.modified, None));
        }
        match s.resolve(ctx, &segs).await? {
            Some(Node::Folder(f)) => {
                // A listing that fails must fail the PROPFIND, not look like an empty folder.
                if ctx.method.as_str() == "PROPFIND" && !ctx.depth0 && key == ctx.path {
                    s.api(ctx, s.tree.listing(f.id)).await?;
                }
                Ok(Meta::dir(f.created))
            }
            Some(Node::File(f)) => Ok(file_meta(&f)),
            None => Err(FsError::NotFound),
        }
    }

    async fn list(&self, path: &DavPath, ctx: &Ctx) -> FsResult<Vec<Entry>> {
        let s = &self.shared;
        let (segs, key) = split(path)?;
        let id = s.folder_of(ctx, &segs).await?;
        let l = s.api(ctx, s.tree.listing(id)).await?;
        let mut out: Vec<Entry> = Vec::with_capacity(l.folders.len() + l.files.len());
        for f in &l.folders {
            out.push(Entry {
                name: f.name.clone(),
                meta: Meta::dir(f.created),
            });
        }
        for f in &l.files {
            out.push(Entry {
                name: f.name.clone(),
                meta: file_meta(f),
            });
        }
        for (name, f) in s.local.in_folder(&key) {
            if l.child(&name).is_none() {
                out.push(Entry {
                    name,
                    meta: Meta::file(f.data.len() as u64, f.modified, None),
                });
            }
        }
        if segs.is_empty() {
            for h in ROOT_HINTS {
                out.push(Entry {
                    name: h.to_string(),
                    meta: Meta::file(0, SystemTime::UNIX_EPOCH, None),
                });
            }
        }
        Ok(out)
    }

    async fn open_file(
        &self,
        path: &DavPath,
        opts: OpenOptions,
        ctx: &Ctx,
    ) -> FsResult<Box<dyn DavFile>> {
        let s = &self.shared;
        let (segs, key) = split(path)?;
        if !opts.write {
            if segs.len() == 1 && ROOT_HINTS.contains(&segs[0].as_str()) {
                return Ok(Box::new(LocalRead {
                    data: Arc::default(),
                    pos: 0,
                    meta: Meta::file(0, SystemTime::UNIX_EPOCH, None),
                }));
            }
            if let Some(l) = s.local.file(&key) {
                let meta = Meta::file(l.data.len() as u64, l.modified, None);
                return Ok(Box::new(LocalRead {
                    data: l.data,
                    pos: 0,
                    meta,
                }));
            }
            let Some(Node::File(f)) = s.resolve(ctx, &segs).await? else {
                return Err(FsError::NotFound);
            };
            let mut reader = Reader::new(s.tokens.clone(), &f.entry.url, f.entry.size);
            if ctx.method == http::Method::GET {
                // The token now, so a refusal is the status and not a cut body.
                s.api(ctx, reader.prepare()).await?;
                reader.count_in(s.stats.stream(&f.name, ctx.client));
            }
            return Ok(Box::new(RemoteRead {
                reader,
                meta: file_meta(&f),
                ctx: ctx.clone(),
            }));
        }
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        if !opts.truncate && !opts.create_new && s.resolve(ctx, &segs).await?.is_some() {
            // Writing into the middle of a file: 1fichier files are written whole.
            return Err(FsError::NotImplemented);
        }
        let Some((name, parent)) = segs.split_last() else {
            return Err(FsError::Forbidden);
        };
        if segs.len() == 1 && ROOT_HINTS.contains(&name.as_str()) {
            return Err(FsError::Forbidden);
        }
        let folder_id = s.folder_of(ctx, parent).await?;
        let local_now = s.local.file(&key).is_some();
        let replaces = match s.resolve(ctx, &segs).await? {
            Some(Node::Folder(_)) => return Err(FsError::Forbidden),
            Some(Node::File(_)) if opts.create_new => return Err(FsError::Exists),
            None if opts.create_new && local_now => return Err(FsError::Exists),
            Some(Node::File(f)) => Some(f.entry.url),
            None if !opts.create && !local_now => return Err(FsError::NotFound),
            None => None,
        };
        let local = is_housekeeping(name);
        if !local && let Err(e) = fichier_core::names::check_name(name) {
            return Err(ctx.fail(e));
        }
        let target = Target {
            key,
            name: name.clone(),
            folder_id,
            replaces,
        };
        let w = Write::start(s.clone(), ctx.clone(), target, opts.size, local).await?;
        Ok(Box::new(w))
    }

    async fn mkdir(&self, path: &DavPath, ctx: &Ctx) -> FsResult<()> {
        let s = &self.shared;
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        let (segs, key) = split(path)?;
        let Some((name, parent)) = segs.split_last() else {
            return Err(FsError::Exists);
        };
        if s.local.file(&key).is_some() || s.resolve(ctx, &segs).await?.is_some() {
            return Err(FsError::Exists);
        }
        let parent = s.folder_of(ctx, parent).await?;
        s.stats.api_call();
        s.api(ctx, s.tree.library().create_folder(parent, name))
            .await
            .map(|_| ())
    }

    async fn rm_file(&self, path: &DavPath, ctx: &Ctx) -> FsResult<()> {
        let s = &self.shared;
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        let (segs, key) = split(path)?;
        if s.local.remove(&key) {
            s.local.forget(&key);
            return Ok(());
        }
        let Some(Node::File(f)) = s.resolve(ctx, &segs).await? else {
            return Err(FsError::NotFound);
        };
        s.local.forget(&key);
        if ctx.method.as_str() == "DELETE" && key != ctx.path {
            // Part of a folder being deleted: one call for the whole folder.
            ctx.deferred
                .lock()
                .unwrap()
                .entry(f.folder_id)
                .or_default()
                .push(f.entry.url);
            return Ok(());
        }
        s.stats.api_call();
        s.api(ctx, s.tree.library().delete_files(vec![f.entry.url]))
            .await
            .map(|_| ())
    }

    /// Deletes the files put aside for `folder` (all folders when `None`).
    pub async fn flush_deferred(&self, ctx: &Ctx, folder: Option<i64>) -> FsResult<()> {
        let batches: Vec<Vec<String>> = {
            let mut d = ctx.deferred.lock().unwrap();
            match folder {
                Some(id) => d.remove(&id).into_iter().collect(),
                None => d.drain().map(|(_, v)| v).collect(),
            }
        };
        let s = &self.shared;
        for urls in batches {
            for part in urls.chunks(100) {
                s.stats.api_call();
                s.api(ctx, s.tree.library().delete_files(part.to_vec()))
                    .await?;
            }
        }
        Ok(())
    }

    async fn rm_dir(&self, path: &DavPath, ctx: &Ctx) -> FsResult<()> {
        let s = &self.shared;
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        let (segs, key) = split(path)?;
        if segs.is_empty() {
            return Err(FsError::Forbidden);
        }
        let id = s.folder_of(ctx, &segs).await?;
        self.flush_deferred(ctx, Some(id)).await?;
        s.stats.api_call();
        s.api(ctx, s.tree.library().delete_folder(id)).await?;
        s.tree.forget(id);
        s.local.forget(&key);
        Ok(())
    }
}

impl GuardedFileSystem<Ctx> for FichierFs {
    fn open<'a>(
        &'a self,
        path: &'a DavPath,
        options: OpenOptions,
        ctx: &'a Ctx,
    ) -> FsFuture<'a, Box<dyn DavFile>> {
        self.open_file(path, options, ctx).boxed()
    }

    fn read_dir<'a>(
        &'a self,
        path: &'a DavPath,
        _meta: ReadDirMeta,
        ctx: &'a Ctx,
    ) -> FsFuture<'a, FsStream<Box<dyn DavDirEntry>>> {
        async move {
            let entries = self.list(path, ctx).await?;
            let stream = futures_util::stream::iter(
                entries
                    .into_iter()
                    .map(|e| Ok(Box::new(e) as Box<dyn DavDirEntry>)),
            );
            Ok(Box::pin(stream) as FsStream<Box<dyn DavDirEntry>>)
        }
        .boxed()
    }

    fn metadata<'a>(
        &'a self,
        path: &'a DavPath,
        ctx: &'a Ctx,
    ) -> FsFuture<'a, Box<dyn DavMetaData>> {
        async move {
            let m = self.meta(path, ctx).await?;
            Ok(Box::new(m) as Box<dyn DavMetaData>)
        }
        .boxed()
    }

    fn create_dir<'a>(&'a self, path: &'a DavPath, ctx: &'a Ctx) -> FsFuture<'a, ()> {
        self.mkdir(path, ctx).boxed()
    }

    fn remove_dir<'a>(&'a self, path: &'a DavPath, ctx: &'a Ctx) -> FsFuture<'a, ()> {
        self.rm_dir(path, ctx).boxed()
    }

    fn remove_file<'a>(&'a self, path: &'a DavPath, ctx: &'a Ctx) -> FsFuture<'a, ()> {
        self.rm_file(path, ctx).boxed()
    }

    fn rename<'a>(&'a self, from: &'a DavPath, to: &'a DavPath, ctx: &'a Ctx) -> FsFuture<'a, ()> {
        self.mv(from, to, ctx).boxed()
    }

    fn copy<'a>(&'a self, from: &'a DavPath, to: &'a DavPath, ctx: &'a Ctx) -> FsFuture<'a, ()> {
        self.cp(from, to, ctx).boxed()
    }

    fn have_props<'a>(
        &'a self,
        path: &'a DavPath,
        _ctx: &'a Ctx,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send + 'a>> {
        let has = split(path).is_ok_and(|(_, key)| self.shared.local.has_props(&key));
        Box::pin(futures_util::future::ready(has || !self.shared.read_only))
    }

    fn patch_props<'a>(
        &'a self,
        path: &'a DavPath,
        patch: Vec<(bool, DavProp)>,
        _ctx: &'a Ctx,
    ) -> FsFuture<'a, Vec<(http::StatusCode, DavProp)>> {
        if self.shared.read_only {
            return ready(Err(FsError::Forbidden));
        }
        let r = split(path).map(|(_, key)| {
            self.shared
                .local
                .patch(&key, patch)
                .into_iter()
                .map(|(st, p)| {
                    let st = http::StatusCode::from_u16(st)
                        .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                    (st, p)
                })
                .collect()
        });
        ready(r)
    }

    fn get_props<'a>(
        &'a self,
        path: &'a DavPath,
        do_content: bool,
        _ctx: &'a Ctx,
    ) -> FsFuture<'a, Vec<DavProp>> {
        let r = split(path).map(|(_, key)| {
            let mut props = self.shared.local.props(&key);
            if !do_content {
                for p in &mut props {
                    p.xml = None;
                }
            }
            props
        });
        ready(r)
    }

    fn get_prop<'a>(
        &'a self,
        path: &'a DavPath,
        prop: DavProp,
        _ctx: &'a Ctx,
    ) -> FsFuture<'a, Vec<u8>> {
        let r = split(path)
            .and_then(|(_, key)| self.shared.local.prop(&key, &prop).ok_or(FsError::NotFound));
        ready(r)
    }

    fn get_quota<'a>(&'a self, ctx: &'a Ctx) -> FsFuture<'a, (u64, Option<u64>)> {
        async move {
            // Finder waits a minute and a half before mounting a drive that reports a quota.
            if ctx.client == "Finder" {
                return Err(FsError::NotImplemented);
            }
            let s = &self.shared;
            let a = s.api(ctx, s.tree.library().account()).await?;
            Ok((a.cold_storage_used, Some(a.cold_storage_total)))
        }
        .boxed()
    }
}
