//! `cargo xtask codegen`: turns `spec/openapi.yaml` into `crates/api-types/src/generated.rs`.
//!
//! Four things come out of the spec, all into one file:
//! - the body types, from `components.schemas`, through typify;
//! - the open enums, from the schemas marked `x-extensible-enum`: typify has no
//!   tolerant enum, so these are written here, each with an `Unknown(String)`
//!   variant that keeps a value the service adds tomorrow;
//! - `ErrorKind`, from the `x-error-statuses` table (the provider's status table, kept once);
//! - `messages`, one constant per error message the spec's responses show, and
//!   `COMPONENT_SCHEMAS_JSON`, the schemas as JSON for validators.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde::Deserialize;
use serde_json::Value;
use typify::{TypeSpace, TypeSpaceSettings};

use crate::run_inputs;

/// Where the spec lives, relative to the workspace root.
pub const SPEC_PATH: &str = "spec/openapi.yaml";
/// Where the generated code goes, relative to the workspace root.
pub const OUTPUT_PATH: &str = "crates/api-types/src/generated.rs";

const HEADER: &str = "\
// @generated from spec/openapi.yaml by `cargo xtask codegen`. Do not edit by hand:
// change the spec and run `cargo xtask codegen` (CI runs `cargo xtask codegen --check`).
";

/// Regenerates the output file, or with `check` compares it and fails when stale.
pub fn run(root: &Path, check: bool) -> Result<()> {
    let spec_path = root.join(SPEC_PATH);
    let out_path = root.join(OUTPUT_PATH);
    let written = std::fs::read_to_string(&spec_path)
        .with_context(|| format!("reading {}", spec_path.display()))?;
    let catalog_path = root.join(run_inputs::CATALOG_PATH);
    let catalog = std::fs::read_to_string(&catalog_path)
        .with_context(|| format!("reading {}", catalog_path.display()))?;
    let spec = run_inputs::update_spec(&written, &catalog)
        .with_context(|| format!("describing the catalog's run inputs in {SPEC_PATH}"))?;
    let generated = generate(&spec).with_context(|| format!("generating from {SPEC_PATH}"))?;

    if check {
        let current = std::fs::read_to_string(&out_path).unwrap_or_default();
        let mut stale = Vec::new();
        if written != spec {
            print_diff(&written, &spec);
            stale.push(SPEC_PATH);
        }
        if current != generated {
            print_diff(&current, &generated);
            stale.push(OUTPUT_PATH);
        }
        if stale.is_empty() {
            println!("codegen: {OUTPUT_PATH} and {SPEC_PATH}'s run inputs are up to date");
            return Ok(());
        }
        bail!(
            "{} stale: run `cargo xtask codegen` and commit the result",
            stale.join(" and ")
        );
    }

    if written != spec {
        std::fs::write(&spec_path, &spec)
            .with_context(|| format!("writing {}", spec_path.display()))?;
        println!(
            "codegen: wrote the run inputs of {} into {SPEC_PATH}",
            run_inputs::CATALOG_PATH
        );
    }
    std::fs::write(&out_path, &generated)
        .with_context(|| format!("writing {}", out_path.display()))?;
    println!(
        "codegen: wrote {OUTPUT_PATH} ({} lines)",
        generated.lines().count()
    );
    Ok(())
}

fn print_diff(old: &str, new: &str) {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut shown = 0;
    for group in diff.grouped_ops(2) {
        for op in group {
            for change in diff.iter_changes(&op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                print!("{sign}{change}");
                shown += 1;
            }
        }
        println!("@@");
        if shown > 200 {
            println!("... (diff cut at 200 lines)");
            break;
        }
    }
}

