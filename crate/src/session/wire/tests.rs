use super::*;
use crate::base::Progress;
use crate::data::{ToyEdit, ToyKind, ToySpec};
use crate::eval::search::{Dimension, Method, Range};
use crate::explain::{EvaluationPart, ShiftRule};
use crate::model::ensemble::EnsembleKind;
use crate::model::{ParamValue, ParamValues};
use crate::prep::PipelineSpec;
use crate::session::task::Piece;
use crate::session::{
    native_clock, AlongPick, ColumnUse, CompareRequest, DistillRequest, EnsembleRequest, Folding, SearchRequest, Session,
    Student, TrainRequest,
};

/// Which request this is, by an exhaustive match: a new request kind does
/// not compile here until the script below sends one.
fn request_kind(request: &Request) -> usize {
    match request {
        Request::LoadBundled { .. } => 0,
        Request::Load { .. } => 1,
        Request::LoadToy(_) => 2,
        Request::EditToy(_) => 3,
        Request::Train(_) => 4,
        Request::Compare(_) => 5,
        Request::Ensemble(_) => 6,
        Request::Boundary { .. } => 7,
        Request::Inspect { .. } => 8,
        Request::TraceAlong { .. } => 9,
        Request::SetMissing { .. } => 10,
        Request::PartialDependence { .. } => 11,
        Request::Evaluate(_) => 12,
        Request::CrossValidate { .. } => 13,
        Request::Search(_) => 14,
        Request::Distill(_) => 15,
        Request::ExportCode { .. } => 16,
        Request::Counterfactual { .. } => 17,
        Request::Groups { .. } => 18,
        Request::Shift { .. } => 19,
        Request::Predictions => 20,
        Request::SaveModel => 21,
        Request::LoadModel { .. } => 22,
        Request::Piece(_) => 23,
    }
}
const REQUEST_KINDS: usize = 24;

/// Which answer this is, as [`request_kind`].
fn response_kind(response: &Response) -> usize {
    match response {
        Response::Code(_) => 0,
        Response::Ready => 1,
        Response::Progress { .. } => 2,
        Response::Loaded(_) => 3,
        Response::ToyEdited(_) => 4,
        Response::Trained(_) => 5,
        Response::Compared(_) => 6,
        Response::Ensembled(_) => 7,
        Response::Boundary(_) => 8,
        Response::Inspected(_) => 9,
        Response::ColumnRetyped(_) => 10,
        Response::PartialDependence(_) => 11,
        Response::Evaluated(_) => 12,
        Response::CrossValidated(_) => 13,
        Response::SearchTrial(_) => 14,
        Response::Searched(_) => 15,
        Response::Distilled(_) => 16,
        Response::Counterfactual(_) => 17,
        Response::Groups(_) => 18,
        Response::Shifted(_) => 19,
        Response::Predictions(_) => 20,
        Response::ModelSaved(_) => 21,
        Response::ModelLoaded(_) => 22,
        Response::PieceDone(_) => 23,
        Response::Failed(_) => 24,
    }
}
const RESPONSE_KINDS: usize = 25;

/// A session spoken to only through the bytes, as the worker is: each
/// request goes as the page writes it and is read as the worker reads it,
/// each answer (progress and a search's trials too) comes back the same way,
/// and both must arrive as they left. Debug text is compared, not `==`: it
/// prints every float's shortest round-trip digits (equal text, equal bits),
/// and a NaN equals itself there.
struct Wire {
    session: Session,
    next: u64,
    requests: [bool; REQUEST_KINDS],
    responses: [bool; RESPONSE_KINDS],
}

/// Progress as the worker posts it: each report a [`Response::Progress`].
struct Posts<'a>(&'a mut Vec<Response>);

impl Progress for Posts<'_> {
    fn report(&mut self, done: usize, total: usize, what: &str) {
        self.0.push(Response::Progress { done: done as u64, total: total as u64, what: what.to_string() });
    }
}

