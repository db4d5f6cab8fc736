//! Paper ballots, beside GraphQL because their scans do not fit its JSON body:
//!
//! - `POST /matters/{id}/paper-ballots?voterNo=12&choice=yes` with the scan of the filled-in
//!   ballot as the body (PDF, JPEG or PNG, told by its content; at most 10 MB): by those who
//!   run the compound's votes or collect its ballots, while the vote takes ballots. `choice`
//!   is `yes`, `no` or `abstain`. Answers `{ voterNo, choice, receipt }`.
//! - `GET /matters/{id}/paper-ballots/{voterNo}/scan`: the scan of a voter's standing paper
//!   ballot, for the same people; never on a secret vote (the paper shows the choice).
//!
//! Refusals come in GraphQL's error shape (`errors[0].extensions.code`, `.field`).

use actix_web::{HttpRequest, HttpResponse, web};
use domain::governance::Choice;
use serde_json::json;

use super::session::{kept_file, path_id, refusal, session, too_large};
use crate::governance;
use crate::platform::db::Db;
use crate::platform::error::AppError;
use crate::platform::files::FileStore;

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paper {
    voter_no: Option<String>,
    choice: Option<String>,
}

fn voter_no(raw: Option<&str>) -> Result<u32, AppError> {
    raw.and_then(|n| n.trim().parse::<u32>().ok())
        .ok_or_else(|| AppError::bad_input("voterNo", "must be a voter's number on the roll"))
}

pub async fn scan(
    db: web::Data<Db>,
    files: web::Data<FileStore>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let run = async {
        let ctx = session(&db, &req).await?;
        let matter = path_id(&path.0)?;
        let voter = voter_no(Some(&path.1))?;
        governance::paper_scan(&db, &files, &ctx, matter, voter).await
    };
    match run.await {
        Ok((kind, bytes)) => kept_file(kind, bytes, 3600),
        Err(e) => refusal(e),
    }
}

pub async fn enter(
    db: web::Data<Db>,
    files: web::Data<FileStore>,
    req: HttpRequest,
    path: web::Path<String>,
    paper: web::Query<Paper>,
    body: Result<web::Bytes, actix_web::Error>,
) -> HttpResponse {
    let Ok(body) = body else {
        return too_large(FileStore::MAX_BYTES);
    };
    let run = async {
        let ctx = session(&db, &req).await?;
        let matter = path_id(&path)?;
        let voter_no = voter_no(paper.voter_no.as_deref())?;
        let choice = paper
            .choice
            .as_deref()
            .and_then(Choice::from_code)
            .ok_or_else(|| AppError::bad_input("choice", "must be yes, no or abstain"))?;
        governance::enter_paper(&db, &files, &ctx, matter, voter_no, choice, body.to_vec()).await
    };
    match run.await {
        Ok(v) => HttpResponse::Ok().json(json!({
            "voterNo": v.voter_no,
            "choice": v.ballot.as_ref().and_then(|b| b.choice).map(Choice::code),
            "receipt": v.ballot.and_then(|b| b.receipt),
        })),
        Err(e) => refusal(e),
    }
}
