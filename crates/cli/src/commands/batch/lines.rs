//! A batch file read into runs: JSONL or CSV lines, each with its tool, its
//! input (typed and checked against the model's schema) and its output name.

use std::collections::{BTreeMap, HashMap};

use artificial_studio::ToolExt;
use artificial_studio_types::{InputSchema, Tool};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::args::BatchFormat;
use crate::input;

/// A line as the file gives it, before its tool's schema is known.
#[derive(Debug, Clone, PartialEq)]
pub struct RawLine {
    /// The line number in the file, from 1 (for CSV, the row's line).
    pub number: usize,
    /// The tool the line names, if it names one.
    pub tool: Option<String>,
    /// The output name given outside the input (`{"name": ..., "input": ...}`).
    pub name: Option<String>,
    /// The input, as the file gives it.
    pub body: Body,
}

/// A line's input before typing.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// A JSON object, sent as it is.
    Json(Map<String, Value>),
    /// CSV cells as `(column, text)`, typed by the model's schema.
    Cells(Vec<(String, String)>),
}

/// A line ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The line number in the file.
    pub number: usize,
    /// The tool slug.
    pub tool: String,
    /// The output file's name without extension: the line's `id`/`name`,
    /// else its line number.
    pub stem: String,
    /// The input to send: a JSON object.
    pub input: Value,
    /// The credits the run costs, when the model's price is published.
    pub credits: Option<f64>,
}

/// A line that cannot run, with every reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BadLine {
    /// The line number in the file.
    pub line: usize,
    /// What is wrong, one entry per problem.
    pub errors: Vec<String>,
}

impl BadLine {
    fn one(line: usize, error: impl Into<String>) -> BadLine {
        BadLine {
            line,
            errors: vec![error.into()],
        }
    }
}

/// Reads every line of `text`; the lines that cannot be read are returned
/// apart, so that all of them are reported together.
pub fn read(text: &str, format: BatchFormat) -> (Vec<RawLine>, Vec<BadLine>) {
    match format {
        BatchFormat::Jsonl => read_jsonl(text),
        BatchFormat::Csv => read_csv(text),
    }
}

fn read_jsonl(text: &str) -> (Vec<RawLine>, Vec<BadLine>) {
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(object)) => match json_line(number, object) {
                Ok(raw) => lines.push(raw),
                Err(problem) => bad.push(problem),
            },
            Ok(_) => bad.push(BadLine::one(number, "expected a JSON object")),
            Err(e) => bad.push(BadLine::one(number, format!("not JSON: {e}"))),
        }
    }
    (lines, bad)
}

/// `{"tool", "input", "name"|"id"}`, or a bare input object.
fn json_line(number: usize, mut object: Map<String, Value>) -> Result<RawLine, BadLine> {
    let Some(input) = object.remove("input") else {
        return Ok(RawLine {
            number,
            tool: None,
            name: None,
            body: Body::Json(object),
        });
    };
    let mut errors = Vec::new();
    let input = match input {
        Value::Object(input) => input,
        _ => {
            errors.push("`input` must be a JSON object".to_string());
            Map::new()
        }
    };
    let tool = match object.remove("tool") {
        None => None,
        Some(Value::String(tool)) => Some(tool),
        Some(_) => {
            errors.push("`tool` must be a string".to_string());
            None
        }
    };
    let mut name = None;
    for key in ["name", "id"] {
        match object.remove(key) {
            None => {}
            Some(value) => match name_of(&value) {
                Some(text) => name = name.or(Some(text)),
                None => errors.push(format!("`{key}` must be a string or a number")),
            },
        }
    }
    errors.extend(
        object
            .keys()
            .map(|key| format!("unknown key `{key}` (expected tool, input, name or id)")),
    );
    if errors.is_empty() {
        Ok(RawLine {
            number,
            tool,
            name,
            body: Body::Json(input),
        })
    } else {
        Err(BadLine {
            line: number,
            errors,
        })
    }
}

fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn read_csv(text: &str) -> (Vec<RawLine>, Vec<BadLine>) {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => return (Vec::new(), vec![BadLine::one(1, format!("not CSV: {e}"))]),
    };
    let mut header_errors = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        if header.is_empty() {
            header_errors.push(format!("column {} has no name", i + 1));
        } else if headers[..i].contains(header) {
            header_errors.push(format!("column `{header}` is named twice"));
        }
    }
    if !header_errors.is_empty() {
        return (
            Vec::new(),
            vec![BadLine {
                line: 1,
                errors: header_errors,
            }],
        );
    }
    let mut lines = Vec::new();
    let mut bad = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                bad.push(BadLine::one(line, format!("not CSV: {e}")));
                continue;
            }
        };
        let number = record.position().map_or(0, |p| p.line() as usize);
        if record.len() != headers.len() {
            bad.push(BadLine::one(
                number,
                format!("{} cells for {} columns", record.len(), headers.len()),
            ));
            continue;
        }
        let mut tool = None;
        let mut cells = Vec::new();
        for (header, cell) in headers.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            if header == "tool" {
                tool = Some(cell.trim().to_string());
            } else {
                cells.push((header.clone(), cell.to_string()));
            }
        }
        lines.push(RawLine {
            number,
            tool,
            name: None,
            body: Body::Cells(cells),
        });
    }
    (lines, bad)
}

