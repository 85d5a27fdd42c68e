//! The query path: [`plan`] the raw text, [`expand`] words into indexed
//! terms, [`score`] documents, check quoted [`phrase`]s on the best ones.

pub mod expand;
pub mod phrase;
pub mod plan;
pub mod score;
