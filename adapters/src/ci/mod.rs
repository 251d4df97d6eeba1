//! Continuous-integration and hook definitions: GitHub Actions, GitLab CI and pre-commit.
//! Everything they name is used to build or check the software: scope build (pre-commit hooks:
//! development).

pub mod github;
pub mod gitlab;
pub mod image;
pub mod pre_commit;
pub mod yaml;
