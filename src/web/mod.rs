//! The HTTP face of peiling (actix-web): handlers only translate between HTTP and the domain
//! modules. `Application` binds a listener, so tests can run it on a random port.

mod account_pages;
mod admin_pages;
pub mod api_types;
mod audit_api;
mod audit_pages;
mod auth;
mod body;
mod client;
mod copy_api;
mod csrf;
mod damage;
mod error_pages;
mod errors;
mod headers;
mod lock_api;
mod lock_pages;
mod observe;
pub mod openapi;
mod reading_room;
mod report_definition_api;
mod researcher;
mod researcher_api;
mod respondent_api;
mod respondent_pages;
mod staff;
mod team_api;
mod upload;
mod users_api;
pub mod views;

use crate::respondent::session::FormCache;
use crate::respondent::submitter::Submitter;
use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::sync::Arc;

pub use errors::{ApiError, PageError};

/// The largest form or JSON body accepted (`body::Limited`); a longer one gets 413 before it
/// is read, or as soon as that much has streamed in. Files have their own limit (`upload`).
pub const MAX_BODY: usize = 256 * 1024;

pub struct AppState {
    pub db: DatabaseConnection,
    pub forms: FormCache,
    pub submitter: Submitter,
    /// Cookies get `Secure` when respondents reach us over HTTPS.
    pub secure_cookies: bool,
    /// How people reach this server (`PEILING_BASE_URL`): one-time password links start with it.
    pub base_url: String,
    pub clock: Clock,
    /// Days after closing until personal data is deleted (shown on the dashboard).
    pub retention_days: u32,
    /// Raised when the database turns out to be damaged (see `damage`).
    pub alarm: crate::integrity::Alarm,
    /// Whether `/rapporten` asks for a login.
    pub reading_room: ReadingRoom,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see `client`).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

pub use crate::config::ReadingRoom;
pub use observe::{MetricsAccess, metrics_server};

/// Where handlers read the time: the system clock in production; the demo replays a
/// fieldwork period from the past.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

pub struct Application {
    port: u16,
    server: Server,
    alarm: crate::integrity::Alarm,
}

/// What the web application is told beyond its database, from the configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How respondents reach this server; cookies are marked secure when it is https.
    pub base_url: String,
    /// Shown on the dashboard as the day a closed survey's personal data goes.
    pub retention_days: u32,
    /// How `/metrics` answers on this listener.
    pub metrics: MetricsAccess,
    pub reading_room: ReadingRoom,
    /// The reverse proxies in front of us (`PEILING_TRUSTED_PROXY`); none by default, and then
    /// `X-Forwarded-For` is never believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Settings {
    /// The defaults for everything but the address: no `/metrics`, a public reading room.
    pub fn new(base_url: &str) -> Settings {
        Settings {
            base_url: base_url.to_string(),
            retention_days: crate::retention::DEFAULT_DAYS,
            metrics: MetricsAccess::Closed,
            reading_room: ReadingRoom::default(),
            trusted_proxies: Vec::new(),
        }
    }

    /// From the configuration; fails on a trusted-proxy setting that does not parse.
    pub fn from_config(config: &crate::config::Config) -> anyhow::Result<Settings> {
        // With a listener of their own (`metrics_server`), the metrics are not on this one.
        let metrics = match (&config.metrics_listen, &config.metrics_token) {
            (None, Some(token)) => MetricsAccess::Token(token.clone()),
            _ => MetricsAccess::Closed,
        };
        Ok(Settings {
            base_url: config.base_url.clone(),
            retention_days: config.retention_days,
            metrics,
            reading_room: config.reading_room,
            trusted_proxies: config.trusted_proxies()?,
        })
    }
}

impl Application {
    /// Builds the server on `listener`; it starts serving when `run_until_stopped` is awaited
    /// (or the `Server` is spawned).
    pub fn build(listener: TcpListener, db: DatabaseConnection, settings: Settings) -> anyhow::Result<Application> {
        Application::build_with_clock(listener, db, settings, system_clock())
    }

