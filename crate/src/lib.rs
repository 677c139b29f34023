pub mod eval;
pub mod explain;
pub mod model;
