//! One worker's life, free of browser APIs: the widget's messages in, the
//! answers and loads out. It owns the search state ([`WorkerCore`]) and the
//! current [`Load`]; an `Init` or a language switch starts a new load under
//! a new id, and the events of an older one are dropped here, in one
//! place, so that a slow load for a language the visitor has left never
//! installs itself.

use hc_core::protocol::{FromWorker, ToWorker};
use hc_core::LangCode;

use crate::core::{PieceFetch, WorkerCore};
use crate::load::{Event, Load, LoadParams, Step, Wishes};

/// Numbers the loads of one worker, from 1.
pub type LoadId = u32;

/// What a message from the widget asks the glue to do.
#[derive(Debug)]
pub enum Reply {
    Nothing,
    Answer(FromWorker),
    /// A load started: perform its first step (and later ones) under `id`.
    Load(LoadId, Step),
}

#[derive(Default)]
pub struct Session {
    core: WorkerCore,
    /// The last `Init`'s parameters, with the switcher's choice.
    params: Option<LoadParams>,
    load: Option<(LoadId, Load)>,
    loads: LoadId,
}

impl Session {
    pub fn core(&self) -> &WorkerCore {
        &self.core
    }

    pub fn is_current(&self, id: LoadId) -> bool {
        self.load
            .as_ref()
            .is_some_and(|(current, _)| *current == id)
    }

    /// Handles one message. `init_json` is an `Init`'s JSON exactly as the
    /// loader posted it: what its prefetch was keyed by.
    pub fn message(&mut self, msg: ToWorker, init_json: Option<&str>) -> Reply {
        match msg {
            ToWorker::Init {
                source,
                languages,
                fallback,
            } => {
                let params = LoadParams {
                    source,
                    wishes: Wishes {
                        request: languages,
                        chosen: None,
                    },
                    fallback,
                    lookup: init_json.map(hc_core::loader::lookup_key),
                };
                self.start(params)
            }
            ToWorker::SetLanguage { lang } => {
                if self.core.loaded().is_some_and(|l| l.lang == lang) {
                    return Reply::Nothing;
                }
                let Some(mut params) = self.params.clone() else {
                    return Reply::Nothing;
                };
                params.wishes.chosen = Some(lang);
                // No lookup record names a switched-to language's entry.
                params.lookup = None;
                self.start(params)
            }
            other => match self.core.answer(other) {
                Some(answer) => Reply::Answer(answer),
                None => Reply::Nothing,
            },
        }
    }

    fn start(&mut self, params: LoadParams) -> Reply {
        self.core.unload();
        self.loads += 1;
        let mut load = Load::new(params.clone());
        let step = load.start();
        self.params = Some(params);
        self.load = Some((self.loads, load));
        Reply::Load(self.loads, step)
    }

    /// The next step of load `id`; nothing when a newer load superseded it.
    pub fn on(&mut self, id: LoadId, event: Event) -> Step {
        match &mut self.load {
            Some((current, load)) if *current == id => load.on(event, &mut self.core),
            _ => Step::default(),
        }
    }

    /// Whether an answer waits for a chunk of the index
    /// ([`WorkerCore::chunks_wanted`]).
    pub fn chunks_wanted(&self) -> bool {
        self.core.chunks_wanted()
    }

    /// The pieces the answers wait for, to fetch now
    /// ([`WorkerCore::take_piece_fetches`]).
    pub fn take_piece_fetches(&mut self) -> Vec<PieceFetch> {
        self.core.take_piece_fetches()
    }

    /// A piece fetched or not: the answers that waited for it, and a
    /// warning for the console ([`WorkerCore::piece_fetched`]).
    pub fn piece_fetched(
        &mut self,
        fetch: &PieceFetch,
        result: Result<Vec<u8>, String>,
    ) -> (Vec<FromWorker>, Option<String>) {
        self.core.piece_fetched(&fetch.file, fetch.piece, result)
    }

    /// After a piece settled: when none is pending any more, the step
    /// (a cache write) the current load deferred until then, under its id.
    pub fn pieces_settled(&mut self) -> Option<(LoadId, Step)> {
        if self.core.pieces_pending() {
            return None;
        }
        let (id, load) = self.load.as_mut()?;
        let step = load.pieces_settled(&mut self.core);
        (!step.effects.is_empty() || step.next.is_some()).then_some((*id, step))
    }

    /// The language of the installed index, if any.
    pub fn lang(&self) -> Option<&LangCode> {
        self.core.loaded().map(|l| &l.lang)
    }
}
