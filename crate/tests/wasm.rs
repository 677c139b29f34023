//! What only exists in the browser: the worker protocol's messages as real
//! JavaScript values (postcard bytes in a transferable `Uint8Array`), the
//! session answering them under wasm, and drawing on a real canvas through
//! plotters-canvas.
#![cfg(target_arch = "wasm32")]

use micro_models::base::{NoProgress, Task};
use micro_models::model::{ParamValue, ParamValues};
use micro_models::session::wire::PostedBody;
use micro_models::session::{ColumnUse, Request, RequestId, Response, Session, TrainRequest};
use micro_models::web::{read_posted, read_reply, reply_message, request_message};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "support/fingerprint.rs"]
mod fingerprint;

fn iris_request() -> TrainRequest {
    let names = ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"];
    TrainRequest {
        target: "species".into(),
        task: Task::Classification,
        columns: names
            .iter()
            .map(|n| ColumnUse { name: n.to_string(), kind: micro_models::data::ColumnKind::Numeric, included: true })
            .collect(),
        model: "decision_tree".into(),
        params: ParamValues::from([("max_depth".to_string(), ParamValue::Int(3))]),
        seed: 42,
        pipeline: None,
        test_share: micro_models::session::TEST_FRACTION,
    }
}

/// Sends a request the way the page does (postcard bytes in a
/// `Uint8Array`) and reads the answer back the way the page does.
fn round_trip(session: &mut Session, request: Request) -> Response {
    let out = request_message(RequestId(7), &request).unwrap();
    let (posted, file) = read_posted(&out.message).unwrap();
    assert!(file.is_none());
    assert_eq!(posted.id, RequestId(7));
    let PostedBody::Request(request) = posted.body else { panic!("a request read as a file's load") };
    let response = session.handle(request, &mut NoProgress);
    let reply = read_reply(&reply_message(Some(posted.id), &response).unwrap().message).unwrap();
    assert_eq!(reply.id, Some(RequestId(7)));
    reply.response
}

#[wasm_bindgen_test]
fn messages_cross_as_transferable_bytes() {
    let request = Request::Load { name: "t.csv".into(), bytes: b"a,b\n1,2\n".to_vec(), encoding: None };
    let out = request_message(RequestId(1), &request).unwrap();
    let bytes = out.message.dyn_ref::<js_sys::Uint8Array>().expect("a request travels as a Uint8Array");
    // Its buffer is its own, handed over with the message.
    assert_eq!(out.transfer.length(), 1);
    assert!(wasm_bindgen::JsValue::from(bytes.buffer()) == out.transfer.get(0));
    assert_eq!(bytes.byte_length(), bytes.buffer().byte_length());
    let (posted, _) = read_posted(&out.message).unwrap();
    assert_eq!(posted.body, PostedBody::Request(request));
}

#[wasm_bindgen_test]
fn the_session_answers_through_js_values() {
    let mut session = Session::new(js_sys::Date::now);
    let Response::Loaded(summary) = round_trip(&mut session, Request::LoadBundled { name: "iris".into() }) else {
        panic!("iris did not load")
    };
    assert_eq!((summary.n_rows, summary.n_cols), (150, 5));
    let Response::Trained(report) = round_trip(&mut session, Request::Train(iris_request())) else {
        panic!("training failed")
    };
    let boundary = report.boundary.as_ref().expect("iris has numeric axes");
    assert_eq!(boundary.rgba.len() as u32, boundary.grid_width * boundary.grid_height * 4);
    // Same seed, same data: bit-for-bit the report the native session test pins.
    assert_eq!(
        fingerprint::fingerprint(&fingerprint::model_outputs(&report)),
        include_str!("fixtures/iris_depth3_report.txt").trim()
    );
    let bad = round_trip(&mut session, Request::Load { name: "bad.csv".into(), bytes: vec![], encoding: None });
    assert!(matches!(bad, Response::Failed(_)));
}

/// The models whose kernels run as SIMD here (`.cargo/config.toml`) compute
/// the bits the native build pins (`kernel_reports_are_pinned_for_the_wasm_test`).
#[wasm_bindgen_test]
fn kernels_compute_the_native_bits() {
    let mut session = Session::new(js_sys::Date::now);
    let Response::Loaded(summary) = round_trip(&mut session, Request::LoadBundled { name: "breast_cancer".into() }) else {
        panic!("breast_cancer did not load")
    };
    let mut reports = Vec::new();
    for request in fingerprint::kernel_requests(&summary) {
        let model = request.model.clone();
        let Response::Trained(report) = round_trip(&mut session, Request::Train(request)) else {
            panic!("{model} did not train")
        };
        reports.push((model, report));
    }
    let reports: Vec<(&str, &micro_models::session::TrainReport)> =
        reports.iter().map(|(m, r)| (m.as_str(), &**r)).collect();
    assert_eq!(fingerprint::kernel_lines(&reports), include_str!("fixtures/kernel_reports.txt"));
}

#[wasm_bindgen_test]
fn views_draw_on_a_real_canvas() {
    use micro_models::explain::ImportanceView;
    use micro_models::render::{draw_importance, importance_height, Theme};
    use plotters::prelude::*;
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").unwrap().dyn_into().unwrap();
    let view = ImportanceView {
        spread: None,
        title: "Feature importance".into(),
        measure: "share".into(),
        items: vec![("petal width".into(), 0.7), ("petal length".into(), 0.3)],
    };
    let theme = Theme::new(1.0);
    canvas.set_width(400);
    canvas.set_height(importance_height(&view, &theme, 400));
    document.body().unwrap().append_child(&canvas).unwrap();
    let area = plotters_canvas::CanvasBackend::with_canvas_object(canvas.clone()).unwrap().into_drawing_area();
    draw_importance(&area, &view, &theme).unwrap();
    area.present().unwrap();
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    let data = ctx.get_image_data(0.0, 0.0, 400.0, canvas.height() as f64).unwrap().data();
    let inked = data.chunks(4).filter(|p| p[3] > 0 && (p[0] < 200 || p[1] < 200 || p[2] < 200)).count();
    assert!(inked > 500, "the chart drew {inked} dark pixels");
}
