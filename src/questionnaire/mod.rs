//! The questionnaire engine: definitions, routing and answer validation. No I/O, no web.

pub mod answers;
pub mod condition;
pub mod definition;
pub mod model;
pub mod problems;
pub mod routing;
pub mod words;
pub mod write;

pub use answers::{Answer, AnswerError, AnswerErrors, Answers, Mode};
pub use definition::{DefinitionError, DefinitionErrors, Problem, parse, validate};
pub use model::{Choice, ChoiceStyle, Group, OffScale, OptOut, Question, QuestionKind, Questionnaire};
pub use write::to_toml;
