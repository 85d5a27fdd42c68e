//! One sort for the engine's short lists, whatever they hold.
//!
//! Every `sort_by` on another element type or comparator links another
//! copy of the standard library's sort into the worker's wasm (5–7 KB
//! each before compression). The lists sorted here are short (spelling
//! corrections, prefix expansions, facet categories, the empty state's
//! articles, a hit's terms, the chunks a search lacks, an index's file
//! names), so they are ordered through their indexes
//! with one comparator behind a reference: one copy serves them all. The
//! candidates of a search, sorted on every keystroke and up to tens of
//! thousands long, keep a sort of their own (`Engine::search`).

use std::cmp::Ordering;

/// Sorts `items` by `cmp`, stable (as `slice::sort_by`).
pub(crate) fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = order(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// The indexes `0..n` in the order `cmp` gives them, stable.
#[inline(never)]
fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties
        /// included, and nothing lost.
        #[test]
        fn sorts_as_the_standard_stable_sort(items in proptest::collection::vec((0u8..4, any::<u16>()), 0..64)) {
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items;
            std.sort_by_key(|a| a.0);
            prop_assert_eq!(ours, std);
        }
    }
}
