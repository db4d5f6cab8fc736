//! Files people attach — a resolution's scan, a work order's photos — kept on local disk
//! under one root, named by the SHA-256 of their content (so a file is written once and never
//! changes), and accepted only when their content is a kind we show: PDF, JPEG or PNG, told
//! by the bytes, never by the name.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// What a file is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    /// The kind of `bytes`, if it is one we keep.
    #[must_use]
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else {
            None
        }
    }

    #[must_use]
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    #[must_use]
    pub fn from_content_type(s: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png]
            .into_iter()
            .find(|k| k.content_type() == s)
    }
}

/// A file kept: its key (the content's SHA-256, hex) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub key: String,
    pub kind: FileKind,
}

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("must be a PDF, JPEG or PNG file")]
    Kind,
    #[error("could not keep the file: {0}")]
    Io(#[from] std::io::Error),
}

/// The file store: a directory on local disk.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl FileStore {
    /// The largest file kept: a phone camera's photo, or a few pages photographed.
    pub const MAX_BYTES: usize = 10 * 1024 * 1024;

    #[must_use]
    pub fn local(root: PathBuf) -> Self {
        Self { root }
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        // Keys are ours (hex digests); anything else never reaches the disk.
        (key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| self.root.join(&key[..2]).join(key))
    }

    /// Keeps `bytes` if they are a kind we keep; keeping the same content again is a no-op.
    #[tracing::instrument(name = "files.put", skip_all, fields(bytes = bytes.len()))]
    pub async fn put(&self, bytes: Vec<u8>) -> Result<StoredFile, FileError> {
        let kind = FileKind::sniff(&bytes).ok_or(FileError::Kind)?;
        let key = hex(&Sha256::digest(&bytes));
        let path = self.path(&key).ok_or(FileError::Kind)?;
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if path.exists() {
                return Ok(());
            }
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            std::fs::create_dir_all(&dir)?;
            // Written whole under another name first: a reader never sees half a file.
            let partial = dir.join(format!(".{}.partial", domain::new_id()));
            std::fs::write(&partial, &bytes)?;
            std::fs::rename(&partial, &path)
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok(StoredFile { key, kind })
    }

    /// The file kept under `key`, if any.
    #[tracing::instrument(name = "files.get", skip_all)]
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, FileError> {
        let Some(path) = self.path(key) else {
            return Ok(None);
        };
        let read = tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .map_err(std::io::Error::other)?;
        match read {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content_not_by_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(
            FileKind::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(FileKind::Jpeg)
        );
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"MZ\x90\x00 scan.pdf"), None);
        assert_eq!(FileKind::sniff(b""), None);
    }

    #[tokio::test]
    async fn a_file_is_kept_once_by_its_content_and_read_back() {
        let root = std::env::temp_dir().join(format!("courtyard-files-{}", domain::new_id()));
        let store = FileStore::local(root.clone());
        let pdf = b"%PDF-1.4 a resolution".to_vec();
        let first = store
            .put(pdf.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let again = store
            .put(pdf.clone())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, again);
        assert_eq!(first.kind, FileKind::Pdf);
        let back = store
            .get(&first.key)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, Some(pdf));
        assert!(matches!(
            store.put(b"plain text".to_vec()).await,
            Err(FileError::Kind)
        ));
        assert_eq!(store.get("../../etc/passwd").await.ok().flatten(), None);
        let _ = std::fs::remove_dir_all(root);
    }
}
