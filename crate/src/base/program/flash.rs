//! How much flash the exported C takes on a 32-bit microcontroller, without
//! a compiler: the page has none. The constants take what they store; the
//! code is estimated from the ops and helpers the program carries, with
//! sizes measured once with `gcc -m32 -Os` (`crate/tests/codegen.rs` holds
//! the estimate to the compiler's own count whenever `gcc -m32` is there).

use super::emit::{helpers, Helper};
use super::{Op, Program};

/// Bytes of machine code of the function's frame: the working array's
/// setup, copying the inputs in and the answer out.
const FRAME: usize = 184;

/// Bytes of machine code of one op's statements (its loops do not grow
/// with the data, which lives in the constants): fitted (non-negative least
/// squares on the relative error, 40 bytes at least for an op that
/// always comes with another) to `gcc -m32 -Os` over every exported model
/// on the bundled datasets, exact and int8; `Missing`, `Bin` and `Mul`,
/// which no default pipeline uses, from their statements' likeness to
/// `Fill` and `Scale`.
fn op_bytes(op: &Op) -> usize {
    match op {
        Op::Fill { .. } => 20,
        Op::Missing { .. } => 30,
        Op::Lookup { .. } => 87,
        Op::Scale { .. } => 68,
        Op::Bin { .. } => 90,
        Op::Mul { .. } => 40,
        Op::Affine { .. } => 40,
        Op::Trees { .. } => 212,
        Op::Set { .. } => 40,
        Op::Nearest { .. } => 691,
        Op::Divide { .. } => 149,
        Op::Sigmoid { .. } => 320,
        Op::Softmax { .. } => 360,
        Op::LogLikelihood { .. } => 271,
        Op::Dense { .. } => 800,
        Op::Activate { .. } => 100,
        Op::SoftmaxF32 { .. } => 201,
        Op::Complement { .. } => 40,
        Op::Distances { .. } => 40,
        Op::ArgMin { .. } => 71,
    }
}

/// Bytes of machine code of a helper function, each measured alone with `gcc -m32 -Os`.
fn helper_bytes(helper: Helper) -> usize {
    match helper {
        Helper::Half => 186,
        Helper::Exp => 715,
        Helper::Sigmoid => 107,
        Helper::Sqrt => 535,
        Helper::ExpF => 575,
        Helper::TanhF => 1040,
    }
}

impl Program {
    /// Estimated flash bytes of the exported C function and its constants
    /// on a 32-bit target: the constants as stored, plus the code.
    pub fn flash_bytes_estimate(&self) -> usize {
        let code: usize = FRAME + self.ops.iter().map(op_bytes).sum::<usize>();
        self.constant_bytes() + code + helpers(self).into_iter().map(helper_bytes).sum::<usize>()
    }
}
