pub mod data;
pub mod eval;
pub mod explain;
pub mod model;
pub mod prep;