/// What fetching a tool gave: the tool, or why a line naming it cannot run.
pub type Fetched = HashMap<String, Result<Tool, String>>;

/// Types a line's input by its model's schema, takes its output name, checks
/// it as the API would and prices it.
pub fn resolve(raw: RawLine, default_tool: Option<&str>, tools: &Fetched) -> Result<Line, BadLine> {
    let number = raw.number;
    let Some(slug) = raw.tool.as_deref().or(default_tool) else {
        return Err(BadLine::one(
            number,
            "no tool: give {\"tool\": ..., \"input\": {...}}, a `tool` column, or --tool",
        ));
    };
    let tool = match tools.get(slug) {
        Some(Ok(tool)) => tool,
        Some(Err(why)) => return Err(BadLine::one(number, why.clone())),
        None => return Err(BadLine::one(number, format!("tool `{slug}` not found"))),
    };
    let mut input = match raw.body {
        Body::Json(input) => input,
        Body::Cells(cells) => typed(number, tool, cells)?,
    };
    let mut name = raw.name;
    let schema = schema_for(tool, &input).cloned();
    for key in ["name", "id"] {
        let sent = schema
            .as_ref()
            .is_some_and(|s| s.properties.contains_key(key));
        if !sent && let Some(value) = input.remove(key) {
            match name_of(&value) {
                Some(text) => name = name.or(Some(text)),
                None => {
                    return Err(BadLine::one(
                        number,
                        format!("`{key}` names the output: a string or a number"),
                    ));
                }
            }
        }
    }
    let stem = match name {
        Some(name) => file_stem(&name).map_err(|why| BadLine::one(number, why))?,
        None => String::new(),
    };
    let input = Value::Object(input);
    if let Err(err) = tool.validate_input(None, &input) {
        let issues = err.validation_errors();
        let errors = if issues.is_empty() {
            vec![err.to_string()]
        } else {
            issues.iter().map(ToString::to_string).collect()
        };
        return Err(BadLine {
            line: number,
            errors,
        });
    }
    let credits = artificial_studio::run_cost(tool, &input);
    Ok(Line {
        number,
        tool: tool.slug.clone(),
        stem,
        input,
        credits,
    })
}

/// The schema of the model the input picks (`model`, else the default).
fn schema_for<'a>(tool: &'a Tool, input: &Map<String, Value>) -> Option<&'a InputSchema> {
    let model = tool.model(input.get("model").and_then(Value::as_str))?;
    tool.input_schema_of(model)
}

/// CSV cells as a typed input, as `astudio run` types its `KEY=VALUE` words.
fn typed(
    number: usize,
    tool: &Tool,
    cells: Vec<(String, String)>,
) -> Result<Map<String, Value>, BadLine> {
    let model = cells
        .iter()
        .find(|(column, _)| column == "model")
        .map(|(_, value)| value.as_str());
    let schema = tool.model(model).and_then(|m| tool.input_schema_of(m));
    let words: Vec<String> = cells
        .iter()
        .map(|(column, value)| format!("{column}={value}"))
        .collect();
    let parsed = input::parse(&words, schema, Map::new())
        .map_err(|e| BadLine::one(number, e.to_string()))?;
    if !parsed.uploads.is_empty() {
        return Err(BadLine::one(
            number,
            "@FILE uploads are not read in a batch: upload first with `astudio upload` and give the URL",
        ));
    }
    Ok(parsed.input)
}

/// A name made safe as a file name: letters, digits, `-`, `_` and `.` are
/// kept, anything else becomes `_`; it may not start with a dot.
fn file_stem(name: &str) -> Result<String, String> {
    let stem: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if stem.is_empty() || stem.starts_with('.') {
        return Err(format!(
            "the output name {name:?} is not a file name (empty, or starts with a dot)"
        ));
    }
    Ok(stem)
}

