//! `hc-cli`: the logic behind the `hcs` command, as a library so that
//! tests can drive it in-process.
//!
//! - [`eval`]: `hcs eval` (search relevance of a corpus on a query set).
//!
//! The layout (library modules, `main.rs` only dispatching) matches the
//! `import`/`sync` subcommands being built on the main branch, so merging
//! adds one module, one enum variant and the `hc-engine` dependency.

pub mod eval;
