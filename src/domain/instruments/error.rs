//! What can go wrong loading instruments or reading answers, in words that name the file.

/// Everything that can go wrong loading instruments or reading answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstrumentError {
    #[error("instrument file {source_name} is not valid instrument JSON: {message}")]
    Json { source_name: String, message: String },
    #[error("instrument file {source_name} ({instrument}) is invalid: {problem}")]
    Invalid { source_name: String, instrument: String, problem: String },
    #[error("the name '{name}' is used by two instruments: {first} and {second}")]
    Duplicate { name: String, first: String, second: String },
    #[error("{instrument} answers: {problem}")]
    Answers { instrument: String, problem: String },
}
