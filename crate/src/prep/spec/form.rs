//! [`StepSpec`]'s two serde forms. A human-readable format gets the tagged
//! map the model files and links have always held (`{"step": "scale",
//! "scaler": "standard", "columns": []}`), written and read by the derive on
//! `StepSpec`. A binary format gets a plain enum: the variant's index, then
//! its fields in order. An internally tagged enum is read by buffering the
//! map until its tag is found, which needs a self-describing format;
//! postcard, which carries the worker protocol, is not one.

use std::fmt;

use serde::de::{self, Deserializer, EnumAccess, SeqAccess, VariantAccess, Visitor};
use serde::ser::{SerializeStructVariant, Serializer};
use serde::{Deserialize, Serialize};

use super::StepSpec;

/// The variants in declaration order: a step's place here is its index in
/// the binary form.
const VARIANTS: [&str; 7] = ["Impute", "Encode", "Aggregate", "Scale", "Bin", "Poly", "Pca"];

/// Each variant's fields, in the order the binary form holds them.
const FIELDS: [&[&str]; 7] = [
    &["numbers", "indicator"],
    &["encoding", "min_count"],
    &["of", "by", "stat"],
    &["scaler", "columns"],
    &["binning", "bins", "columns"],
    &["columns"],
    &["keep"],
];

impl Serialize for StepSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            return StepSpec::serialize(self, serializer);
        }
        let open = |serializer: S, index: u32| {
            let i = index as usize;
            serializer.serialize_struct_variant("StepSpec", index, VARIANTS[i], FIELDS[i].len())
        };
        let mut variant;
        match self {
            StepSpec::Impute { numbers, indicator } => {
                variant = open(serializer, 0)?;
                variant.serialize_field("numbers", numbers)?;
                variant.serialize_field("indicator", indicator)?;
            }
            StepSpec::Encode { encoding, min_count } => {
                variant = open(serializer, 1)?;
                variant.serialize_field("encoding", encoding)?;
                variant.serialize_field("min_count", min_count)?;
            }
            StepSpec::Aggregate { of, by, stat } => {
                variant = open(serializer, 2)?;
                variant.serialize_field("of", of)?;
                variant.serialize_field("by", by)?;
                variant.serialize_field("stat", stat)?;
            }
            StepSpec::Scale { scaler, columns } => {
                variant = open(serializer, 3)?;
                variant.serialize_field("scaler", scaler)?;
                variant.serialize_field("columns", columns)?;
            }
            StepSpec::Bin { binning, bins, columns } => {
                variant = open(serializer, 4)?;
                variant.serialize_field("binning", binning)?;
                variant.serialize_field("bins", bins)?;
                variant.serialize_field("columns", columns)?;
            }
            StepSpec::Poly { columns } => {
                variant = open(serializer, 5)?;
                variant.serialize_field("columns", columns)?;
            }
            StepSpec::Pca { keep } => {
                variant = open(serializer, 6)?;
                variant.serialize_field("keep", keep)?;
            }
        }
        variant.end()
    }
}

impl<'de> Deserialize<'de> for StepSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            StepSpec::deserialize(deserializer)
        } else {
            deserializer.deserialize_enum("StepSpec", &VARIANTS, Plain)
        }
    }
}

/// Reads the binary form: which step, then its fields.
struct Plain;

impl<'de> Visitor<'de> for Plain {
    type Value = StepSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a pipeline step")
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<StepSpec, A::Error> {
        let (index, variant) = data.variant::<u32>()?;
        let fields = FIELDS.get(index as usize).ok_or_else(|| {
            de::Error::invalid_value(de::Unexpected::Unsigned(index.into()), &"a pipeline step's index, 0 to 6")
        })?;
        variant.struct_variant(fields, Fields(index))
    }
}

/// Reads one step's fields, in [`FIELDS`]' order; the `u32` is its index.
struct Fields(u32);

