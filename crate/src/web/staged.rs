//! The evaluation views that follow a model's answer, and which of them the
//! page has asked for. The worker cannot read a message while it computes, so
//! the page asks for one view at a time (`Request::Evaluate`), the next only
//! once the last came: stopping is then just not asking, and the worker, the
//! model, the boundary and tracing stay as they are.

use crate::explain::EvaluationPart;

/// Where one pending view stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PartState {
    /// Asked for after the ones before it.
    Waiting,
    /// Asked for; the worker computes it.
    Computing,
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
}

impl StagedViews {
    /// Every view of `pending` waiting, none asked for yet.
    pub fn new(pending: &[EvaluationPart]) -> Self {
        StagedViews { parts: pending.iter().map(|p| (p.clone(), PartState::Waiting)).collect(), percent: None }
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

    /// A view arrived: `true` when it is the one asked for (it is done now);
    /// `false` for one of an earlier model, which the page drops.
    pub fn arrived(&mut self, part: &EvaluationPart) -> bool {
        match self.parts.iter_mut().find(|(p, s)| *s == PartState::Computing && p == part) {
            Some((_, state)) => {
                *state = PartState::Done;
                true
            }
            None => false,
        }
    }

    /// The person stopped the views: none is asked for after the one computing,
    /// which still arrives and is drawn.
    pub fn stop(&mut self) {
        for (_, state) in &mut self.parts {
            if *state == PartState::Waiting {
                *state = PartState::Stopped;
            }
        }
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
    /// computed failed, and the ones after it are not asked for.
    pub fn crashed(&mut self, reason: &str) {
        for (_, state) in &mut self.parts {
            if *state == PartState::Computing {
                *state = PartState::Failed(reason.to_string());
            }
        }
        self.stop();
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
        self.parts.iter().any(|(_, s)| matches!(s, PartState::Waiting | PartState::Computing))
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
