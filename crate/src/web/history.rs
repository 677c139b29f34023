//! How a change of the page goes into the browser's history: one entry per
//! training, so back and forward step through the models a person trained,
//! and every other change rewrites the entry it happened in. A pure
//! decision, tested here; `app/address.rs` writes what it says.

/// What changed on the page, as the address is written after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A model was trained (an ensemble built, a student distilled, a model
    /// file opened): an entry of its own, so back returns to the one before.
    Push,
    /// What is explored changed (axes, slice, traced row, comparison), a toy
    /// set's points changed without a training, or a link finished opening:
    /// the same entry.
    Replace,
    /// The person loaded a table: an entry of its own when the current one
    /// holds a training (back returns to that model), else the same entry.
    Loaded,
    /// A fresh worker, in place of a canceled or crashed one, took back the
    /// table on show (or one of its points added by hand): the person asked
    /// for nothing new, so the same entry, whatever it held.
    Replayed,
}

/// The address as last written or applied: an address the page wrote
/// itself is not opened again, and whether it holds a training decides
/// where a new table goes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub fragment: String,
    pub trained: bool,
}

/// What to do with the browser's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// `history.pushState`: a new entry.
    Push,
    /// `history.replaceState`: the current entry rewritten.
    Replace,
    /// The address already says it.
    Nothing,
}

/// How `entry` writes `fragment`, after `written`. An embed only rewrites
/// its entry: a new one would be its host page's.
pub fn write(entry: Entry, written: &Written, fragment: &str, embed: bool) -> Write {
    if written.fragment == fragment {
        return Write::Nothing;
    }
    let push = match entry {
        Entry::Push => true,
        Entry::Loaded => written.trained,
        Entry::Replace | Entry::Replayed => false,
    };
    if push && !embed {
        Write::Push
    } else {
        Write::Replace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn after(fragment: &str, trained: bool) -> Written {
        Written { fragment: fragment.to_string(), trained }
    }

    #[test]
    fn a_training_is_an_entry_and_exploring_rewrites_it() {
        let trained = after("#v1&data=iris&model=knn", true);
        assert_eq!(write(Entry::Push, &trained, "#v1&data=iris&model=tree", false), Write::Push);
        assert_eq!(write(Entry::Replace, &trained, "#v1&data=iris&model=knn&x=a", false), Write::Replace);
        // The same address twice is no change at all.
        assert_eq!(write(Entry::Push, &trained, "#v1&data=iris&model=knn", false), Write::Nothing);
    }

    #[test]
    fn a_new_table_is_an_entry_only_after_a_training() {
        let fresh = after("#v1&data=iris", false);
        assert_eq!(write(Entry::Loaded, &fresh, "#v1&data=wine", false), Write::Replace);
        let trained = after("#v1&data=iris&model=knn", true);
        assert_eq!(write(Entry::Loaded, &trained, "#v1&data=wine", false), Write::Push);
    }

    #[test]
    fn a_replayed_table_never_adds_an_entry() {
        // The worker was replaced while the entry held a training: the table
        // comes back without the model, in the same entry (before, a new one).
        let trained = after("#v1&toy=xor&edits=0.1;0.2;a&model=decision_tree", true);
        assert_eq!(write(Entry::Replayed, &trained, "#v1&toy=xor", false), Write::Replace);
        assert_eq!(write(Entry::Replayed, &trained, "#v1&toy=xor&edits=0.1;0.2;a", false), Write::Replace);
    }

    #[test]
    fn an_embed_never_adds_an_entry_to_its_host() {
        let trained = after("#v1&data=iris&model=knn", true);
        for entry in [Entry::Push, Entry::Loaded, Entry::Replace, Entry::Replayed] {
            assert_eq!(write(entry, &trained, "#v1&data=wine&model=knn", true), Write::Replace, "{entry:?}");
        }
    }
}
