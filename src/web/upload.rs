//! Reading a researcher's form post that may carry a file (`multipart/form-data`: a definition
//! or an invitee list) or be a plain form. Files get a larger limit than other posts.

use super::errors::PageError;
use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::web::Payload;
use futures_util::{StreamExt, TryStreamExt};

/// An invitee list of a city-wide survey fits easily; a larger post gets 413.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

#[derive(Debug, Default)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    /// Uploaded files by field name; an empty file input gives no entry.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Posted {
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice())
    }
}

fn too_large() -> PageError {
    PageError::TooLarge
}

pub async fn read(request: &HttpRequest, mut payload: Payload) -> Result<Posted, PageError> {
    let multipart = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let mut body = Vec::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| PageError::BadRequest(e.to_string()))?;
            if body.len() + chunk.len() > MAX_UPLOAD {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let fields = serde_urlencoded::from_bytes(&body).map_err(|e| PageError::BadRequest(e.to_string()))?;
        return Ok(Posted { fields, files: Vec::new() });
    }
    let mut parts = Multipart::new(request.headers(), payload);
    let mut posted = Posted::default();
    let mut total = 0;
    while let Some(mut field) = parts.try_next().await.map_err(|e| PageError::BadRequest(e.to_string()))? {
        let (name, is_file) = match field.content_disposition() {
            Some(cd) => (cd.get_name().unwrap_or_default().to_string(), cd.get_filename().is_some()),
            None => continue,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(|e| PageError::BadRequest(e.to_string()))? {
            total += chunk.len();
            if total > MAX_UPLOAD {
                return Err(too_large());
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if !bytes.is_empty() {
                posted.files.push((name, bytes));
            }
        } else {
            posted.fields.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    Ok(posted)
}
