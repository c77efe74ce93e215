//! sea-orm models of peiling's tables. Plain data only: queries live in the app's `store`.

pub mod answer;
pub mod api_token;
pub mod draft;
pub mod invitation_token;
pub mod invitee;
pub mod invitee_group;
pub mod mail_outbox;
pub mod publication;
pub mod report_text;
pub mod response;
pub mod session;
pub mod survey;
pub mod text_review;
pub mod user;