impl Wire {
    fn new() -> Wire {
        let mut wire = Wire {
            session: Session::new(native_clock),
            next: 1,
            requests: [false; REQUEST_KINDS],
            responses: [false; RESPONSE_KINDS],
        };
        wire.arrives(None, Response::Ready);
        wire
    }

    /// The answer as the page reads it, checked against the one sent.
    fn arrives(&mut self, id: Option<RequestId>, response: Response) -> Response {
        let bytes = reply_bytes(id, &response).expect("every answer has bytes");
        let reply = read_reply(&bytes).unwrap_or_else(|e| panic!("{e} reading {response:?}"));
        assert_eq!(reply.id, id);
        assert_eq!(format!("{:?}", reply.response), format!("{response:?}"));
        self.responses[response_kind(&response)] = true;
        reply.response
    }

    fn ask(&mut self, request: Request) -> Response {
        let id = RequestId(self.next);
        self.next += 1;
        let bytes = request_bytes(id, &request).expect("every request has bytes");
        let posted = read_posted(&bytes).unwrap_or_else(|e| panic!("{e} reading {request:?}"));
        assert_eq!(posted.id, id);
        let PostedBody::Request(read) = posted.body else { panic!("{request:?} read as a file's load") };
        assert_eq!(format!("{read:?}"), format!("{request:?}"));
        self.requests[request_kind(&read)] = true;
        let mut streamed = Vec::new();
        let mut progress = Vec::new();
        let answer = self.session.handle_streaming(read, &mut Posts(&mut progress), &mut |r| streamed.push(r));
        for response in progress.into_iter().chain(streamed) {
            self.arrives(Some(id), response);
        }
        self.arrives(Some(id), answer)
    }
}

fn penguins_request(summary: &crate::session::DataSummary) -> TrainRequest {
    TrainRequest {
        target: "species".into(),
        task: crate::base::Task::Classification,
        columns: summary.columns.iter().map(|c| ColumnUse::offered(&c.name, c.inferred)).collect(),
        model: "decision_tree".into(),
        params: ParamValues::from([("max_depth".to_string(), ParamValue::Int(3))]),
        seed: 42,
        pipeline: None,
        test_share: crate::session::TEST_FRACTION,
    }
}