/// The whole generated file for a spec, deterministic byte for byte.
pub fn generate(spec_yaml: &str) -> Result<String> {
    let spec: Value = serde_saphyr::from_str(spec_yaml).context("parsing the spec as YAML")?;
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("the spec has no components.schemas"))?;

    let open = open_enums(schemas)?;
    let types = body_types(schemas, &open)?;
    let open_tokens = open_enum_tokens(&open);
    let errors = error_kinds(&spec)?;
    let messages = message_constants(&spec)?;
    let schemas_json = raw_string_literal(&serde_json::to_string_pretty(&Value::Object(
        schemas.clone(),
    ))?)?;

    let tokens = quote! {
        #types

        #open_tokens

        #errors

        #messages

        /// `components.schemas` of the spec as one JSON object, for JSON Schema validators.
        pub const COMPONENT_SCHEMAS_JSON: &str = #schemas_json;
    };
    let file: syn::File = syn::parse2(tokens).context("parsing the generated tokens")?;
    Ok(format!("{HEADER}\n{}", prettyplease::unparse(&file)))
}

/// A raw string literal, so that long text stays readable in the generated file.
fn raw_string_literal(text: &str) -> Result<syn::LitStr> {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    syn::parse_str(&format!("r{hashes}\"{text}\"{hashes}")).context("building a raw string literal")
}

fn body_types(schemas: &serde_json::Map<String, Value>, open: &[OpenEnum]) -> Result<TokenStream> {
    let mut settings = TypeSpaceSettings::default();
    settings
        .with_struct_builder(false)
        .with_derive("PartialEq".to_string())
        .with_map_type("::indexmap::IndexMap");
    for open_enum in open {
        settings.with_replacement(
            &open_enum.name,
            &open_enum.name,
            [
                typify::TypeSpaceImpl::Display,
                typify::TypeSpaceImpl::FromStr,
            ]
            .into_iter(),
        );
    }
    let mut space = TypeSpace::new(&settings);
    // A schema written from the catalog (`x-generated-from`) describes
    // requests for OpenAPI tools; the Rust request type is `RunRequest`.
    let defs = schemas
        .iter()
        .filter(|(_, schema)| schema.get("x-generated-from").is_none())
        .map(|(name, schema)| {
            let schema: schemars::schema::Schema =
                serde_json::from_value(nulls_written(schema.clone())).with_context(|| {
                    format!("schema {name} is not a JSON Schema typify can read")
                })?;
            Ok((name.clone(), schema))
        })
        .collect::<Result<Vec<_>>>()?;
    space
        .add_ref_types(defs)
        .map_err(|e| anyhow!("typify rejected the schemas: {e}"))?;
    let stream = space.to_stream().to_string();
    // See `nulls_written`: a nullable field reads an absent value as null.
    let stream = stream.replace(
        "deserialize_with = \"::std::option::Option::deserialize\"",
        "default",
    );
    stream
        .parse()
        .map_err(|e| anyhow!("re-reading typify's output: {e}"))
}

/// A response schema's nullable fields, as typify is to see them: required.
///
/// Typify writes an optional field as `Option<T>` left out when `None`, and a
/// required nullable one as `Option<T>` written as `null` that must be
/// present. For a response we want both halves: a client reads an absent
/// `error` as null (the quick-start's body has none), and the mock writes
/// `"error": null` (the full documented shape). So nullable fields are given
/// to typify as required, and `body_types` turns the "must be present" into
/// `#[serde(default)]`. Requests (schemas with `additionalProperties: false`)
/// are left as written, so the client never sends a `null` it was not given.
fn nulls_written(mut schema: Value) -> Value {
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        return schema;
    }
    let nullable: Vec<Value> = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, property)| {
            property
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.contains(&Value::String("null".into())))
        })
        .map(|(name, _)| Value::String(name.clone()))
        .collect();
    if nullable.is_empty() {
        return schema;
    }
    if let Some(object) = schema.as_object_mut() {
        let required = object
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Some(required) = required.as_array_mut() {
            for name in nullable {
                if !required.contains(&name) {
                    required.push(name);
                }
            }
        }
    }
    schema
}