/// Names the lines without a name by their line number (`0007`, wider when
/// the file is longer), and reports two lines that would write one file.
pub fn name_outputs(lines: &mut [Line], bad: &mut Vec<BadLine>) {
    let last = lines.iter().map(|l| l.number).max().unwrap_or(0);
    let width = last.to_string().len().max(4);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines.iter_mut() {
        if line.stem.is_empty() {
            line.stem = format!("{:0width$}", line.number);
        }
        match seen.get(&line.stem) {
            Some(first) => bad.push(BadLine::one(
                line.number,
                format!("output name `{}` is also line {first}'s", line.stem),
            )),
            None => {
                seen.insert(line.stem.clone(), line.number);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jsonl_skips_blanks_and_comments_and_numbers_lines_from_one() {
        let text = "# prompts\n\n{\"tool\":\"create-image\",\"input\":{\"prompt\":\"a\"},\"name\":\"fox\"}\n{\"prompt\":\"b\"}\n";
        let (lines, bad) = read(text, BatchFormat::Jsonl);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].number, 3);
        assert_eq!(lines[0].tool.as_deref(), Some("create-image"));
        assert_eq!(lines[0].name.as_deref(), Some("fox"));
        assert_eq!(lines[1].number, 4);
        assert_eq!(lines[1].tool, None);
    }

    #[test]
    fn jsonl_bad_lines_are_each_reported_with_their_number() {
        let text = "{\"prompt\":\"a\"}\nnot json\n[1]\n{\"input\":{},\"colour\":1}\n";
        let (lines, bad) = read(text, BatchFormat::Jsonl);
        assert_eq!(lines.len(), 1);
        let numbers: Vec<usize> = bad.iter().map(|b| b.line).collect();
        assert_eq!(numbers, [2, 3, 4]);
        assert!(bad[2].errors[0].contains("unknown key `colour`"));
    }

    #[test]
    fn csv_rows_keep_their_line_and_leave_empty_cells_out() {
        let text = "name,prompt,seed\nfox,\"a fox, running\",3\nowl,an owl,\n";
        let (lines, bad) = read(text, BatchFormat::Csv);
        assert!(bad.is_empty(), "{bad:?}");
        assert_eq!(lines[0].number, 2);
        assert_eq!(
            lines[0].body,
            Body::Cells(vec![
                ("name".into(), "fox".into()),
                ("prompt".into(), "a fox, running".into()),
                ("seed".into(), "3".into()),
            ])
        );
        assert_eq!(
            lines[1].body,
            Body::Cells(vec![
                ("name".into(), "owl".into()),
                ("prompt".into(), "an owl".into())
            ])
        );
    }

    #[test]
    fn csv_rows_of_the_wrong_width_are_bad_lines() {
        let (_, bad) = read("prompt,seed\na,1,2\n", BatchFormat::Csv);
        assert_eq!(bad, [BadLine::one(2, "3 cells for 2 columns")]);
    }

    fn tool() -> Tool {
        serde_json::from_value(json!({
            "slug": "create-image", "name": "Create", "description": "d",
            "models": [{"slug": "m", "name": "M", "cost": 6, "inputSchema": {
                "type": "object", "required": ["prompt"], "properties": {
                    "prompt": {"type": "string"}, "seed": {"type": "integer"}}}}]
        }))
        .unwrap()
    }

    fn fetched() -> Fetched {
        HashMap::from([("create-image".to_string(), Ok(tool()))])
    }

    #[test]
    fn csv_cells_are_typed_by_the_schema_and_the_name_is_not_sent() {
        let raw = RawLine {
            number: 2,
            tool: None,
            name: None,
            body: Body::Cells(vec![
                ("name".into(), "a fox/1".into()),
                ("prompt".into(), "a fox".into()),
                ("seed".into(), "3".into()),
            ]),
        };
        let line = resolve(raw, Some("create-image"), &fetched()).unwrap();
        assert_eq!(line.input, json!({"prompt": "a fox", "seed": 3}));
        assert_eq!(line.stem, "a_fox_1");
        assert_eq!(line.credits, Some(6.0));
    }

    #[test]
    fn a_line_failing_the_schema_lists_every_issue() {
        let raw = RawLine {
            number: 5,
            tool: None,
            name: None,
            body: Body::Json(Map::from_iter([("seed".to_string(), json!("x"))])),
        };
        let bad = resolve(raw, Some("create-image"), &fetched()).unwrap_err();
        assert_eq!(bad.line, 5);
        assert_eq!(
            bad.errors,
            [
                "input.prompt: Required (invalid_type)",
                "input.seed: Expected integer, received string (invalid_type)"
            ]
        );
    }

    #[test]
    fn unnamed_lines_are_numbered_and_a_name_used_twice_is_bad() {
        let line = |number, stem: &str| Line {
            number,
            tool: "t".into(),
            stem: stem.into(),
            input: json!({}),
            credits: None,
        };
        let mut lines = vec![line(7, ""), line(8, "fox"), line(9, "fox")];
        let mut bad = Vec::new();
        name_outputs(&mut lines, &mut bad);
        assert_eq!(lines[0].stem, "0007");
        assert_eq!(bad, [BadLine::one(9, "output name `fox` is also line 8's")]);
    }
}