#[test]
fn every_request_and_every_answer_cross_as_bytes_unchanged() {
    let mut wire = Wire::new();

    // A person's file, as bytes, with a token to read as a value again.
    let csv = b"x,kind\n1.5,a\n2,?\n3,b\n4,a\n".to_vec();
    let load = Request::Load { name: "mine.csv".into(), bytes: csv, encoding: Some(TextEncoding::Windows1252) };
    assert!(matches!(wire.ask(load), Response::Loaded(_)));
    wire.ask(Request::SetMissing { column: "kind".into(), missing: vec![] });

    let toy = ToySpec { kind: ToyKind::Moons, rows: 60, noise: 0.1, seed: 3, classes: 2 };
    let Response::Loaded(moons) = wire.ask(Request::LoadToy(toy)) else { panic!("moons load") };
    let class = moons.preview[0].last().cloned().unwrap_or_default();
    wire.ask(Request::EditToy(ToyEdit::Add { x1: 0.25, x2: -0.5, class }));

    let Response::Loaded(summary) = wire.ask(Request::LoadBundled { name: "penguins".into() }) else {
        panic!("penguins load")
    };
    let request = penguins_request(&summary);

    // A pipeline with a step of every kind (refused on penguins: it names
    // columns penguins does not have; the request crosses all the same).
    let every = TrainRequest { pipeline: Some(PipelineSpec::one_step_of_each_kind()), ..request.clone() };
    assert!(matches!(wire.ask(Request::Train(every)), Response::Failed(_)));

    let Response::Trained(report) = wire.ask(Request::Train(request.clone())) else { panic!("penguins trains") };
    for part in report.pending.clone() {
        wire.ask(Request::Evaluate(part));
    }
    let (x, y) = (report.axis_options[0].clone(), report.axis_options[1].clone());
    wire.ask(Request::Boundary { x: x.clone(), y: y.clone(), slice: Vec::new(), live: false, two_features: true });
    wire.ask(Request::Inspect {
        x: x.clone(),
        y: y.clone(),
        at: Some((40.0, 200.0)),
        row: Some(3),
        slice: Vec::new(),
        two_features: false,
    });
    wire.ask(Request::TraceAlong { feature: x.clone(), pick: AlongPick::Nearest(42.5) });
    wire.ask(Request::PartialDependence { feature: "body_mass_g".into() });
    wire.ask(Request::Evaluate(EvaluationPart::Robustness));
    wire.ask(Request::CrossValidate { request: request.clone(), k: 3, folding: Folding::Grouped("island".into()) });
    wire.ask(Request::Piece(Piece::Fold { request: request.clone(), k: 3, folding: Folding::Shuffled, fold: 1 }));
    wire.ask(Request::Groups { column: "island".into(), margin: 0.1 });
    wire.ask(Request::Shift { column: "island".into(), rule: ShiftRule::Levels(vec!["Biscoe".into(), "Dream".into()]) });
    let Response::Counterfactual(_) =
        wire.ask(Request::Counterfactual { row: 0, x: x.clone(), y: y.clone(), allowed: vec![] })
    else {
        panic!("a counterfactual")
    };
    wire.ask(Request::Predictions);
    wire.ask(Request::ExportCode { language: crate::base::program::Language::C, precision: Default::default() });
    let Response::ModelSaved(saved) = wire.ask(Request::SaveModel) else { panic!("the model saves") };
    wire.ask(Request::LoadModel { json: saved.json });
    wire.ask(Request::Compare(CompareRequest {
        base: request.clone(),
        models: vec!["decision_tree".into(), "knn".into()],
        axes: Some((x.clone(), y.clone())),
        slice: Vec::new(),
    }));
    wire.ask(Request::Search(SearchRequest {
        request: request.clone(),
        dimensions: vec![Dimension { key: "max_depth".into(), range: Range::Int { low: 1, high: 3, log: false } }],
        method: Method::Grid,
        budget: 3,
        per_setting: 3,
        k: 3,
        folding: Folding::Shuffled,
    }));
    wire.ask(Request::Ensemble(EnsembleRequest {
        base: request.clone(),
        members: vec!["decision_tree".into(), "logistic_regression".into()],
        kind: EnsembleKind::Stack { meta: None, folds: 3 },
        weights: None,
        axes: None,
        slice: Vec::new(),
    }));
    wire.ask(Request::Train(request));
    wire.ask(Request::Distill(DistillRequest { student: Student::Tree { max_depth: 2 }, synthetic_rows: 50, seed: 7 }));

    let unsent: Vec<usize> = (0..REQUEST_KINDS).filter(|&k| !wire.requests[k]).collect();
    let unanswered: Vec<usize> = (0..RESPONSE_KINDS).filter(|&k| !wire.responses[k]).collect();
    assert!(unsent.is_empty(), "request kinds never sent: {unsent:?}");
    assert!(unanswered.is_empty(), "answer kinds never seen: {unanswered:?}");
}

#[test]
fn a_file_load_crosses_as_its_encoding_beside_the_handle() {
    for encoding in [None, Some(TextEncoding::Utf8), Some(TextEncoding::Windows1252)] {
        let bytes = file_bytes(RequestId(9), encoding).unwrap();
        let posted = read_posted(&bytes).unwrap();
        assert_eq!(posted, Posted { id: RequestId(9), body: PostedBody::File { encoding } });
    }
}

#[test]
fn bytes_from_elsewhere_are_an_error_not_a_panic() {
    let bytes = request_bytes(RequestId(1), &Request::Predictions).unwrap();
    assert!(read_posted(&bytes[..bytes.len() - 1]).is_err(), "cut short");
    assert!(read_posted(&[1, 200]).is_err(), "no such body");
    assert!(read_reply(&[0, 250, 1]).is_err(), "no such answer");
    assert!(read_reply(&[]).is_err());
}
