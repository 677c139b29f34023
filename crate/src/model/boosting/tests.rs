//! Worked examples.
use super::*;
