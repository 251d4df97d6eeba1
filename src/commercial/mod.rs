//! Commercial software: the catalogue of commercial and source-available products
//! (`data/commercial/`), their licence models, and matching declared names to it.

pub mod catalogue;
pub mod check;
pub mod declared;
pub mod licence_model;
pub mod name_key;
pub mod terms;