/// A string schema marked `x-extensible-enum`: the values known today, of a
/// set the service may grow.
struct OpenEnum {
    name: String,
    description: String,
    values: Vec<String>,
}

/// The schemas marked `x-extensible-enum`, in the spec's order. Such a schema
/// must be a plain `type: string` without `enum` (so that JSON Schema tools
/// accept any string, as a client must).
fn open_enums(schemas: &serde_json::Map<String, Value>) -> Result<Vec<OpenEnum>> {
    let mut out = Vec::new();
    for (name, schema) in schemas {
        let Some(values) = schema.get("x-extensible-enum") else {
            continue;
        };
        if schema.get("type").and_then(Value::as_str) != Some("string")
            || schema.get("enum").is_some()
        {
            bail!("schema {name}: x-extensible-enum needs `type: string` and no `enum`");
        }
        let values: Vec<String> = serde_json::from_value(values.clone()).with_context(|| {
            format!("schema {name}: x-extensible-enum is not a list of strings")
        })?;
        let mut seen = std::collections::BTreeSet::new();
        for value in &values {
            if value.is_empty() || !seen.insert(value.as_str()) {
                bail!("schema {name}: x-extensible-enum value {value:?} is empty or repeated");
            }
        }
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        out.push(OpenEnum {
            name: name.clone(),
            description,
            values,
        });
    }
    Ok(out)
}

/// A Rust variant name for a value: `landscape_16_9` → `Landscape169`,
/// `invalid_type` → `InvalidType`.
fn variant_name(value: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for ch in value.chars() {
        if ch.is_ascii_alphanumeric() {
            if upper {
                out.push(ch.to_ascii_uppercase());
            } else {
                out.push(ch);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

fn open_enum_tokens(open: &[OpenEnum]) -> TokenStream {
    let items = open.iter().map(|e| {
        let name = format_ident!("{}", e.name);
        let doc = format!(
            "{}\n\nAn open set: a value the service adds later decodes as [`{}::Unknown`], \
             which keeps its text and serializes back to it.",
            e.description.trim_end(),
            e.name
        );
        let variants: Vec<_> = e
            .values
            .iter()
            .map(|v| format_ident!("{}", variant_name(v)))
            .collect();
        let values = &e.values;
        let variant_docs: Vec<_> = e.values.iter().map(|v| format!("`{v}`")).collect();
        let count = e.values.len();
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
            pub enum #name {
                #(
                    #[doc = #variant_docs]
                    #variants,
                )*
                /// A value this version does not know, kept as sent.
                Unknown(::std::string::String),
            }

            impl #name {
                /// Every value known to this version, in the spec's order.
                pub const KNOWN: [#name; #count] = [#(#name::#variants),*];

                /// The value as it travels on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#name::#variants => #values,)*
                        #name::Unknown(other) => other.as_str(),
                    }
                }

                /// Whether this is a value this version does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, #name::Unknown(_))
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value {
                        #(#values => #name::#variants,)*
                        other => #name::Unknown(other.to_string()),
                    }
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    match #name::from(value.as_str()) {
                        #name::Unknown(_) => #name::Unknown(value),
                        known => known,
                    }
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(#name::from(value))
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                    struct Visitor;
                    impl<'de> ::serde::de::Visitor<'de> for Visitor {
                        type Value = #name;
                        fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                            Ok(#name::from(value))
                        }
                        fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                            Ok(#name::from(value))
                        }
                    }
                    deserializer.deserialize_str(Visitor)
                }
            }
        }
    });
    quote! { #(#items)* }
}

/// One row of `x-error-statuses`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusRow {
    status: u16,
    variant: String,
    name: String,
    message: String,
    retry: bool,
    when: String,
    advice: String,
}

/// `x-error-fallback`: how statuses outside the table are treated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Fallback {
    message: String,
    retry_server_errors: bool,
}

