//! The HelpCenter.io v1 API as it travels: resources, requests, envelopes,
//! error bodies. These types mirror `shared/api/helpcenter-api-v1.md`; where
//! the reference leaves a name open, the choice is listed in
//! `crates/sim/README.md`. Response types accept unknown fields (the API may
//! grow within v1) and read a `null` as the field's absence where that is
//! safe (`lenient`); request types are what our own clients send, strictly.

mod article;
mod category;
mod envelope;
mod error;
mod lenient;
mod request;
mod site;
pub mod walk;

pub use article::{Article, Visibility};
pub use category::Category;
pub use envelope::{
    ArticleEnvelope, ArticleList, CategoryEnvelope, CategoryList, ListMeta, Success,
};
pub use error::{ApiErrorBody, ErrorMessage, FieldErrors, ValidationErrorBody};
pub use lenient::{Lenient, Undecodable};
pub use request::{CreateArticle, UpdateArticle, UpdateCategory};
pub use site::{HelpCenterData, Site};
