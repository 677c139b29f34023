//! The datasets that ship inside the worker, so picking one needs no request
//! after the page has loaded. Attribution: `www/datasets/ATTRIBUTION.md`.
//! Names and bytes are kept apart so the page's own module, which lists the
//! names, does not carry the bytes.

/// In the order the page lists them.
pub const NAMES: [&str; 7] = ["iris", "penguins", "wine", "breast_cancer", "diabetes", "house_prices", "digits"];

/// The column each dataset is meant to predict (not always its last column:
/// penguins ends with `year`).
pub fn target(name: &str) -> Option<&'static str> {
    Some(match name {
        "iris" | "penguins" => "species",
        "wine" => "cultivar",
        "breast_cancer" => "diagnosis",
        "diabetes" => "progression",
        "house_prices" => "price_usd",
        "digits" => "digit",
        _ => return None,
    })
}

pub fn bytes(name: &str) -> Option<&'static [u8]> {
    Some(match name {
        "iris" => include_bytes!("../../../www/datasets/iris.csv"),
        "penguins" => include_bytes!("../../../www/datasets/penguins.csv"),
        "wine" => include_bytes!("../../../www/datasets/wine.csv"),
        "breast_cancer" => include_bytes!("../../../www/datasets/breast_cancer.csv"),
        "diabetes" => include_bytes!("../../../www/datasets/diabetes.csv"),
        "house_prices" => include_bytes!("../../../www/datasets/house_prices.csv"),
        "digits" => include_bytes!("../../../www/datasets/digits.csv"),
        _ => return None,
    })
}