fn error_kinds(spec: &Value) -> Result<TokenStream> {
    let rows: Vec<StatusRow> = serde_json::from_value(
        spec.get("x-error-statuses")
            .cloned()
            .ok_or_else(|| anyhow!("the spec has no x-error-statuses table"))?,
    )
    .context("reading x-error-statuses")?;
    let fallback: Fallback = serde_json::from_value(
        spec.get("x-error-fallback")
            .cloned()
            .ok_or_else(|| anyhow!("the spec has no x-error-fallback"))?,
    )
    .context("reading x-error-fallback")?;
    if rows.is_empty() {
        bail!("x-error-statuses is empty");
    }
    let mut seen = std::collections::BTreeSet::new();
    for row in &rows {
        if !(400..=599).contains(&row.status) || !seen.insert(row.status) {
            bail!(
                "x-error-statuses: status {} is out of range or repeated",
                row.status
            );
        }
    }

    let variants: Vec<_> = rows
        .iter()
        .map(|r| format_ident!("{}", r.variant))
        .collect();
    let variant_docs: Vec<_> = rows
        .iter()
        .map(|r| format!("{} {}: {}.", r.status, r.name, r.when))
        .collect();
    let statuses: Vec<_> = rows.iter().map(|r| r.status).collect();
    let names: Vec<_> = rows.iter().map(|r| r.name.as_str()).collect();
    let msgs: Vec<_> = rows.iter().map(|r| r.message.as_str()).collect();
    let retries: Vec<_> = rows.iter().map(|r| r.retry).collect();
    let whens: Vec<_> = rows.iter().map(|r| r.when.as_str()).collect();
    let advices: Vec<_> = rows.iter().map(|r| r.advice.as_str()).collect();
    let fallback_message = fallback.message.as_str();
    let retry_server_errors = fallback.retry_server_errors;

    Ok(quote! {
        /// The kind of an error answer, decided by its HTTP status alone.
        ///
        /// One variant per row of the provider's status table (`x-error-statuses`
        /// in the spec), plus `Other` for any status outside it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorKind {
            #(
                #[doc = #variant_docs]
                #variants,
            )*
            /// A status the table does not list.
            Other(u16),
        }

        impl ErrorKind {
            /// Every kind of the table, in status order.
            pub const ALL: &'static [ErrorKind] = &[#(ErrorKind::#variants),*];

            /// The kind for an HTTP status.
            pub const fn from_status(status: u16) -> Self {
                match status {
                    #(#statuses => ErrorKind::#variants,)*
                    other => ErrorKind::Other(other),
                }
            }

            /// The HTTP status of this kind.
            pub const fn status(self) -> u16 {
                match self {
                    #(ErrorKind::#variants => #statuses,)*
                    ErrorKind::Other(status) => status,
                }
            }

            /// The status name, such as `Payment Required`.
            pub const fn name(self) -> &'static str {
                match self {
                    #(ErrorKind::#variants => #names,)*
                    ErrorKind::Other(_) => "Unexpected Status",
                }
            }

            /// The message to show when the body carries none.
            pub const fn default_message(self) -> &'static str {
                match self {
                    #(ErrorKind::#variants => #msgs,)*
                    ErrorKind::Other(_) => #fallback_message,
                }
            }

            /// Whether a client should retry a request that got this answer.
            pub const fn is_retryable(self) -> bool {
                match self {
                    #(ErrorKind::#variants => #retries,)*
                    ErrorKind::Other(status) => #retry_server_errors && status >= 500,
                }
            }

            /// When the API answers with this status, in the provider's words.
            pub const fn when(self) -> &'static str {
                match self {
                    #(ErrorKind::#variants => #whens,)*
                    ErrorKind::Other(_) => "A status the API does not document",
                }
            }

            /// What to do about it, in the provider's words where it gives any.
            pub const fn advice(self) -> &'static str {
                match self {
                    #(ErrorKind::#variants => #advices,)*
                    ErrorKind::Other(_) => "",
                }
            }
        }

        impl ::std::fmt::Display for ErrorKind {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{} {}", self.status(), self.name())
            }
        }
    })
}

