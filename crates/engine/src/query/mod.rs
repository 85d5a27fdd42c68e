//! The query path: [`plan`] the raw text, [`expand`] words into indexed
//! terms, [`score`] documents.

pub mod expand;
pub mod plan;
pub mod score;
