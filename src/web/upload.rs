//! Reading a researcher's form post that may carry a file (`multipart/form-data`: a definition
//! or an invitee list) or be a plain form. Files get a larger limit than other posts.

use super::body;
use super::errors::PageError;
use actix_multipart::Multipart;
use actix_web::HttpRequest;
use actix_web::web::Payload;
use futures_util::TryStreamExt;

/// An invitee list at its limit plus the form's other fields; a larger post gets 413 as soon as
/// it is declared or has streamed in that far.
pub const MAX_UPLOAD: usize = crate::invitations::import::MAX_FILE_BYTES + super::MAX_BODY;

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

    /// The definition a definition page posted: the chosen file (`bestand`) wins over the text
    /// area (`definitie`); a file that is not UTF-8 as `utf8` tells it.
    pub fn definition(&self) -> Result<String, (String, String)> {
        match self.file("bestand") {
            Some(file) => utf8(file),
            None => Ok(self.fields.iter().find(|(n, _)| n == "definitie").map_or("", |(_, v)| v.as_str()).to_string()),
        }
    }
}

/// An uploaded definition as text. Not UTF-8: the problem with its line, and the file as far as
/// it reads, to show in the form (never to store: replacement characters would end up in it).
pub fn utf8(file: &[u8]) -> Result<String, (String, String)> {
    std::str::from_utf8(file).map(str::to_string).map_err(|e| {
        let line = crate::lines::line_at(file, e.valid_up_to());
        let problem = format!("regel {line}: het bestand is geen UTF-8; sla het op als UTF-8 en kies het opnieuw");
        (problem, String::from_utf8_lossy(file).into_owned())
    })
}

fn unreadable() -> PageError {
    PageError::Unreadable(
        "Het formulier met het bestand kwam niet goed aan; er is niets opgeslagen. Kies het bestand opnieuw en \
         verstuur het nog eens."
            .into(),
    )
}

pub async fn read(request: &HttpRequest, payload: Payload) -> Result<Posted, PageError> {
    let multipart = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let bytes = body::read(request, payload, MAX_UPLOAD).await.map_err(body::BodyError::page)?;
        return Ok(Posted { fields: body::form_fields(&bytes)?, files: Vec::new() });
    }
    if body::declared_over(request, MAX_UPLOAD) {
        return Err(PageError::TooLarge { limit: MAX_UPLOAD });
    }
    let mut parts = Multipart::new(request.headers(), payload);
    let mut posted = Posted::default();
    let mut total = 0;
    while let Some(mut field) = parts.try_next().await.map_err(|_| unreadable())? {
        let (name, is_file) = match field.content_disposition() {
            Some(cd) => (cd.get_name().unwrap_or_default().to_string(), cd.get_filename().is_some()),
            None => continue,
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.try_next().await.map_err(|_| unreadable())? {
            total += chunk.len();
            if total > MAX_UPLOAD {
                return Err(PageError::TooLarge { limit: MAX_UPLOAD });
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if !bytes.is_empty() {
                posted.files.push((name, bytes));
            }
        } else {
            let value = String::from_utf8(bytes).map_err(|_| body::not_utf8(Some(&name)))?;
            posted.fields.push((name, value));
        }
    }
    Ok(posted)
}
