//! `--jq EXPR`: a jq filter over a command's JSON output, run in process by
//! the `jaq` interpreter. Strings come out raw and everything else as
//! pretty JSON, one result after another, as `gh --jq` prints them.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use serde_json::Value;

type Compiled = jaq_core::compile::Filter<jaq_core::Native<data::JustLut<Val>>>;

/// A compiled jq filter.
pub struct Jq {
    filter: Compiled,
}

impl std::fmt::Debug for Jq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jq")
    }
}

impl Jq {
    /// Parses and compiles `code` with jq's standard definitions; the error
    /// is the parser's message, with where in `code` it stopped.
    pub fn compile(code: &str) -> Result<Jq, String> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let loader = Loader::new(defs);
        let arena = Arena::default();
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| load_errors(code, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let words: Vec<String> = errors
                    .into_iter()
                    .flat_map(|(_, undefined)| undefined)
                    .map(|(name, kind)| format!("undefined {} `{name}`", kind.as_str()))
                    .collect();
                words.join("; ")
            })?;
        Ok(Jq { filter })
    }

    /// Runs the filter on `value`: each result as the text to print (with
    /// its newline), or the first error the filter raised.
    pub fn run(&self, value: &Value) -> Result<String, String> {
        let text = value.to_string();
        let input = jaq_json::read::parse_single(text.as_bytes())
            .map_err(|e| format!("cannot read the JSON: {e}"))?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let mut out = String::new();
        for result in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            let result = result.map_err(|e| e.to_string())?;
            out.push_str(&shown(&result));
            out.push('\n');
        }
        Ok(out)
    }
}

/// A result as `gh --jq` prints it: a string raw, anything else as JSON,
/// pretty when it is an array or an object.
fn shown(value: &Val) -> String {
    let json = value.to_string();
    match serde_json::from_str::<Value>(&json) {
        Ok(Value::String(s)) => s,
        Ok(v @ (Value::Array(_) | Value::Object(_))) => {
            serde_json::to_string_pretty(&v).unwrap_or(json)
        }
        _ => json,
    }
}

/// The lexer's and parser's complaints, with the offset each points at.
fn load_errors(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> String {
    use jaq_core::load::Error;
    let at = |rest: &str| {
        let offset = (rest.as_ptr() as usize).saturating_sub(code.as_ptr() as usize);
        let offset = offset.min(code.len());
        if offset >= code.len() {
            "at the end".to_string()
        } else {
            format!("at column {}", code[..offset].chars().count() + 1)
        }
    };
    let mut words = Vec::new();
    for (_, error) in errors {
        match error {
            Error::Io(io) => words.extend(io.into_iter().map(|(path, e)| format!("{path}: {e}"))),
            Error::Lex(lex) => words.extend(
                lex.into_iter()
                    .map(|(expect, rest)| format!("expected {} {}", expect.as_str(), at(rest))),
            ),
            Error::Parse(parse) => words.extend(
                parse
                    .into_iter()
                    .map(|(expect, rest)| format!("expected {} {}", expect.as_str(), at(rest))),
            ),
        }
    }
    words.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_filter_prints_strings_raw_and_values_as_json() {
        let jq = Jq::compile(".data[] | .slug, .n").unwrap();
        let out = jq
            .run(&json!({"data": [{"slug": "create-image", "n": 2}]}))
            .unwrap();
        assert_eq!(out, "create-image\n2\n");
    }

    #[test]
    fn standard_filters_are_there() {
        let jq = Jq::compile("[.[] | select(. > 1)] | map(. * 2) | length").unwrap();
        assert_eq!(jq.run(&json!([1, 2, 3])).unwrap(), "2\n");
    }

    #[test]
    fn a_bad_expression_says_what_the_parser_expected() {
        let err = Jq::compile(".data[").unwrap_err();
        assert!(err.starts_with("expected "), "{err}");
        let err = Jq::compile("nosuchfilter").unwrap_err();
        assert!(err.contains("undefined"), "{err}");
        assert!(err.contains("nosuchfilter"), "{err}");
    }

    #[test]
    fn a_runtime_error_is_an_error() {
        let jq = Jq::compile(".a.b").unwrap();
        assert!(jq.run(&json!({"a": 1})).is_err());
    }
}
