//! Keyboard behaviour of the search box, after the WAI-ARIA combobox
//! pattern, as a pure function so every key is tested without a browser.
//!
//! `aria-activedescendant` is set only once the visitor moves with the
//! arrows: until then the caret stays in the text and Home/End move it.
//! Delete on an active option that can be removed (a recent search or a
//! recently viewed article) removes it; anywhere else it edits the text.
//!
//! The category chips are a radio group ([`radio_key`]): one tab stop, the
//! arrows move the choice (and the focus) with wrap-around, Home and End
//! go to the ends.

/// The keys the combobox handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Down,
    Up,
    Home,
    End,
    Enter,
    Escape,
    Left,
    Right,
    Delete,
}

impl Key {
    pub fn from_name(name: &str) -> Option<Key> {
        Some(match name {
            "ArrowDown" | "Down" => Key::Down,
            "ArrowUp" | "Up" => Key::Up,
            "Home" => Key::Home,
            "End" => Key::End,
            "Enter" => Key::Enter,
            "Escape" | "Esc" => Key::Escape,
            "ArrowLeft" | "Left" => Key::Left,
            "ArrowRight" | "Right" => Key::Right,
            "Delete" | "Del" => Key::Delete,
            _ => return None,
        })
    }
}

/// What the widget must do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Make this option active (or none).
    Activate(Option<usize>),
    /// Open the option's article in the reader.
    Open(usize),
    /// Leave the reader for the results.
    Back,
    /// Empty the search box.
    Clear,
    /// Close the dialog (modal mode).
    Close,
    /// Remove this option (from the visitor's history).
    Remove(usize),
    /// Not ours: let the browser have the key.
    Ignore,
}

/// The situation a key arrives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation {
    pub active: Option<usize>,
    pub options: usize,
    pub query_empty: bool,
    pub reader_open: bool,
    pub modal: bool,
    /// The active option can be removed.
    pub removable: bool,
}

pub fn on_key(key: Key, s: Situation) -> Action {
    if s.reader_open {
        return match key {
            Key::Escape => Action::Back,
            _ => Action::Ignore,
        };
    }
    let last = s.options.checked_sub(1);
    match key {
        Key::Down => match (s.active, last) {
            (_, None) => Action::Ignore,
            (None, Some(_)) => Action::Activate(Some(0)),
            (Some(i), Some(last)) => Action::Activate(Some(if i >= last { 0 } else { i + 1 })),
        },
        Key::Up => match (s.active, last) {
            (_, None) => Action::Ignore,
            (None, Some(last)) => Action::Activate(Some(last)),
            (Some(0), Some(last)) => Action::Activate(Some(last)),
            (Some(i), Some(_)) => Action::Activate(Some(i - 1)),
        },
        Key::Home => match (s.active, last) {
            (Some(_), Some(_)) => Action::Activate(Some(0)),
            _ => Action::Ignore,
        },
        Key::End => match (s.active, last) {
            (Some(_), Some(last)) => Action::Activate(Some(last)),
            _ => Action::Ignore,
        },
        Key::Enter => match (s.active, last) {
            (Some(i), Some(last)) if i <= last => Action::Open(i),
            // Enter with no option chosen opens the best match.
            (None, Some(_)) => Action::Open(0),
            _ => Action::Ignore,
        },
        Key::Delete => match s.active {
            Some(i) if s.removable => Action::Remove(i),
            _ => Action::Ignore,
        },
        Key::Left | Key::Right => Action::Ignore,
        Key::Escape => {
            if s.active.is_some() {
                Action::Activate(None)
            } else if s.modal {
                Action::Close
            } else if !s.query_empty {
                Action::Clear
            } else {
                Action::Ignore
            }
        }
    }
}

