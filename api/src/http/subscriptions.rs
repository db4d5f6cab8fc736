//! `GET /graphql/ws`: GraphQL subscriptions over WebSocket, in the graphql-ws protocol
//! (`graphql-transport-ws`). The client signs in with its bearer token in the connection's
//! init payload (`{ "token": "…" }`), as browsers cannot set headers on a WebSocket; the
//! session is checked once, and each event is then filtered by the firm and what the person
//! may read (see each subscription).

use std::time::Duration;

use actix_web::http::header::{HeaderValue, SEC_WEBSOCKET_PROTOCOL};
use actix_web::{HttpRequest, HttpResponse, web};
use actix_ws::{CloseCode, CloseReason, Message};
use async_graphql::Data;
use async_graphql::http::{WebSocket, WebSocketProtocols as Protocols, WsMessage};
use futures_util::StreamExt;

use crate::graphql::Schemas;
use crate::people;
use crate::platform::db::Db;
use crate::platform::graphql::context::Session;
use crate::tenancy::Loaders;

/// A connection that says nothing (not even a ping) for this long is closed.
const KEEPALIVE: Duration = Duration::from_secs(60);

/// The session named by the init payload's token, as the connection's data.
async fn sign_in(db: Db, payload: serde_json::Value) -> async_graphql::Result<Data> {
    let token = payload
        .get("token")
        .and_then(serde_json::Value::as_str)
        .ok_or("sign in: send { \"token\": … } in the connection's init payload")?;
    let ctx = people::authenticate(&db, token)
        .await
        .map_err(|_| "you are not signed in, or your session has expired")?;
    let mut data = Data::default();
    data.insert(Loaders::new(&db, &ctx));
    data.insert(Session::Authenticated(ctx));
    Ok(data)
}

pub async fn subscribe(
    schemas: web::Data<Schemas>,
    db: web::Data<Db>,
    req: HttpRequest,
    body: web::Payload,
) -> actix_web::Result<HttpResponse> {
    let offered = req
        .headers()
        .get(SEC_WEBSOCKET_PROTOCOL)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let protocol = Protocols::GraphQLWS;
    if !offered
        .split(',')
        .any(|p| p.trim() == protocol.sec_websocket_protocol())
    {
        return Ok(HttpResponse::BadRequest().body("use the graphql-transport-ws protocol"));
    }
    let (mut response, session, frames) = actix_ws::handle(&req, body)?;
    response.headers_mut().insert(
        SEC_WEBSOCKET_PROTOCOL,
        HeaderValue::from_static(protocol.sec_websocket_protocol()),
    );
    let schema = schemas.signed_in.clone();
    let db = db.get_ref().clone();
    actix_web::rt::spawn(async move {
        let pong = session.clone();
        // Text frames go to the protocol; pings are answered here; anything else ends it.
        let texts = frames
            .take_while(|f| std::future::ready(f.is_ok()))
            .filter_map(move |f| {
                let text = match f {
                    Ok(Message::Text(t)) => Some(t.to_string()),
                    Ok(Message::Ping(bytes)) => {
                        let mut pong = pong.clone();
                        actix_web::rt::spawn(async move { pong.pong(&bytes).await.ok() });
                        None
                    }
                    _ => None,
                };
                std::future::ready(text)
            });
        let mut graphql = WebSocket::new(schema, texts, protocol)
            .on_connection_init(move |payload| sign_in(db, payload))
            .keepalive_timeout(KEEPALIVE);
        let mut out = session;
        while let Some(message) = graphql.next().await {
            let sent = match message {
                WsMessage::Text(text) => out.text(text).await,
                WsMessage::Close(code, reason) => {
                    let reason = CloseReason {
                        code: CloseCode::Other(code),
                        description: Some(reason),
                    };
                    let _ = out.close(Some(reason)).await;
                    return;
                }
            };
            if sent.is_err() {
                return;
            }
        }
        let _ = out.close(None).await;
    });
    Ok(response)
}
