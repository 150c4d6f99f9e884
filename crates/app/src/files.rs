//! What the DCE and the library share about files: uploads arriving one after the other, the
//! content type a download is served with, and a stored file ready to stream.

use std::future::Future;

use tokio::io::AsyncRead;

use crate::AppError;

/// Files arriving one after the other (the parts of a multipart body): each must be read to
/// its end before the next is asked for.
pub trait IncomingFiles: Send {
    /// The next part's file name as the client sent it, and its content; `None` after the
    /// last. A part without a file (a plain field, a file input left empty) has an empty name:
    /// skip it.
    fn next_file(
        &mut self,
    ) -> impl Future<Output = Result<Option<(String, impl AsyncRead + Unpin + Send + '_)>, AppError>> + Send;
}

/// One stored file ready to stream.
pub struct FileDownload {
    pub name: String,
    pub size: u64,
    pub content_type: String,
    pub file: tokio::fs::File,
}

/// A content type from the extension: the one the client claims is not trusted.
pub(crate) fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" => "application/zip",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "dwg" => "image/vnd.dwg",
        _ => "application/octet-stream",
    }
}