/// One constant per error message shown by the spec's reusable responses
/// (examples without an `errors` list), named after the example.
fn message_constants(spec: &Value) -> Result<TokenStream> {
    let responses = spec
        .pointer("/components/responses")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("the spec has no components.responses"))?;
    let mut consts: indexmap::IndexMap<String, String> = indexmap::IndexMap::new();
    for (response_name, response) in responses {
        let Some(examples) = response
            .pointer("/content/application~1json/examples")
            .and_then(Value::as_object)
        else {
            continue;
        };
        for (example_name, example) in examples {
            let value = example.get("value").unwrap_or(&Value::Null);
            if value.get("errors").is_some() {
                continue;
            }
            let message = value
                .get("message")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    anyhow!("response {response_name}, example {example_name}: no message")
                })?;
            let const_name = screaming_snake(example_name);
            match consts.get(&const_name) {
                Some(existing) if existing != message => bail!(
                    "example name {example_name} is used for two messages: {existing:?} and {message:?}"
                ),
                Some(_) => {}
                None => {
                    consts.insert(const_name, message.to_string());
                }
            }
        }
    }
    let names: Vec<_> = consts.keys().map(|k| format_ident!("{}", k)).collect();
    let values: Vec<_> = consts.values().collect();
    let docs: Vec<_> = consts.values().map(|v| format!("`{v}`")).collect();
    Ok(quote! {
        /// The exact error messages of the contract, one per example in the spec's
        /// `components.responses`.
        pub mod messages {
            #(
                #[doc = #docs]
                pub const #names: &str = #values;
            )*
        }
    })
}

fn screaming_snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, ch) in camel.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> String {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        std::fs::read_to_string(root.join(SPEC_PATH)).unwrap_or_default()
    }

    #[test]
    fn generation_is_deterministic() {
        let spec = spec();
        let first = generate(&spec).map_err(|e| e.to_string());
        let second = generate(&spec).map_err(|e| e.to_string());
        assert!(first.is_ok(), "{first:?}");
        assert_eq!(first, second);
    }

    #[test]
    fn generated_file_starts_with_do_not_edit() {
        let out = generate(&spec()).unwrap_or_default();
        assert!(out.starts_with("// @generated from spec/openapi.yaml"));
        assert!(out.contains("Do not edit by hand"));
    }

    #[test]
    fn editing_a_schema_changes_the_output() {
        let spec = spec();
        let edited = spec.replacen("Credits left.", "Credits remaining.", 1);
        assert_ne!(spec, edited);
        assert_ne!(generate(&spec).ok(), generate(&edited).ok());
    }

    #[test]
    fn repeated_status_in_the_table_is_refused() {
        let spec = spec().replacen("- status: 401", "- status: 400", 1);
        assert!(generate(&spec).is_err());
    }

    #[test]
    fn variant_names_are_camel_case_and_never_start_with_a_digit() {
        assert_eq!(variant_name("landscape_16_9"), "Landscape169");
        assert_eq!(variant_name("invalid_type"), "InvalidType");
        assert_eq!(variant_name("16:9"), "V169");
    }

    #[test]
    fn an_extensible_enum_with_a_closed_enum_is_refused() {
        let spec = spec().replacen(
            "x-extensible-enum: [pending, processing, uploading, success, error]",
            "x-extensible-enum: [pending]\n      enum: [pending]",
            1,
        );
        assert!(generate(&spec).is_err());
    }

    #[test]
    fn screaming_snake_splits_camel_case() {
        assert_eq!(screaming_snake("toolNotFound"), "TOOL_NOT_FOUND");
        assert_eq!(screaming_snake("invalidApiKey"), "INVALID_API_KEY");
    }
}