/// The radio group's next choice when `key` is pressed on choice
/// `current` of `count`; `None`: not a key the group handles.
pub fn radio_key(key: Key, current: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let current = current.min(last);
    Some(match key {
        Key::Right | Key::Down => {
            if current == last {
                0
            } else {
                current + 1
            }
        }
        Key::Left | Key::Up => {
            if current == 0 {
                last
            } else {
                current - 1
            }
        }
        Key::Home => 0,
        Key::End => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(active: Option<usize>, options: usize) -> Situation {
        Situation {
            active,
            options,
            query_empty: false,
            reader_open: false,
            modal: true,
            removable: false,
        }
    }

    #[test]
    fn arrows_home_end_enter_escape() {
        use Action::*;
        let cases = [
            (Key::Down, at(None, 3), Activate(Some(0))),
            (Key::Down, at(Some(0), 3), Activate(Some(1))),
            (Key::Down, at(Some(2), 3), Activate(Some(0))),
            (Key::Up, at(None, 3), Activate(Some(2))),
            (Key::Up, at(Some(0), 3), Activate(Some(2))),
            (Key::Up, at(Some(2), 3), Activate(Some(1))),
            (Key::Down, at(None, 0), Ignore),
            (Key::Home, at(None, 3), Ignore),
            (Key::Home, at(Some(2), 3), Activate(Some(0))),
            (Key::End, at(Some(0), 3), Activate(Some(2))),
            (Key::Enter, at(Some(1), 3), Open(1)),
            (Key::Enter, at(None, 3), Open(0)),
            (Key::Enter, at(None, 0), Ignore),
            (Key::Escape, at(Some(1), 3), Activate(None)),
            (Key::Escape, at(None, 3), Close),
        ];
        for (key, situation, want) in cases {
            assert_eq!(on_key(key, situation), want, "{key:?} at {situation:?}");
        }
    }

    #[test]
    fn inline_escape_clears_then_ignores_and_reader_escape_goes_back() {
        let inline = Situation {
            modal: false,
            ..at(None, 2)
        };
        assert_eq!(on_key(Key::Escape, inline), Action::Clear);
        let empty = Situation {
            query_empty: true,
            ..inline
        };
        assert_eq!(on_key(Key::Escape, empty), Action::Ignore);
        let reader = Situation {
            reader_open: true,
            ..at(Some(0), 2)
        };
        assert_eq!(on_key(Key::Escape, reader), Action::Back);
        assert_eq!(on_key(Key::Down, reader), Action::Ignore);
        assert_eq!(Key::from_name("ArrowDown"), Some(Key::Down));
        assert_eq!(Key::from_name("a"), None);
    }

    #[test]
    fn delete_removes_only_an_active_removable_option() {
        let removable = Situation {
            removable: true,
            ..at(Some(1), 3)
        };
        assert_eq!(on_key(Key::Delete, removable), Action::Remove(1));
        assert_eq!(on_key(Key::Delete, at(Some(1), 3)), Action::Ignore);
        let no_active = Situation {
            removable: true,
            ..at(None, 3)
        };
        assert_eq!(on_key(Key::Delete, no_active), Action::Ignore);
        // Left and Right stay the caret's.
        assert_eq!(on_key(Key::Left, at(Some(1), 3)), Action::Ignore);
        assert_eq!(Key::from_name("Delete"), Some(Key::Delete));
    }

    #[test]
    fn radio_arrows_wrap_and_home_end_jump() {
        let cases = [
            (Key::Right, 0, 3, Some(1)),
            (Key::Right, 2, 3, Some(0)),
            (Key::Down, 1, 3, Some(2)),
            (Key::Left, 0, 3, Some(2)),
            (Key::Up, 2, 3, Some(1)),
            (Key::Home, 2, 3, Some(0)),
            (Key::End, 0, 3, Some(2)),
            (Key::Enter, 0, 3, None),
            (Key::Right, 0, 0, None),
            (Key::Right, 9, 3, Some(0)),
        ];
        for (key, current, count, want) in cases {
            assert_eq!(
                radio_key(key, current, count),
                want,
                "{key:?} {current}/{count}"
            );
        }
    }
}
