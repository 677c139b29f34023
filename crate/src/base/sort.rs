//! Sorting through one comparator type. The standard library's sort is
//! compiled anew for every closure passed to `sort_by` or `sort_by_key`
//! (5–8 KB of wasm each: the quicksort, the merges, the small sorts); the
//! worker orders rows, columns and named scores in a dozen places, once per
//! request, so those go through `&dyn Fn` and share one copy per element
//! type. The order is the standard stable sort's with the same comparator:
//! the same result. Hot loops (a tree's split search) keep their own
//! inlined closure.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`.
pub fn sort_with<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    v.sort_by(cmp);
}
