//! Moves, renames and copies: done on 1fichier's side, no bytes through this computer.

use super::*;

impl FichierFs {
    pub(super) async fn mv(&self, from: &DavPath, to: &DavPath, ctx: &Ctx) -> FsResult<()> {
        let s = &self.shared;
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        let (fsegs, fkey) = split(from)?;
        let (tsegs, tkey) = split(to)?;
        let (Some((fname, fparent)), Some((tname, tparent))) =
            (fsegs.split_last(), tsegs.split_last())
        else {
            return Err(FsError::Forbidden);
        };
        if let Some(l) = s.local.file(&fkey) {
            s.folder_of(ctx, tparent).await?;
            if !s.local.put(&tkey, l.data.to_vec()) {
                return Err(FsError::InsufficientStorage);
            }
            s.local.remove(&fkey);
            s.local.rename(&fkey, &tkey);
            return Ok(());
        }
        let node = s.resolve(ctx, &fsegs).await?.ok_or(FsError::NotFound)?;
        let from_folder = s.folder_of(ctx, fparent).await?;
        let to_folder = s.folder_of(ctx, tparent).await?;
        let client = s.tree.library().client();
        if !is_housekeeping(tname)
            && let Err(e) = fichier_core::names::check_name(tname)
        {
            return Err(ctx.fail(e));
        }
        s.stats.api_call();
        match node {
            Node::File(f) if from_folder == to_folder => {
                s.api(ctx, s.tree.library().rename_file(&f.entry.url, tname))
                    .await?;
            }
            Node::File(f) => {
                let req = FileMvRequest {
                    urls: vec![f.entry.url],
                    destination_folder_id: to_folder,
                    rename: (tname != &f.entry.filename).then(|| encode_name(tname)),
                    ..FileMvRequest::default()
                };
                s.api(ctx, client.move_files(&req)).await?;
            }
            Node::Folder(f) => {
                let req = FolderMvRequest {
                    folder_id: f.id,
                    destination_folder_id: (from_folder != to_folder).then_some(to_folder),
                    rename: (tname != fname).then(|| encode_name(tname)),
                    ..FolderMvRequest::default()
                };
                s.api(ctx, client.move_folder(&req)).await?;
                s.tree.forget(f.id);
            }
        }
        s.local.rename(&fkey, &tkey);
        Ok(())
    }

    pub(super) async fn cp(&self, from: &DavPath, to: &DavPath, ctx: &Ctx) -> FsResult<()> {
        let s = &self.shared;
        if s.read_only {
            return Err(FsError::Forbidden);
        }
        let (fsegs, fkey) = split(from)?;
        let (tsegs, tkey) = split(to)?;
        let Some((tname, tparent)) = tsegs.split_last() else {
            return Err(FsError::Forbidden);
        };
        let to_folder = s.folder_of(ctx, tparent).await?;
        if let Some(l) = s.local.file(&fkey) {
            if !s.local.put(&tkey, l.data.to_vec()) {
                return Err(FsError::InsufficientStorage);
            }
            s.local.copy_props(&fkey, &tkey);
            return Ok(());
        }
        let Some(Node::File(f)) = s.resolve(ctx, &fsegs).await? else {
            return Err(FsError::NotFound);
        };
        if let Err(e) = fichier_core::names::check_name(tname) {
            return Err(ctx.fail(e));
        }
        let req = FileCpRequest {
            urls: vec![f.entry.url],
            folder_id: to_folder,
            rename: (tname != &f.entry.filename).then(|| encode_name(tname)),
            ..FileCpRequest::default()
        };
        s.stats.api_call();
        s.api(ctx, s.tree.library().client().copy_files(&req))
            .await?;
        s.local.copy_props(&fkey, &tkey);
        Ok(())
    }
}
