//! The evaluation views that follow a model's answer, and which of them the
//! page has asked for. The worker cannot read a message while it computes, so
//! the page asks for one view at a time (`Request::Evaluate`), the next only
//! once the last came: stopping is then just not asking, and the worker, the
//! model, the boundary and tracing stay as they are. A view that needs no
//! fitted model (the learning curve) may instead be computed by the helper
//! workers, asked for with the training itself: it is not asked of the
//! primary, may come before the model's answer (it is held until then), and
//! stopping it ends the helpers.

use crate::explain::{EvaluationPart, EvaluationPiece};

/// Where one pending view stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartState {
    /// Asked for after the ones before it.
    Waiting,
    /// Asked for; the worker computes it.
    Computing,
    /// The helper workers compute it, beside the worker's own views.
    Helpers,
    /// Arrived and drawn.
    Done,
    /// The person stopped the views before it was asked for.
    Stopped,
    /// The worker could not compute it, for this reason.
    Failed(String),
}

/// The views a trained model's answer left pending, in the order asked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StagedViews {
    parts: Vec<(EvaluationPart, PartState)>,
    /// How far the view computing has come, in percent, once the worker said.
    percent: Option<u64>,
    /// How far the helpers' view has come, in percent, once the pool said.
    helpers_percent: Option<u64>,
    /// Views the helpers compute, asked for with the training, before its
    /// answer lists the views pending.
    pooled: Vec<EvaluationPart>,
    /// Views the helpers computed before the model's answer came.
    early: Vec<EvaluationPiece>,
}

impl StagedViews {
    /// Every view of `pending` waiting, none asked for yet.
    pub fn new(pending: &[EvaluationPart]) -> Self {
        StagedViews { parts: pending.iter().map(|p| (p.clone(), PartState::Waiting)).collect(), ..Self::default() }
    }

    /// The helpers compute `part`, asked for with the training (before its
    /// answer).
    pub fn pool(&mut self, part: EvaluationPart) {
        self.pooled.push(part);
    }

    /// The model's answer came, leaving `pending`: every view waits but the
    /// ones the helpers compute. The views they computed already are given
    /// back, done, to be drawn now.
    pub fn begin(&mut self, pending: &[EvaluationPart]) -> Vec<EvaluationPiece> {
        let pooled = std::mem::take(&mut self.pooled);
        let early = std::mem::take(&mut self.early);
        self.parts = pending
            .iter()
            .map(|p| (p.clone(), if pooled.contains(p) { PartState::Helpers } else { PartState::Waiting }))
            .collect();
        self.percent = None;
        self.helpers_percent = None;
        early.into_iter().filter(|piece| self.arrived(&piece.part())).collect()
    }

    /// A view the helpers computed: given back, done, when it is to be drawn
    /// now; held when the model's answer has not come yet; dropped when
    /// nobody waits for it (stopped, or an earlier model's).
    pub fn pooled_arrived(&mut self, piece: EvaluationPiece) -> Option<EvaluationPiece> {
        let part = piece.part();
        if self.pooled.contains(&part) {
            if !self.early.iter().any(|e| e.part() == part) {
                self.early.push(piece);
            }
            return None;
        }
        let helpers = self.parts.iter().any(|(p, s)| *s == PartState::Helpers && *p == part);
        (helpers && self.arrived(&part)).then_some(piece)
    }

    /// The helpers stopped without the view they computed (a refusal, or
    /// every helper ended): before the model's answer the worker is asked
    /// for it as for any view; after it, its line says `reason` (`None`:
    /// stopped). `true` when a view was the helpers'.
    pub fn pool_ended(&mut self, reason: Option<&str>) -> bool {
        let before = !self.pooled.is_empty();
        self.pooled.clear();
        let mut after = false;
        for (_, state) in &mut self.parts {
            if *state == PartState::Helpers {
                *state = match reason {
                    Some(reason) => PartState::Failed(reason.to_string()),
                    None => PartState::Stopped,
                };
                after = true;
            }
        }
        before || after
    }