impl<'de> Visitor<'de> for Fields {
    type Value = StepSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "the fields of a pipeline step {}", VARIANTS[self.0 as usize])
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StepSpec, A::Error> {
        // Struct literals evaluate their fields in the order written: FIELDS' order.
        Ok(match self.0 {
            0 => StepSpec::Impute { numbers: field(&mut seq, 0)?, indicator: field(&mut seq, 1)? },
            1 => StepSpec::Encode { encoding: field(&mut seq, 0)?, min_count: field(&mut seq, 1)? },
            2 => StepSpec::Aggregate { of: field(&mut seq, 0)?, by: field(&mut seq, 1)?, stat: field(&mut seq, 2)? },
            3 => StepSpec::Scale { scaler: field(&mut seq, 0)?, columns: field(&mut seq, 1)? },
            4 => StepSpec::Bin { binning: field(&mut seq, 0)?, bins: field(&mut seq, 1)?, columns: field(&mut seq, 2)? },
            5 => StepSpec::Poly { columns: field(&mut seq, 0)? },
            _ => StepSpec::Pca { keep: field(&mut seq, 0)? },
        })
    }
}

/// The next field of a step, the `at`-th.
fn field<'de, T: Deserialize<'de>, A: SeqAccess<'de>>(seq: &mut A, at: usize) -> Result<T, A::Error> {
    seq.next_element()?.ok_or_else(|| de::Error::invalid_length(at, &"every field of the pipeline step"))
}

#[cfg(test)]
mod tests {
    use super::super::{PipelineSpec, Scaler};
    use super::*;

    fn every_step() -> PipelineSpec {
        PipelineSpec::one_step_of_each_kind()
    }

    /// The JSON of [`PipelineSpec::one_step_of_each_kind`] as the derived, internally tagged serde
    /// wrote it before the binary form existed: model files and links hold it.
    const TAGGED_JSON: &str = concat!(
        r#"{"steps":[{"step":"impute","numbers":{"constant":-1.5},"indicator":true},"#,
        r#"{"step":"encode","encoding":"target","min_count":3},"#,
        r#"{"step":"aggregate","of":"fare","by":"class","stat":"max"},"#,
        r#"{"step":"scale","scaler":"robust","columns":["age","fare"]},"#,
        r#"{"step":"bin","binning":"quantile","bins":7,"columns":["age"]},"#,
        r#"{"step":"poly","columns":["age","fare mean by class"]},"#,
        r#"{"step":"pca","keep":{"variance":0.9}}]}"#
    );

    #[test]
    fn every_step_keeps_its_tagged_json() {
        let spec = every_step();
        assert_eq!(serde_json::to_string(&spec).unwrap(), TAGGED_JSON);
        assert_eq!(serde_json::from_str::<PipelineSpec>(TAGGED_JSON).unwrap(), spec);
    }

    #[test]
    fn every_step_survives_the_binary_form() {
        let spec = every_step();
        let bytes = postcard::to_allocvec(&spec).unwrap();
        assert_eq!(postcard::from_bytes::<PipelineSpec>(&bytes).unwrap(), spec);
        // The plain form: a step is its index and its fields, no names.
        let one = postcard::to_allocvec(&StepSpec::Poly { columns: vec!["a".into()] }).unwrap();
        assert_eq!(one, [5, 1, 1, b'a']);
    }

    #[test]
    fn a_step_index_past_the_last_is_refused() {
        assert!(postcard::from_bytes::<StepSpec>(&[7, 0]).is_err());
        assert!(postcard::from_bytes::<StepSpec>(&[3]).is_err(), "a step cut short");
    }

    #[test]
    fn a_tagged_step_reads_whatever_the_order_of_its_keys() {
        let json = r#"{"columns": ["x"], "scaler": "min_max", "step": "scale"}"#;
        let step: StepSpec = serde_json::from_str(json).unwrap();
        assert_eq!(step, StepSpec::Scale { scaler: Scaler::MinMax, columns: vec!["x".into()] });
    }
}