    pub fn build_with_clock(
        listener: TcpListener,
        db: DatabaseConnection,
        settings: Settings,
        clock: Clock,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        // Fail at start, not at the first respondent, if a template does not compile.
        views::shared()?;
        let alarm = crate::integrity::Alarm::watching(&db);
        let state = web::Data::new(AppState {
            alarm: alarm.clone(),
            submitter: Submitter::start(db.clone()),
            db,
            forms: FormCache::default(),
            secure_cookies: settings.base_url.starts_with("https://"),
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            clock,
            retention_days: settings.retention_days,
            reading_room: settings.reading_room,
            trusted_proxies: settings.trusted_proxies,
        });
        let metrics = web::Data::new(observe::MetricsEndpoint { db: state.db.clone(), access: settings.metrics });
        let https = state.secure_cookies;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(metrics.clone())
                .app_data(web::PathConfig::default().error_handler(errors::bad_path))
                .app_data(web::QueryConfig::default().error_handler(errors::bad_query))
                .wrap(actix_web::middleware::from_fn(damage::guard))
                .wrap(headers::security(https))
                .wrap(actix_web::middleware::from_fn(observe::requests))
                .configure(routes)
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server, alarm })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The application's alarm, for the background work of the same process to share.
    pub fn alarm(&self) -> crate::integrity::Alarm {
        self.alarm.clone()
    }

    pub fn server(self) -> Server {
        self.server
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/peiling.css", web::get().to(stylesheet))
        .route("/healthz", web::get().to(observe::healthz))
        .route("/readyz", web::get().to(observe::readyz))
        .route("/metrics", web::get().to(observe::metrics))
        .service(api("/api/v1/openapi.json", "GET").route(web::get().to(openapi::document)))
        .service(api("/api/v1/surveys", "GET").route(web::get().to(researcher_api::list)))
        .service(api("/api/v1/audit", "GET").route(web::get().to(audit_api::full_trail)))
        .service(api("/api/v1/login-blocks", "GET").route(web::get().to(lock_api::list)))
        .service(api("/api/v1/login-blocks/unlock", "POST").route(web::post().to(lock_api::unlock)))
        .service(
            api("/api/v1/users", "GET, POST")
                .route(web::get().to(users_api::list))
                .route(web::post().to(users_api::create)),
        )
        .service(
            web::scope("/api/v1/users/{email}")
                .service(api("", "DELETE").route(web::delete().to(users_api::delete)))
                .service(api("/disable", "POST").route(web::post().to(users_api::disable)))
                .service(api("/enable", "POST").route(web::post().to(users_api::enable)))
                .service(api("/role", "PUT").route(web::put().to(users_api::set_role)))
                .service(api("/reset", "POST").route(web::post().to(users_api::reset)))
                .service(
                    api("/tokens", "GET, POST")
                        .route(web::get().to(users_api::tokens))
                        .route(web::post().to(users_api::create_token)),
                ),
        )
        .service(api("/api/v1/tokens/{id}", "DELETE").route(web::delete().to(users_api::revoke)))
        .service(
            web::scope("/api/v1/surveys/{survey}")
                .service(api("/progress", "GET").route(web::get().to(researcher_api::progress)))
                .service(api("/invitees", "POST").route(web::post().to(researcher_api::import)))
                .service(api("/open", "POST").route(web::post().to(researcher_api::open)))
                .service(api("/remind", "POST").route(web::post().to(researcher_api::remind)))
                .service(api("/reminder", "PUT").route(web::put().to(researcher_api::schedule)))
                .service(api("/close", "POST").route(web::post().to(researcher_api::close)))
                .service(api("/copy", "POST").route(web::post().to(copy_api::copy)))
                .service(api("/publish", "POST").route(web::post().to(researcher_api::publish)))
                .service(
                    api("/report-definition", "GET, PUT, DELETE")
                        .route(web::get().to(report_definition_api::show))
                        .route(web::put().to(report_definition_api::set))
                        .route(web::delete().to(report_definition_api::reset)),
                )
                .service(api("/export/{format}", "GET").route(web::get().to(researcher_api::export)))
                .service(api("/casussen", "GET").route(web::get().to(researcher_api::casussen)))
                .service(
                    api("/casussen/{n}", "GET, PUT")
                        .route(web::get().to(researcher_api::casus))
                        .route(web::put().to(researcher_api::review_casus)),
                )
                .service(api("/audit", "GET").route(web::get().to(audit_api::survey_trail)))
                .service(
                    api("/members", "GET, POST")
                        .route(web::get().to(team_api::list))
                        .route(web::post().to(team_api::add)),
                )
                .service(api("/members/{email}", "DELETE").route(web::delete().to(team_api::remove))),
        )
        .service(
            web::scope("/api/v1/r/{token}")
                .service(
                    api("", "GET, PUT")
                        .route(web::get().to(respondent_api::show))
                        .route(web::put().to(respondent_api::save)),
                )
                .service(api("/submit", "POST").route(web::post().to(respondent_api::submit))),
        )
        .service(
            web::scope("/s/{token}")
                .route("", web::get().to(respondent_pages::start))
                .route("/controle", web::get().to(respondent_pages::review))
                .route("/versturen", web::post().to(respondent_pages::submit))
                .route("/{screen}", web::get().to(respondent_pages::screen))
                .route("/{screen}", web::post().to(respondent_pages::save)),
        )
        .route("/", web::get().to(home))
        .route("/inloggen", web::get().to(researcher::login::login_page))
        .route("/inloggen", web::post().to(researcher::login::login))
        .route("/uitloggen", web::post().to(researcher::login::logout))
        .route("/onderzoek", web::get().to(researcher::surveys::list))
        .route("/onderzoek/nieuw", web::get().to(researcher::surveys::new_form))
        .route("/onderzoek/nieuw", web::post().to(researcher::surveys::create))
        .route("/onderzoek/nieuw/leeg", web::get().to(researcher::blank::show))
        .route("/onderzoek/nieuw/leeg", web::post().to(researcher::blank::create))
        .route("/onderzoek/nieuw/ronde", web::post().to(researcher::surveys::copy))
        .service(
            web::scope("/onderzoek/{survey}")
                .route("", web::get().to(researcher::dashboard::show))
                .route("/genodigden", web::post().to(researcher::dashboard::import))
                .route("/openen", web::post().to(researcher::dashboard::open))
                .route("/herinneren", web::post().to(researcher::dashboard::remind))
                .route("/sluiten", web::post().to(researcher::dashboard::close))
                .route("/voorbeeld", web::get().to(researcher::preview::overview))
                .route("/voorbeeld/{screen}", web::get().to(researcher::preview::start))
                .route("/voorbeeld/{screen}", web::post().to(researcher::preview::step))
                .route("/e-mails", web::get().to(researcher::preview::emails))
                .route("/casussen", web::get().to(researcher::review::list))
                .route("/casussen/{n}", web::post().to(researcher::review::save))
                .route("/teksten", web::get().to(researcher::texts::show))
                .route("/teksten", web::post().to(researcher::texts::save))
                .route("/bewerken", web::get().to(researcher::editor::show))
                .route("/bewerken", web::post().to(researcher::editor::save))
                .route("/bewerken/vragen", web::post().to(researcher::editor::edit))
                .route("/bewerken/over", web::post().to(researcher::editor::about))
                .route("/bewerken/vraag", web::post().to(researcher::question_editor::save))
                .route("/bewerken/vraag/{question}", web::get().to(researcher::question_editor::edit))
                .route("/bewerken/nieuw", web::get().to(researcher::question_editor::new))
                .route("/vragenlijst.toml", web::get().to(researcher::editor::download))
                .route("/rapportdefinitie", web::get().to(researcher::report_definition::show))
                .route("/rapportdefinitie", web::post().to(researcher::report_definition::save))
                .route("/rapportdefinitie.toml", web::get().to(researcher::report_definition::download))
                .route("/rapportdefinitie/standaard", web::post().to(researcher::report_definition::reset))
                .route("/rapport/bewerken", web::get().to(researcher::report_editor::show))
                .route("/rapport/bewerken", web::post().to(researcher::report_editor::save))
                .route("/rapport.pdf", web::get().to(researcher::report::pdf_file))
                .route("/publiceren", web::post().to(researcher::report::publish))
                .route("/export/{format}", web::get().to(researcher::report::export))
                .route("/logboek", web::get().to(audit_pages::survey_trail))
                .route("/logboek.csv", web::get().to(audit_pages::survey_trail_csv))
                .route("/team", web::get().to(researcher::team::show))
                .route("/team", web::post().to(researcher::team::add))
                .route("/team/verwijderen", web::post().to(researcher::team::remove)),
        )
        .route("/rapporten", web::get().to(reading_room::reports))
        .route("/rapporten/{id}", web::get().to(reading_room::report))
        .route("/rapporten/{id}/rapport.pdf", web::get().to(reading_room::report_file))
        .route("/beheer/logboek", web::get().to(audit_pages::full_trail))
        .route("/beheer/logboek.csv", web::get().to(audit_pages::full_trail_csv))
        .route("/beheer/accounts", web::get().to(admin_pages::show))
        .route("/beheer/accounts", web::post().to(admin_pages::add))
        .route("/beheer/accounts/uitschakelen", web::post().to(admin_pages::disable))
        .route("/beheer/accounts/inschakelen", web::post().to(admin_pages::enable))
        .route("/beheer/accounts/rol", web::post().to(admin_pages::role))
        .route("/beheer/accounts/herstellink", web::post().to(admin_pages::reset))
        .route("/beheer/accounts/verwijderen", web::get().to(admin_pages::confirm_delete))
        .route("/beheer/accounts/verwijderen", web::post().to(admin_pages::delete))
        .route("/beheer/accounts/sleutels", web::get().to(admin_pages::tokens))
        .route("/beheer/accounts/sleutels/intrekken", web::post().to(admin_pages::revoke))
        .route("/account", web::get().to(account_pages::show))
        .route("/account/wachtwoord", web::post().to(account_pages::change_password))
        .route("/account/sleutels", web::post().to(account_pages::create_token))
        .route("/account/sleutels/intrekken", web::post().to(account_pages::revoke_token))
        .route("/wachtwoord/{token}", web::get().to(account_pages::link_page))
        .route("/wachtwoord/{token}", web::post().to(account_pages::use_link))
        .route("/beheer/vergrendelingen", web::get().to(lock_pages::show))
        .route("/beheer/vergrendelingen/opheffen", web::post().to(lock_pages::unlock))
        .default_service(web::to(errors::not_found));
}

/// An API resource: a method it does not have gets 405 with `Allow` and a JSON body, not the
/// 404 of an address that does not exist.
fn api(path: &str, allowed: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || errors::method_not_allowed(allowed)))
}

/// A file to download (report, export), named as the browser should save it.
fn attachment(content_type: &str, file_name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type.to_string())
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{file_name}\"")))
        .body(body)
}

/// The front door: researchers to their surveys, everyone else to the login.
async fn home() -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, "/onderzoek")).finish()
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(views::STYLESHEET)
}

/// The shared state as the domain modules want it.
pub type State = web::Data<AppState>;