    /// The view the helpers compute, if any (asked for with the training,
    /// or on its line since the answer).
    pub fn pooled_part(&self) -> Option<&EvaluationPart> {
        self.pooled.first().or_else(|| self.parts.iter().find(|(_, s)| *s == PartState::Helpers).map(|(p, _)| p))
    }

    /// The view to ask for now: the first waiting one, marked computing; `None`
    /// while one is computing or when none waits.
    pub fn ask(&mut self) -> Option<EvaluationPart> {
        if self.computing() {
            return None;
        }
        let (part, state) = self.parts.iter_mut().find(|(_, s)| *s == PartState::Waiting)?;
        *state = PartState::Computing;
        self.percent = None;
        Some(part.clone())
    }

    /// A view arrived: `true` when it is the one asked for, or the helpers'
    /// (it is done now); `false` for one of an earlier model, which the page
    /// drops.
    pub fn arrived(&mut self, part: &EvaluationPart) -> bool {
        match self.parts.iter_mut().find(|(p, s)| matches!(s, PartState::Computing | PartState::Helpers) && p == part) {
            Some((_, state)) => {
                *state = PartState::Done;
                true
            }
            None => false,
        }
    }

    /// The person stopped the views: none is asked for after the one computing,
    /// which still arrives and is drawn; the helpers' view stops too (the
    /// page ends them). `true` when the helpers computed one.
    pub fn stop(&mut self) -> bool {
        let helpers = self.pool_ended(None);
        for (_, state) in &mut self.parts {
            if *state == PartState::Waiting {
                *state = PartState::Stopped;
            }
        }
        helpers
    }

    /// The worker refused view `part` (for `reason`): its line says so, and
    /// the views after it are asked for as before. `false` when `part` is not
    /// the view computing (an earlier model's), which changes nothing.
    pub fn failed(&mut self, part: &EvaluationPart, reason: &str) -> bool {
        match self.parts.iter_mut().find(|(p, s)| *s == PartState::Computing && p == part) {
            Some((_, state)) => {
                *state = PartState::Failed(reason.to_string());
                true
            }
            None => false,
        }
    }

    /// The worker crashed (for `reason`) and its model is gone: the view it
    /// computed failed, and the ones after it are not asked for (the
    /// helpers' stops too). `true` when the helpers computed one.
    pub fn crashed(&mut self, reason: &str) -> bool {
        for (_, state) in &mut self.parts {
            if *state == PartState::Computing {
                *state = PartState::Failed(reason.to_string());
            }
        }
        self.stop()
    }

    /// The worker's progress on view `part`: `false` (and nothing kept) when
    /// it is not the view computing.
    pub fn progress(&mut self, part: &EvaluationPart, percent: u64) -> bool {
        let computing = self.parts.iter().any(|(p, s)| *s == PartState::Computing && p == part);
        if computing {
            self.percent = Some(percent);
        }
        computing
    }

    /// The helpers' progress on their view: `false` when it has no line yet.
    pub fn helpers_progress(&mut self, percent: u64) -> bool {
        let on_show = self.parts.iter().any(|(_, s)| *s == PartState::Helpers);
        if on_show {
            self.helpers_percent = Some(percent);
        }
        on_show
    }

    /// How far the view in `state` has come, in percent, if its worker (or
    /// the helpers) said.
    pub fn percent_of(&self, state: &PartState) -> Option<u64> {
        match state {
            PartState::Helpers => self.helpers_percent,
            _ => self.percent,
        }
    }

    /// How far the view computing has come, in percent, if the worker said.
    pub fn percent(&self) -> Option<u64> {
        self.percent
    }

    /// Whether a view is being computed.
    pub fn computing(&self) -> bool {
        self.parts.iter().any(|(_, s)| *s == PartState::Computing)
    }

