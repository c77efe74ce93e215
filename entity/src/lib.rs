//! sea-orm models of peiling's tables. Plain data only: queries live in the app's `store`.

pub mod answer;
pub mod api_token;
pub mod audit_event;
pub mod draft;
pub mod invitation_token;
pub mod invitee;
pub mod invitee_group;
pub mod login_failure;
pub mod login_throttle;
pub mod mail_outbox;
pub mod password_reset;
pub mod publication;
pub mod report_definition;
pub mod report_text;
pub mod response;
pub mod session;
pub mod survey;
pub mod survey_member;
pub mod text_review;
pub mod user;