    /// Whether a view is still to come: asked for, or waiting its turn.
    pub fn busy(&self) -> bool {
        self.parts.iter().any(|(_, s)| matches!(s, PartState::Waiting | PartState::Computing | PartState::Helpers))
    }

    /// Each pending view and where it stands, in order.
    pub fn parts(&self) -> &[(EvaluationPart, PartState)] {
        &self.parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> StagedViews {
        StagedViews::new(&[
            EvaluationPart::Permutation,
            EvaluationPart::PartialDependence { feature: "age".into() },
            EvaluationPart::LearningCurve,
        ])
    }

    #[test]
    fn asks_for_one_view_at_a_time_in_order() {
        let mut views = three();
        assert_eq!(views.ask(), Some(EvaluationPart::Permutation));
        assert_eq!(views.ask(), None, "nothing more is asked while one computes");
        assert!(views.arrived(&EvaluationPart::Permutation));
        assert_eq!(views.ask(), Some(EvaluationPart::PartialDependence { feature: "age".into() }));
        assert!(views.arrived(&EvaluationPart::PartialDependence { feature: "age".into() }));
        assert_eq!(views.ask(), Some(EvaluationPart::LearningCurve));
        assert!(views.busy());
        assert!(views.arrived(&EvaluationPart::LearningCurve));
        assert_eq!(views.ask(), None);
        assert!(!views.busy());
        assert!(views.parts().iter().all(|(_, s)| *s == PartState::Done));
    }

    #[test]
    fn progress_belongs_to_the_view_computing_and_starts_afresh_with_the_next() {
        let mut views = three();
        assert!(!views.progress(&EvaluationPart::Permutation, 40), "not asked for yet");
        views.ask();
        assert!(!views.progress(&EvaluationPart::LearningCurve, 50), "another view's");
        assert_eq!(views.percent(), None);
        assert!(views.progress(&EvaluationPart::Permutation, 40));
        assert_eq!(views.percent(), Some(40));
        views.arrived(&EvaluationPart::Permutation);
        views.ask();
        assert_eq!(views.percent(), None);
    }

    #[test]
    fn a_view_not_asked_for_is_dropped() {
        let mut views = three();
        views.ask();
        assert!(!views.arrived(&EvaluationPart::LearningCurve), "an earlier model's view");
        assert!(!views.arrived(&EvaluationPart::PartialDependence { feature: "fare".into() }));
        assert!(views.arrived(&EvaluationPart::Permutation));
        assert!(!views.arrived(&EvaluationPart::Permutation), "arrives once");
    }

    #[test]
    fn stopping_lets_the_view_computing_arrive_and_asks_for_no_other() {
        let mut views = three();
        views.ask();
        views.stop();
        assert!(views.busy(), "the view computing still comes");
        assert_eq!(views.ask(), None);
        assert!(views.arrived(&EvaluationPart::Permutation));
        assert_eq!(views.ask(), None);
        assert!(!views.busy());
        let states: Vec<PartState> = views.parts().iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(states, [PartState::Done, PartState::Stopped, PartState::Stopped]);
    }

    #[test]
    fn a_refused_view_says_why_and_the_next_one_goes_on() {
        let mut views = three();
        views.ask();
        assert!(!views.failed(&EvaluationPart::LearningCurve, "no"), "not the view computing");
        assert!(views.failed(&EvaluationPart::Permutation, "too few test rows"));
        assert!(views.busy(), "the views after it are still to come");
        assert_eq!(views.ask(), Some(EvaluationPart::PartialDependence { feature: "age".into() }));
        assert!(views.arrived(&EvaluationPart::PartialDependence { feature: "age".into() }));
        assert_eq!(views.ask(), Some(EvaluationPart::LearningCurve));
        assert!(views.arrived(&EvaluationPart::LearningCurve));
        let states: Vec<PartState> = views.parts().iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(states, [PartState::Failed("too few test rows".into()), PartState::Done, PartState::Done]);
    }

    fn curve() -> EvaluationPiece {
        EvaluationPiece::LearningCurve(None)
    }

    #[test]
    fn the_helpers_view_is_not_asked_of_the_worker_and_comes_beside_its_views() {
        let mut views = StagedViews::default();
        views.pool(EvaluationPart::LearningCurve);
        assert_eq!(views.pooled_part(), Some(&EvaluationPart::LearningCurve));
        assert_eq!(views.begin(three().parts().iter().map(|(p, _)| p.clone()).collect::<Vec<_>>().as_slice()), []);
        assert_eq!(views.ask(), Some(EvaluationPart::Permutation));
        assert!(views.helpers_progress(30));
        assert_eq!(views.percent_of(&PartState::Helpers), Some(30));
        assert_eq!(views.percent_of(&PartState::Computing), None, "the worker's own view has its own");
        // The helpers' view comes while the worker computes another.
        assert_eq!(views.pooled_arrived(curve()), Some(curve()));
        assert_eq!(views.pooled_arrived(curve()), None, "arrives once");
        assert!(views.arrived(&EvaluationPart::Permutation));
        assert_eq!(views.ask(), Some(EvaluationPart::PartialDependence { feature: "age".into() }));
        assert!(views.arrived(&EvaluationPart::PartialDependence { feature: "age".into() }));
        assert_eq!(views.ask(), None, "the learning curve is never asked of the worker");
        assert!(!views.busy());
    }

    #[test]
    fn a_helpers_view_that_comes_before_the_model_is_held_until_its_answer() {
        let mut views = StagedViews::default();
        views.pool(EvaluationPart::LearningCurve);
        assert_eq!(views.pooled_arrived(curve()), None, "held");
        let pending = [EvaluationPart::Robustness, EvaluationPart::LearningCurve];
        assert_eq!(views.begin(&pending), [curve()], "drawn with the answer");
        assert_eq!(views.parts()[1].1, PartState::Done);
        assert_eq!(views.ask(), Some(EvaluationPart::Robustness));
    }

    #[test]
    fn helpers_that_stop_before_the_answer_leave_the_view_to_the_worker() {
        let mut views = StagedViews::default();
        views.pool(EvaluationPart::LearningCurve);
        assert!(views.pool_ended(Some("a helper failed")));
        assert_eq!(views.pooled_part(), None);
        views.begin(&[EvaluationPart::LearningCurve]);
        assert_eq!(views.ask(), Some(EvaluationPart::LearningCurve), "asked of the worker as before");
        // After the answer, the line says why.
        let mut views = StagedViews::default();
        views.pool(EvaluationPart::LearningCurve);
        views.begin(&[EvaluationPart::LearningCurve]);
        assert!(views.pool_ended(Some("no memory")));
        assert_eq!(views.parts()[0].1, PartState::Failed("no memory".into()));
        assert_eq!(views.pooled_arrived(curve()), None, "a late answer is dropped");
    }

    #[test]
    fn stopping_stops_the_helpers_view_too() {
        let mut views = StagedViews::default();
        views.pool(EvaluationPart::LearningCurve);
        views.begin(&[EvaluationPart::Permutation, EvaluationPart::LearningCurve]);
        views.ask();
        assert!(views.stop(), "the page ends the helpers");
        assert_eq!(views.parts()[1].1, PartState::Stopped);
        assert!(!views.stop(), "nothing of theirs is left");
        assert_eq!(views.pooled_arrived(curve()), None);
    }

    #[test]
    fn a_crash_stops_the_rest() {
        let mut views = three();
        views.ask();
        views.crashed("out of memory");
        assert!(!views.busy());
        assert_eq!(views.ask(), None);
        let states: Vec<PartState> = views.parts().iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(states, [PartState::Failed("out of memory".into()), PartState::Stopped, PartState::Stopped]);
    }
}
