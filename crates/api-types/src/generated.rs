// @generated from spec/openapi.yaml by `cargo xtask codegen`. Do not edit by hand:
// change the spec and run `cargo xtask codegen` (CI runs `cargo xtask codegen --check`).

///The caller's account (`api/account`; every field in the MCP client).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Account {
    ///When the account was created.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///Credits left.
    pub credits: u64,
    ///The account's e-mail address.
    pub email: ::std::string::String,
    ///The account id.
    pub id: ::std::string::String,
    pub plan: Plan,
}
///The body of every error response.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ErrorBody {
    ///One entry per problem found, on validation errors only.
    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub errors: ::std::vec::Vec<ValidationIssue>,
    ///What went wrong, for a person.
    pub message: ::std::string::String,
}
/**One run of a tool. `id`, `status`, `tool` and `createdAt` are in every
published body; the quick-start's finished generation has no `error`
and no `payload`, the generations-list page lists no `payload`, and
the MCP client reads `type`, `output` and `thumbnail` as optional.
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Generation {
    ///When the generation was created.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///Why the generation failed, once `error` (absent from the quick-start's body).
    #[serde(default)]
    pub error: ::std::option::Option<::std::string::String>,
    ///24 lowercase hex characters in the provider's examples.
    pub id: ::std::string::String,
    ///URL of the result, once `success`.
    #[serde(default)]
    pub output: ::std::option::Option<::std::string::String>,
    ///The input that was run (absent from the quick-start's and the list page's bodies).
    #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
    pub payload: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    pub status: GenerationStatus,
    ///URL of a preview image; null for audio and until `success`.
    #[serde(default)]
    pub thumbnail: ::std::option::Option<::std::string::String>,
    ///The tool slug.
    pub tool: ::std::string::String,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<GenerationType>,
}
///One page of the caller's generations, newest first.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct GenerationList {
    ///The generations on this page.
    pub data: ::std::vec::Vec<Generation>,
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub pagination: ::std::option::Option<Pagination>,
}
///One field of an input schema.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct InputField {
    ///The value used when the field is not given.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub default: ::std::option::Option<::serde_json::Value>,
    ///What the field does.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub description: ::std::option::Option<::std::string::String>,
    ///The allowed values, when restricted.
    #[serde(rename = "enum", default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub enum_: ::std::vec::Vec<::serde_json::Value>,
    ///The media a URL field takes: `image`, `video`, `audio`, ...
    #[serde(rename = "fileType", skip_serializing_if = "::std::option::Option::is_none")]
    pub file_type: ::std::option::Option<::std::string::String>,
    ///How the provider's app asks for it: `gallery` (media, several), `select`, `text`, ...
    #[serde(
        rename = "inputType",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub input_type: ::std::option::Option<::std::string::String>,
    ///For arrays, the type of each item.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub items: ::std::option::Option<InputFieldItems>,
    ///A display label.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub label: ::std::option::Option<::std::string::String>,
    ///Largest allowed number (the provider's shorter spelling).
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub max: ::std::option::Option<f64>,
    ///Most array items.
    #[serde(rename = "maxItems", skip_serializing_if = "::std::option::Option::is_none")]
    pub max_items: ::std::option::Option<u64>,
    ///Longest allowed string, in characters.
    #[serde(
        rename = "maxLength",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub max_length: ::std::option::Option<u64>,
    ///Largest allowed number.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub maximum: ::std::option::Option<f64>,
    ///Smallest allowed number (the provider's shorter spelling).
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub min: ::std::option::Option<f64>,
    ///Fewest array items.
    #[serde(rename = "minItems", skip_serializing_if = "::std::option::Option::is_none")]
    pub min_items: ::std::option::Option<u64>,
    ///Shortest allowed string, in characters.
    #[serde(
        rename = "minLength",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub min_length: ::std::option::Option<u64>,
    ///Smallest allowed number.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub minimum: ::std::option::Option<f64>,
    ///Whether the field may be left out even when listed in `required`.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub optional: ::std::option::Option<bool>,
    ///The allowed values with labels for people.
    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub options: ::std::vec::Vec<InputOption>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<InputFieldType>,
}
///The type of each item of an array input field.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct InputFieldItems {
    ///The allowed item values, when restricted.
    #[serde(rename = "enum", default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub enum_: ::std::vec::Vec<::serde_json::Value>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<InputFieldType>,
}
///One labelled choice of a field (`options`, n8n node).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct InputOption {
    ///What a person sees.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub label: ::std::option::Option<::std::string::String>,
    ///What is sent (a string or a number).
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub value: ::std::option::Option<::serde_json::Value>,
}
/**The JSON-Schema-like description of an input. Looser than JSON
Schema: field types include `int` and `enum`, and a field may be
`optional` instead of absent from `required` (n8n node).
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct InputSchema {
    ///The input fields by name, in display order.
    #[serde(default, skip_serializing_if = ":: indexmap :: IndexMap::is_empty")]
    pub properties: ::indexmap::IndexMap<::std::string::String, InputField>,
    ///Names of the fields that must be given (unless marked `optional`).
    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub required: ::std::vec::Vec<::std::string::String>,
    ///`object`.
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<::std::string::String>,
}
///Where a page sits in the whole list (the n8n node reads every field as optional).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default, PartialEq)]
pub struct Pagination {
    ///Whether a later page exists.
    #[serde(rename = "hasMore", skip_serializing_if = "::std::option::Option::is_none")]
    pub has_more: ::std::option::Option<bool>,
    ///The page size used.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub limit: ::std::option::Option<u32>,
    ///The offset used.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub offset: ::std::option::Option<u64>,
    ///Generations matching the query, over all pages.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub total: ::std::option::Option<u64>,
}
///The body of `POST /api/run`. Unknown fields are rejected.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /**The tool's input. `model` picks one of the tool's models (default:
the first); the other fields are defined by that model's
`inputSchema`.
*/
    pub input: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ///The tool slug, such as `create-image`.
    pub tool: ::std::string::String,
    ///An HTTPS URL on a public host, called when the generation succeeds.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub webhook: ::std::option::Option<::std::string::String>,
}
/**The answer to `POST /api/run` (`api/run`: `{id, status, tool,
createdAt}`). The MCP client reads it as a generation, so only `id`
and `status` are relied on.
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct RunResponse {
    ///When the generation was created.
    #[serde(
        rename = "createdAt",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
    ///The new generation's id.
    pub id: ::std::string::String,
    pub status: GenerationStatus,
    ///The tool that runs.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub tool: ::std::option::Option<::std::string::String>,
}
///Tools matching a search, with their models.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct SearchResults {
    ///The matching tools.
    pub data: ::std::vec::Vec<Tool>,
}
/**A tool with its models. A tool may carry its own `inputSchema`, used
for a model that has none (the n8n node falls back to it).
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Tool {
    ///What the tool does.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub description: ::std::option::Option<::std::string::String>,
    ///The tool's own input schema, for models without one.
    #[serde(
        rename = "inputSchema",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub input_schema: ::std::option::Option<InputSchema>,
    ///The models, the default (primary) one first.
    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub models: ::std::vec::Vec<ToolModel>,
    ///A display name.
    pub name: ::std::string::String,
    #[serde(
        rename = "outputType",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub output_type: ::std::option::Option<GenerationType>,
    ///The id used in `POST /api/run`.
    pub slug: ::std::string::String,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<GenerationType>,
}
///Every tool (project decision, as the MCP client reads it: wrapped as `{data}`).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolList {
    ///The tools.
    pub data: ::std::vec::Vec<ToolSummary>,
}
/**One model of a tool, with its price and input (`mcp/tools`: `slug,
name, cost, costUnit, inputSchema`; the n8n node's fixture models
have no `costUnit`).
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolModel {
    ///Credits per `costUnit`, taken when a generation with this model is created.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub cost: ::std::option::Option<f64>,
    /**Credits per `costUnit` by the input's `resolution` value, where the
price depends on it (model pages: 27 credits/s at 480p, 61 at
720p). `cost` is the price of the default resolution.
*/
    #[serde(
        rename = "costByResolution",
        default,
        skip_serializing_if = ":: indexmap :: IndexMap::is_empty"
    )]
    pub cost_by_resolution: ::indexmap::IndexMap<::std::string::String, f64>,
    #[serde(rename = "costUnit", skip_serializing_if = "::std::option::Option::is_none")]
    pub cost_unit: ::std::option::Option<CostUnit>,
    #[serde(
        rename = "inputSchema",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub input_schema: ::std::option::Option<InputSchema>,
    ///A display name.
    pub name: ::std::string::String,
    ///The value of `input.model` that selects it.
    pub slug: ::std::string::String,
}
/**A tool as listed by `GET /api/tools`. Only `slug` and `name` are in
every published shape (the n8n node's fixture tool has no
`description`, `type` or `outputType`).
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolSummary {
    ///What the tool does.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub description: ::std::option::Option<::std::string::String>,
    ///A display name.
    pub name: ::std::string::String,
    #[serde(
        rename = "outputType",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub output_type: ::std::option::Option<GenerationType>,
    ///The id used in `POST /api/run`.
    pub slug: ::std::string::String,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<GenerationType>,
}
/**A stored upload. `POST /files` answers `{id, url, type, createdAt}`
(MCP client, skills); `POST /api/files` answers `{id, url, mimetype,
size, originalName}` (n8n node). Either decodes here.
*/
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct UploadedFile {
    ///When the file was stored.
    #[serde(
        rename = "createdAt",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
    ///The file id.
    pub id: ::std::string::String,
    ///The file's content type.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub mimetype: ::std::option::Option<::std::string::String>,
    ///The file name it was uploaded with.
    #[serde(
        rename = "originalName",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub original_name: ::std::option::Option<::std::string::String>,
    ///The file's length in bytes.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub size: ::std::option::Option<u64>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<UploadedFileType>,
    ///Where the file is served; usable as a media input URL.
    pub url: ::std::string::String,
}
///One problem in a request, in the Zod style.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ValidationIssue {
    pub code: ValidationIssueCode,
    ///Dotted path of the offending field, such as `input.prompt`.
    pub field: ::std::string::String,
    ///What is wrong with it, such as `Required`.
    pub message: ::std::string::String,
}
///What the service POSTs to a run's webhook when the generation succeeds.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct WebhookPayload {
    ///When the generation was created.
    #[serde(
        rename = "createdAt",
        skip_serializing_if = "::std::option::Option::is_none"
    )]
    pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
    ///The generation id (also in the `X-Media-Id` header).
    pub id: ::std::string::String,
    ///URL of the result.
    #[serde(default)]
    pub output: ::std::option::Option<::std::string::String>,
    pub status: GenerationStatus,
    ///URL of a preview image; null for audio.
    #[serde(default)]
    pub thumbnail: ::std::option::Option<::std::string::String>,
    ///The tool slug.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub tool: ::std::option::Option<::std::string::String>,
    #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
    pub type_: ::std::option::Option<GenerationType>,
}
/// Error types.
pub mod error {
    /// Error from a `TryFrom` or `FromStr` implementation.
    pub struct ConversionError(::std::borrow::Cow<'static, str>);
    impl ::std::error::Error for ConversionError {}
    impl ::std::fmt::Display for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Display::fmt(&self.0, f)
        }
    }
    impl ::std::fmt::Debug for ConversionError {
        fn fmt(
            &self,
            f: &mut ::std::fmt::Formatter<'_>,
        ) -> Result<(), ::std::fmt::Error> {
            ::std::fmt::Debug::fmt(&self.0, f)
        }
    }
    impl From<&'static str> for ConversionError {
        fn from(value: &'static str) -> Self {
            Self(value.into())
        }
    }
    impl From<String> for ConversionError {
        fn from(value: String) -> Self {
            Self(value.into())
        }
    }
}
/**The kind of a validation problem (the Zod vocabulary, seed). Zod has
more codes than the seed lists, so others may come.

An open set: a value the service adds later decodes as [`ValidationIssueCode::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum ValidationIssueCode {
    ///`invalid_type`
    InvalidType,
    ///`unrecognized_keys`
    UnrecognizedKeys,
    ///`invalid_enum_value`
    InvalidEnumValue,
    ///`too_small`
    TooSmall,
    ///`too_big`
    TooBig,
    ///`invalid_string`
    InvalidString,
    ///`custom`
    Custom,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl ValidationIssueCode {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [ValidationIssueCode; 7usize] = [
        ValidationIssueCode::InvalidType,
        ValidationIssueCode::UnrecognizedKeys,
        ValidationIssueCode::InvalidEnumValue,
        ValidationIssueCode::TooSmall,
        ValidationIssueCode::TooBig,
        ValidationIssueCode::InvalidString,
        ValidationIssueCode::Custom,
    ];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            ValidationIssueCode::InvalidType => "invalid_type",
            ValidationIssueCode::UnrecognizedKeys => "unrecognized_keys",
            ValidationIssueCode::InvalidEnumValue => "invalid_enum_value",
            ValidationIssueCode::TooSmall => "too_small",
            ValidationIssueCode::TooBig => "too_big",
            ValidationIssueCode::InvalidString => "invalid_string",
            ValidationIssueCode::Custom => "custom",
            ValidationIssueCode::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, ValidationIssueCode::Unknown(_))
    }
}
impl ::std::convert::From<&str> for ValidationIssueCode {
    fn from(value: &str) -> Self {
        match value {
            "invalid_type" => ValidationIssueCode::InvalidType,
            "unrecognized_keys" => ValidationIssueCode::UnrecognizedKeys,
            "invalid_enum_value" => ValidationIssueCode::InvalidEnumValue,
            "too_small" => ValidationIssueCode::TooSmall,
            "too_big" => ValidationIssueCode::TooBig,
            "invalid_string" => ValidationIssueCode::InvalidString,
            "custom" => ValidationIssueCode::Custom,
            other => ValidationIssueCode::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for ValidationIssueCode {
    fn from(value: ::std::string::String) -> Self {
        match ValidationIssueCode::from(value.as_str()) {
            ValidationIssueCode::Unknown(_) => ValidationIssueCode::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for ValidationIssueCode {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(ValidationIssueCode::from(value))
    }
}
impl ::std::fmt::Display for ValidationIssueCode {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for ValidationIssueCode {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for ValidationIssueCode {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = ValidationIssueCode;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<ValidationIssueCode, E> {
                Ok(ValidationIssueCode::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<ValidationIssueCode, E> {
                Ok(ValidationIssueCode::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**Where a generation is: `pending` → `processing` → `uploading` →
`success` or `error`. `success` and `error` are final; a status a
client does not know is not final. The run page says a run starts in
`processing`, other provider texts say `pending`: both occur.

An open set: a value the service adds later decodes as [`GenerationStatus::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum GenerationStatus {
    ///`pending`
    Pending,
    ///`processing`
    Processing,
    ///`uploading`
    Uploading,
    ///`success`
    Success,
    ///`error`
    Error,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl GenerationStatus {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [GenerationStatus; 5usize] = [
        GenerationStatus::Pending,
        GenerationStatus::Processing,
        GenerationStatus::Uploading,
        GenerationStatus::Success,
        GenerationStatus::Error,
    ];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            GenerationStatus::Pending => "pending",
            GenerationStatus::Processing => "processing",
            GenerationStatus::Uploading => "uploading",
            GenerationStatus::Success => "success",
            GenerationStatus::Error => "error",
            GenerationStatus::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, GenerationStatus::Unknown(_))
    }
}
impl ::std::convert::From<&str> for GenerationStatus {
    fn from(value: &str) -> Self {
        match value {
            "pending" => GenerationStatus::Pending,
            "processing" => GenerationStatus::Processing,
            "uploading" => GenerationStatus::Uploading,
            "success" => GenerationStatus::Success,
            "error" => GenerationStatus::Error,
            other => GenerationStatus::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for GenerationStatus {
    fn from(value: ::std::string::String) -> Self {
        match GenerationStatus::from(value.as_str()) {
            GenerationStatus::Unknown(_) => GenerationStatus::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for GenerationStatus {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(GenerationStatus::from(value))
    }
}
impl ::std::fmt::Display for GenerationStatus {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for GenerationStatus {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for GenerationStatus {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = GenerationStatus;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<GenerationStatus, E> {
                Ok(GenerationStatus::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<GenerationStatus, E> {
                Ok(GenerationStatus::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**The kind of media a tool works on or produces (tool types in the public docs, `3D object` as `object`).

An open set: a value the service adds later decodes as [`GenerationType::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum GenerationType {
    ///`image`
    Image,
    ///`video`
    Video,
    ///`audio`
    Audio,
    ///`text`
    Text,
    ///`object`
    Object,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl GenerationType {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [GenerationType; 5usize] = [
        GenerationType::Image,
        GenerationType::Video,
        GenerationType::Audio,
        GenerationType::Text,
        GenerationType::Object,
    ];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            GenerationType::Image => "image",
            GenerationType::Video => "video",
            GenerationType::Audio => "audio",
            GenerationType::Text => "text",
            GenerationType::Object => "object",
            GenerationType::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, GenerationType::Unknown(_))
    }
}
impl ::std::convert::From<&str> for GenerationType {
    fn from(value: &str) -> Self {
        match value {
            "image" => GenerationType::Image,
            "video" => GenerationType::Video,
            "audio" => GenerationType::Audio,
            "text" => GenerationType::Text,
            "object" => GenerationType::Object,
            other => GenerationType::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for GenerationType {
    fn from(value: ::std::string::String) -> Self {
        match GenerationType::from(value.as_str()) {
            GenerationType::Unknown(_) => GenerationType::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for GenerationType {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(GenerationType::from(value))
    }
}
impl ::std::fmt::Display for GenerationType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for GenerationType {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for GenerationType {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = GenerationType;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<GenerationType, E> {
                Ok(GenerationType::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<GenerationType, E> {
                Ok(GenerationType::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**What a model's `cost` counts (`mcp/tools`): `generation` (one run,
the default when absent, as the n8n node prints it) or `second` (of
output: video models are priced per second, model pages).

An open set: a value the service adds later decodes as [`CostUnit::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum CostUnit {
    ///`generation`
    Generation,
    ///`second`
    Second,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl CostUnit {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [CostUnit; 2usize] = [CostUnit::Generation, CostUnit::Second];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            CostUnit::Generation => "generation",
            CostUnit::Second => "second",
            CostUnit::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, CostUnit::Unknown(_))
    }
}
impl ::std::convert::From<&str> for CostUnit {
    fn from(value: &str) -> Self {
        match value {
            "generation" => CostUnit::Generation,
            "second" => CostUnit::Second,
            other => CostUnit::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for CostUnit {
    fn from(value: ::std::string::String) -> Self {
        match CostUnit::from(value.as_str()) {
            CostUnit::Unknown(_) => CostUnit::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for CostUnit {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(CostUnit::from(value))
    }
}
impl ::std::fmt::Display for CostUnit {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for CostUnit {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for CostUnit {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = CostUnit;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<CostUnit, E> {
                Ok(CostUnit::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<CostUnit, E> {
                Ok(CostUnit::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**The type of an input field: the JSON types, plus `int` (an integer)
and `enum` (one of `enum`/`options`), as the n8n node reads them. A
type a client does not know is passed through unchecked.

An open set: a value the service adds later decodes as [`InputFieldType::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum InputFieldType {
    ///`string`
    String,
    ///`number`
    Number,
    ///`integer`
    Integer,
    ///`int`
    Int,
    ///`boolean`
    Boolean,
    ///`array`
    Array,
    ///`enum`
    Enum,
    ///`object`
    Object,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl InputFieldType {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [InputFieldType; 8usize] = [
        InputFieldType::String,
        InputFieldType::Number,
        InputFieldType::Integer,
        InputFieldType::Int,
        InputFieldType::Boolean,
        InputFieldType::Array,
        InputFieldType::Enum,
        InputFieldType::Object,
    ];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            InputFieldType::String => "string",
            InputFieldType::Number => "number",
            InputFieldType::Integer => "integer",
            InputFieldType::Int => "int",
            InputFieldType::Boolean => "boolean",
            InputFieldType::Array => "array",
            InputFieldType::Enum => "enum",
            InputFieldType::Object => "object",
            InputFieldType::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, InputFieldType::Unknown(_))
    }
}
impl ::std::convert::From<&str> for InputFieldType {
    fn from(value: &str) -> Self {
        match value {
            "string" => InputFieldType::String,
            "number" => InputFieldType::Number,
            "integer" => InputFieldType::Integer,
            "int" => InputFieldType::Int,
            "boolean" => InputFieldType::Boolean,
            "array" => InputFieldType::Array,
            "enum" => InputFieldType::Enum,
            "object" => InputFieldType::Object,
            other => InputFieldType::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for InputFieldType {
    fn from(value: ::std::string::String) -> Self {
        match InputFieldType::from(value.as_str()) {
            InputFieldType::Unknown(_) => InputFieldType::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for InputFieldType {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(InputFieldType::from(value))
    }
}
impl ::std::fmt::Display for InputFieldType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for InputFieldType {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for InputFieldType {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = InputFieldType;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<InputFieldType, E> {
                Ok(InputFieldType::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<InputFieldType, E> {
                Ok(InputFieldType::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**The account's plan, which sets its rate limits (`free` or `pro` today).

An open set: a value the service adds later decodes as [`Plan::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum Plan {
    ///`free`
    Free,
    ///`pro`
    Pro,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl Plan {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [Plan; 2usize] = [Plan::Free, Plan::Pro];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
            Plan::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Plan::Unknown(_))
    }
}
impl ::std::convert::From<&str> for Plan {
    fn from(value: &str) -> Self {
        match value {
            "free" => Plan::Free,
            "pro" => Plan::Pro,
            other => Plan::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for Plan {
    fn from(value: ::std::string::String) -> Self {
        match Plan::from(value.as_str()) {
            Plan::Unknown(_) => Plan::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for Plan {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(Plan::from(value))
    }
}
impl ::std::fmt::Display for Plan {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for Plan {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for Plan {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = Plan;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<Plan, E> {
                Ok(Plan::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<Plan, E> {
                Ok(Plan::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/**The kind of an uploaded file, from its content type (`object` for 3D models).

An open set: a value the service adds later decodes as [`UploadedFileType::Unknown`], which keeps its text and serializes back to it.*/
#[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
pub enum UploadedFileType {
    ///`image`
    Image,
    ///`video`
    Video,
    ///`audio`
    Audio,
    ///`object`
    Object,
    ///`file`
    File,
    /// A value this version does not know, kept as sent.
    Unknown(::std::string::String),
}
impl UploadedFileType {
    /// Every value known to this version, in the spec's order.
    pub const KNOWN: [UploadedFileType; 5usize] = [
        UploadedFileType::Image,
        UploadedFileType::Video,
        UploadedFileType::Audio,
        UploadedFileType::Object,
        UploadedFileType::File,
    ];
    /// The value as it travels on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            UploadedFileType::Image => "image",
            UploadedFileType::Video => "video",
            UploadedFileType::Audio => "audio",
            UploadedFileType::Object => "object",
            UploadedFileType::File => "file",
            UploadedFileType::Unknown(other) => other.as_str(),
        }
    }
    /// Whether this is a value this version does not know.
    pub fn is_unknown(&self) -> bool {
        matches!(self, UploadedFileType::Unknown(_))
    }
}
impl ::std::convert::From<&str> for UploadedFileType {
    fn from(value: &str) -> Self {
        match value {
            "image" => UploadedFileType::Image,
            "video" => UploadedFileType::Video,
            "audio" => UploadedFileType::Audio,
            "object" => UploadedFileType::Object,
            "file" => UploadedFileType::File,
            other => UploadedFileType::Unknown(other.to_string()),
        }
    }
}
impl ::std::convert::From<::std::string::String> for UploadedFileType {
    fn from(value: ::std::string::String) -> Self {
        match UploadedFileType::from(value.as_str()) {
            UploadedFileType::Unknown(_) => UploadedFileType::Unknown(value),
            known => known,
        }
    }
}
impl ::std::str::FromStr for UploadedFileType {
    type Err = ::std::convert::Infallible;
    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
        Ok(UploadedFileType::from(value))
    }
}
impl ::std::fmt::Display for UploadedFileType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(self.as_str())
    }
}
impl ::serde::Serialize for UploadedFileType {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
impl<'de> ::serde::Deserialize<'de> for UploadedFileType {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = UploadedFileType;
            fn expecting(
                &self,
                f: &mut ::std::fmt::Formatter<'_>,
            ) -> ::std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: ::serde::de::Error>(
                self,
                value: &str,
            ) -> ::std::result::Result<UploadedFileType, E> {
                Ok(UploadedFileType::from(value))
            }
            fn visit_string<E: ::serde::de::Error>(
                self,
                value: ::std::string::String,
            ) -> ::std::result::Result<UploadedFileType, E> {
                Ok(UploadedFileType::from(value))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}
/// The kind of an error answer, decided by its HTTP status alone.
///
/// One variant per row of the provider's status table (`x-error-statuses`
/// in the spec), plus `Other` for any status outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    ///400 Bad Request: Invalid JSON, missing fields, invalid values, unknown fields.
    BadRequest,
    ///401 Unauthorized: Missing or invalid API key.
    Unauthorized,
    ///402 Payment Required: Not enough credits.
    PaymentRequired,
    ///403 Forbidden: Trying to access another user’s resource.
    Forbidden,
    ///404 Not Found: Invalid endpoint, tool, model, or generation ID.
    NotFound,
    ///405 Method Not Allowed: A known path asked with a method it does not serve (project decision).
    MethodNotAllowed,
    ///408 Request Timeout: The request body did not arrive within the server's time limit (project decision).
    RequestTimeout,
    ///413 Payload Too Large: A request body over the size limit (project decision).
    PayloadTooLarge,
    ///429 Too Many Requests: Rate limit exceeded.
    TooManyRequests,
    ///500 Internal Server Error: The service failed unexpectedly.
    InternalServerError,
    ///502 Bad Gateway: An upstream of the service failed.
    BadGateway,
    ///503 Service Unavailable: The service is temporarily down.
    ServiceUnavailable,
    /// A status the table does not list.
    Other(u16),
}
impl ErrorKind {
    /// Every kind of the table, in status order.
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::BadRequest,
        ErrorKind::Unauthorized,
        ErrorKind::PaymentRequired,
        ErrorKind::Forbidden,
        ErrorKind::NotFound,
        ErrorKind::MethodNotAllowed,
        ErrorKind::RequestTimeout,
        ErrorKind::PayloadTooLarge,
        ErrorKind::TooManyRequests,
        ErrorKind::InternalServerError,
        ErrorKind::BadGateway,
        ErrorKind::ServiceUnavailable,
    ];
    /// The kind for an HTTP status.
    pub const fn from_status(status: u16) -> Self {
        match status {
            400u16 => ErrorKind::BadRequest,
            401u16 => ErrorKind::Unauthorized,
            402u16 => ErrorKind::PaymentRequired,
            403u16 => ErrorKind::Forbidden,
            404u16 => ErrorKind::NotFound,
            405u16 => ErrorKind::MethodNotAllowed,
            408u16 => ErrorKind::RequestTimeout,
            413u16 => ErrorKind::PayloadTooLarge,
            429u16 => ErrorKind::TooManyRequests,
            500u16 => ErrorKind::InternalServerError,
            502u16 => ErrorKind::BadGateway,
            503u16 => ErrorKind::ServiceUnavailable,
            other => ErrorKind::Other(other),
        }
    }
    /// The HTTP status of this kind.
    pub const fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400u16,
            ErrorKind::Unauthorized => 401u16,
            ErrorKind::PaymentRequired => 402u16,
            ErrorKind::Forbidden => 403u16,
            ErrorKind::NotFound => 404u16,
            ErrorKind::MethodNotAllowed => 405u16,
            ErrorKind::RequestTimeout => 408u16,
            ErrorKind::PayloadTooLarge => 413u16,
            ErrorKind::TooManyRequests => 429u16,
            ErrorKind::InternalServerError => 500u16,
            ErrorKind::BadGateway => 502u16,
            ErrorKind::ServiceUnavailable => 503u16,
            ErrorKind::Other(status) => status,
        }
    }
    /// The status name, such as `Payment Required`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Bad Request",
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::PaymentRequired => "Payment Required",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "Not Found",
            ErrorKind::MethodNotAllowed => "Method Not Allowed",
            ErrorKind::RequestTimeout => "Request Timeout",
            ErrorKind::PayloadTooLarge => "Payload Too Large",
            ErrorKind::TooManyRequests => "Too Many Requests",
            ErrorKind::InternalServerError => "Internal Server Error",
            ErrorKind::BadGateway => "Bad Gateway",
            ErrorKind::ServiceUnavailable => "Service Unavailable",
            ErrorKind::Other(_) => "Unexpected Status",
        }
    }
    /// The message to show when the body carries none.
    pub const fn default_message(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "Validation failed",
            ErrorKind::Unauthorized => "Invalid API key",
            ErrorKind::PaymentRequired => {
                "You do not have enough credits to perform this action"
            }
            ErrorKind::Forbidden => "You do not have access to this resource",
            ErrorKind::NotFound => "Not found",
            ErrorKind::MethodNotAllowed => "Method not allowed",
            ErrorKind::RequestTimeout => "Request timeout",
            ErrorKind::PayloadTooLarge => "Request body too large",
            ErrorKind::TooManyRequests => "Too many API requests, please try again later",
            ErrorKind::InternalServerError => "Internal server error",
            ErrorKind::BadGateway => "Bad gateway",
            ErrorKind::ServiceUnavailable => "Service temporarily unavailable",
            ErrorKind::Other(_) => "Request failed",
        }
    }
    /// Whether a client should retry a request that got this answer.
    pub const fn is_retryable(self) -> bool {
        match self {
            ErrorKind::BadRequest => false,
            ErrorKind::Unauthorized => false,
            ErrorKind::PaymentRequired => false,
            ErrorKind::Forbidden => false,
            ErrorKind::NotFound => false,
            ErrorKind::MethodNotAllowed => false,
            ErrorKind::RequestTimeout => false,
            ErrorKind::PayloadTooLarge => false,
            ErrorKind::TooManyRequests => true,
            ErrorKind::InternalServerError => true,
            ErrorKind::BadGateway => true,
            ErrorKind::ServiceUnavailable => true,
            ErrorKind::Other(status) => true && status >= 500,
        }
    }
    /// When the API answers with this status, in the provider's words.
    pub const fn when(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => {
                "Invalid JSON, missing fields, invalid values, unknown fields"
            }
            ErrorKind::Unauthorized => "Missing or invalid API key",
            ErrorKind::PaymentRequired => "Not enough credits",
            ErrorKind::Forbidden => "Trying to access another user’s resource",
            ErrorKind::NotFound => "Invalid endpoint, tool, model, or generation ID",
            ErrorKind::MethodNotAllowed => {
                "A known path asked with a method it does not serve (project decision)"
            }
            ErrorKind::RequestTimeout => {
                "The request body did not arrive within the server's time limit (project decision)"
            }
            ErrorKind::PayloadTooLarge => {
                "A request body over the size limit (project decision)"
            }
            ErrorKind::TooManyRequests => "Rate limit exceeded",
            ErrorKind::InternalServerError => "The service failed unexpectedly",
            ErrorKind::BadGateway => "An upstream of the service failed",
            ErrorKind::ServiceUnavailable => "The service is temporarily down",
            ErrorKind::Other(_) => "A status the API does not document",
        }
    }
    /// What to do about it, in the provider's words where it gives any.
    pub const fn advice(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => {
                "Check the required parameters for your tool. The API rejects unknown fields — only send documented parameters."
            }
            ErrorKind::Unauthorized => {
                "Check that your API key is correct and included in the Authorization header. Do not use the Bearer prefix."
            }
            ErrorKind::PaymentRequired => "Add credits at Account Settings.",
            ErrorKind::Forbidden => {
                "Use a generation id that belongs to the account of this API key."
            }
            ErrorKind::NotFound => {
                "Verify the tool slug. Use GET /api/tools to list available tools."
            }
            ErrorKind::MethodNotAllowed => {
                "Use one of the methods listed in the Allow header."
            }
            ErrorKind::RequestTimeout => {
                "Send the whole body without pauses; check the network between client and server."
            }
            ErrorKind::PayloadTooLarge => {
                "Send a smaller body; upload large media with POST /files and pass its URL."
            }
            ErrorKind::TooManyRequests => {
                "Wait before retrying. See rate limits for details on your plan’s limits."
            }
            ErrorKind::InternalServerError => "Retry after a few seconds",
            ErrorKind::BadGateway => "Retry after a few seconds",
            ErrorKind::ServiceUnavailable => "Service is temporarily down, retry later",
            ErrorKind::Other(_) => "",
        }
    }
}
impl ::std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(f, "{} {}", self.status(), self.name())
    }
}
/// The exact error messages of the contract, one per example in the spec's
/// `components.responses`.
pub mod messages {
    ///`Invalid JSON body`
    pub const INVALID_JSON: &str = "Invalid JSON body";
    ///`Content-Type must be application/json`
    pub const UNSUPPORTED_CONTENT_TYPE: &str = "Content-Type must be application/json";
    ///`Content-Type must be multipart/form-data`
    pub const MULTIPART_REQUIRED: &str = "Content-Type must be multipart/form-data";
    ///`Authorization header is required`
    pub const AUTHORIZATION_REQUIRED: &str = "Authorization header is required";
    ///`Invalid API key`
    pub const INVALID_API_KEY: &str = "Invalid API key";
    ///`You do not have enough credits to perform this action`
    pub const NOT_ENOUGH_CREDITS: &str = "You do not have enough credits to perform this action";
    ///`You do not have access to this resource`
    pub const NO_ACCESS: &str = "You do not have access to this resource";
    ///`Tool not found`
    pub const TOOL_NOT_FOUND: &str = "Tool not found";
    ///`Model not found`
    pub const MODEL_NOT_FOUND: &str = "Model not found";
    ///`Not found`
    pub const NOT_FOUND: &str = "Not found";
    ///`Generation not found`
    pub const GENERATION_NOT_FOUND: &str = "Generation not found";
    ///`Method not allowed`
    pub const METHOD_NOT_ALLOWED: &str = "Method not allowed";
    ///`Request timeout`
    pub const REQUEST_TIMEOUT: &str = "Request timeout";
    ///`Request body too large`
    pub const BODY_TOO_LARGE: &str = "Request body too large";
    ///`Too many API requests, please try again later`
    pub const RATE_LIMITED: &str = "Too many API requests, please try again later";
    ///`Internal server error`
    pub const INTERNAL_SERVER_ERROR: &str = "Internal server error";
    ///`Bad gateway`
    pub const BAD_GATEWAY: &str = "Bad gateway";
    ///`Service temporarily unavailable`
    pub const SERVICE_UNAVAILABLE: &str = "Service temporarily unavailable";
}
/// `components.schemas` of the spec as one JSON object, for JSON Schema validators.
pub const COMPONENT_SCHEMAS_JSON: &str = r##"{
  "ErrorBody": {
    "description": "The body of every error response.",
    "type": "object",
    "required": [
      "message"
    ],
    "properties": {
      "message": {
        "description": "What went wrong, for a person.",
        "type": "string"
      },
      "errors": {
        "description": "One entry per problem found, on validation errors only.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/ValidationIssue"
        }
      }
    },
    "examples": [
      {
        "message": "Validation failed",
        "errors": [
          {
            "field": "tool",
            "message": "Required",
            "code": "invalid_type"
          }
        ]
      },
      {
        "message": "Tool not found"
      }
    ]
  },
  "ValidationIssue": {
    "description": "One problem in a request, in the Zod style.",
    "type": "object",
    "required": [
      "field",
      "message",
      "code"
    ],
    "properties": {
      "field": {
        "description": "Dotted path of the offending field, such as `input.prompt`.",
        "type": "string"
      },
      "message": {
        "description": "What is wrong with it, such as `Required`.",
        "type": "string"
      },
      "code": {
        "$ref": "#/components/schemas/ValidationIssueCode"
      }
    },
    "examples": [
      {
        "field": "tool",
        "message": "Required",
        "code": "invalid_type"
      },
      {
        "field": "input.voice",
        "message": "Invalid enum value. Expected 'alloy' | 'echo' | 'fable' | 'onyx' | 'nova' | 'shimmer', received 'bob'",
        "code": "invalid_enum_value"
      }
    ]
  },
  "ValidationIssueCode": {
    "description": "The kind of a validation problem (the Zod vocabulary, seed). Zod has\nmore codes than the seed lists, so others may come.\n",
    "type": "string",
    "x-extensible-enum": [
      "invalid_type",
      "unrecognized_keys",
      "invalid_enum_value",
      "too_small",
      "too_big",
      "invalid_string",
      "custom"
    ]
  },
  "RunRequest": {
    "description": "The body of `POST /api/run`. Unknown fields are rejected.",
    "type": "object",
    "additionalProperties": false,
    "required": [
      "tool",
      "input"
    ],
    "properties": {
      "tool": {
        "description": "The tool slug, such as `create-image`.",
        "type": "string"
      },
      "input": {
        "description": "The tool's input. `model` picks one of the tool's models (default:\nthe first); the other fields are defined by that model's\n`inputSchema`.\n",
        "type": "object",
        "additionalProperties": true
      },
      "webhook": {
        "description": "An HTTPS URL on a public host, called when the generation succeeds.",
        "type": [
          "string",
          "null"
        ]
      }
    },
    "examples": [
      {
        "tool": "create-image",
        "input": {
          "prompt": "a fox"
        }
      },
      {
        "tool": "text-to-speech",
        "input": {
          "model": "openai-tts",
          "prompt": "Hello there",
          "voice": "nova"
        },
        "webhook": "https://example.com/hooks/artificial-studio"
      }
    ]
  },
  "RunResponse": {
    "description": "The answer to `POST /api/run` (`api/run`: `{id, status, tool,\ncreatedAt}`). The MCP client reads it as a generation, so only `id`\nand `status` are relied on.\n",
    "type": "object",
    "required": [
      "id",
      "status"
    ],
    "properties": {
      "id": {
        "description": "The new generation's id.",
        "type": "string"
      },
      "status": {
        "$ref": "#/components/schemas/GenerationStatus"
      },
      "tool": {
        "description": "The tool that runs.",
        "type": "string"
      },
      "createdAt": {
        "description": "When the generation was created.",
        "type": "string",
        "format": "date-time"
      }
    },
    "examples": [
      {
        "id": "65f1c0ffee0123456789abcd",
        "status": "processing",
        "tool": "create-image",
        "createdAt": "2026-11-25T14:00:00.000Z"
      },
      {
        "id": "65f1c0ffee0123456789abcd",
        "status": "pending"
      }
    ]
  },
  "GenerationStatus": {
    "description": "Where a generation is: `pending` → `processing` → `uploading` →\n`success` or `error`. `success` and `error` are final; a status a\nclient does not know is not final. The run page says a run starts in\n`processing`, other provider texts say `pending`: both occur.\n",
    "type": "string",
    "x-extensible-enum": [
      "pending",
      "processing",
      "uploading",
      "success",
      "error"
    ]
  },
  "GenerationType": {
    "description": "The kind of media a tool works on or produces (tool types in the public docs, `3D object` as `object`).",
    "type": "string",
    "x-extensible-enum": [
      "image",
      "video",
      "audio",
      "text",
      "object"
    ]
  },
  "Generation": {
    "description": "One run of a tool. `id`, `status`, `tool` and `createdAt` are in every\npublished body; the quick-start's finished generation has no `error`\nand no `payload`, the generations-list page lists no `payload`, and\nthe MCP client reads `type`, `output` and `thumbnail` as optional.\n",
    "type": "object",
    "required": [
      "id",
      "status",
      "tool",
      "createdAt"
    ],
    "properties": {
      "id": {
        "description": "24 lowercase hex characters in the provider's examples.",
        "type": "string"
      },
      "status": {
        "$ref": "#/components/schemas/GenerationStatus"
      },
      "tool": {
        "description": "The tool slug.",
        "type": "string"
      },
      "type": {
        "$ref": "#/components/schemas/GenerationType"
      },
      "output": {
        "description": "URL of the result, once `success`.",
        "type": [
          "string",
          "null"
        ]
      },
      "thumbnail": {
        "description": "URL of a preview image; null for audio and until `success`.",
        "type": [
          "string",
          "null"
        ]
      },
      "error": {
        "description": "Why the generation failed, once `error` (absent from the quick-start's body).",
        "type": [
          "string",
          "null"
        ]
      },
      "payload": {
        "description": "The input that was run (absent from the quick-start's and the list page's bodies).",
        "type": "object",
        "additionalProperties": true
      },
      "createdAt": {
        "description": "When the generation was created.",
        "type": "string",
        "format": "date-time"
      }
    },
    "examples": [
      {
        "id": "65f1c0ffee0123456789abcd",
        "status": "success",
        "tool": "create-image",
        "type": "image",
        "output": "https://cdn.artificialstudio.ai/outputs/65f1c0ffee0123456789abcd.png",
        "thumbnail": "https://cdn.artificialstudio.ai/thumbnails/65f1c0ffee0123456789abcd.png",
        "error": null,
        "payload": {
          "prompt": "a fox"
        },
        "createdAt": "2026-11-25T14:00:00.000Z"
      },
      {
        "id": "65f1c0ffee0123456789abcd",
        "status": "success",
        "output": "https://cdn.artificialstudio.ai/outputs/65f1c0ffee0123456789abcd.png",
        "thumbnail": "https://cdn.artificialstudio.ai/thumbnails/65f1c0ffee0123456789abcd.png",
        "tool": "create-image",
        "type": "image",
        "createdAt": "2026-11-25T14:00:00.000Z"
      }
    ]
  },
  "Pagination": {
    "description": "Where a page sits in the whole list (the n8n node reads every field as optional).",
    "type": "object",
    "properties": {
      "total": {
        "description": "Generations matching the query, over all pages.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "limit": {
        "description": "The page size used.",
        "type": "integer",
        "format": "uint32",
        "minimum": 0
      },
      "offset": {
        "description": "The offset used.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "hasMore": {
        "description": "Whether a later page exists.",
        "type": "boolean"
      }
    }
  },
  "GenerationList": {
    "description": "One page of the caller's generations, newest first.",
    "type": "object",
    "required": [
      "data"
    ],
    "properties": {
      "data": {
        "description": "The generations on this page.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Generation"
        }
      },
      "pagination": {
        "$ref": "#/components/schemas/Pagination"
      }
    }
  },
  "ToolSummary": {
    "description": "A tool as listed by `GET /api/tools`. Only `slug` and `name` are in\nevery published shape (the n8n node's fixture tool has no\n`description`, `type` or `outputType`).\n",
    "type": "object",
    "required": [
      "slug",
      "name"
    ],
    "properties": {
      "slug": {
        "description": "The id used in `POST /api/run`.",
        "type": "string"
      },
      "name": {
        "description": "A display name.",
        "type": "string"
      },
      "description": {
        "description": "What the tool does.",
        "type": "string"
      },
      "type": {
        "$ref": "#/components/schemas/GenerationType"
      },
      "outputType": {
        "$ref": "#/components/schemas/GenerationType"
      }
    }
  },
  "ToolList": {
    "description": "Every tool (project decision, as the MCP client reads it: wrapped as `{data}`).",
    "type": "object",
    "required": [
      "data"
    ],
    "properties": {
      "data": {
        "description": "The tools.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/ToolSummary"
        }
      }
    }
  },
  "Tool": {
    "description": "A tool with its models. A tool may carry its own `inputSchema`, used\nfor a model that has none (the n8n node falls back to it).\n",
    "type": "object",
    "required": [
      "slug",
      "name"
    ],
    "properties": {
      "slug": {
        "description": "The id used in `POST /api/run`.",
        "type": "string"
      },
      "name": {
        "description": "A display name.",
        "type": "string"
      },
      "description": {
        "description": "What the tool does.",
        "type": "string"
      },
      "type": {
        "$ref": "#/components/schemas/GenerationType"
      },
      "outputType": {
        "$ref": "#/components/schemas/GenerationType"
      },
      "inputSchema": {
        "description": "The tool's own input schema, for models without one.",
        "oneOf": [
          {
            "$ref": "#/components/schemas/InputSchema"
          },
          {
            "type": "null"
          }
        ]
      },
      "models": {
        "description": "The models, the default (primary) one first.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/ToolModel"
        }
      }
    }
  },
  "CostUnit": {
    "description": "What a model's `cost` counts (`mcp/tools`): `generation` (one run,\nthe default when absent, as the n8n node prints it) or `second` (of\noutput: video models are priced per second, model pages).\n",
    "type": "string",
    "x-extensible-enum": [
      "generation",
      "second"
    ]
  },
  "ToolModel": {
    "description": "One model of a tool, with its price and input (`mcp/tools`: `slug,\nname, cost, costUnit, inputSchema`; the n8n node's fixture models\nhave no `costUnit`).\n",
    "type": "object",
    "required": [
      "slug",
      "name"
    ],
    "properties": {
      "slug": {
        "description": "The value of `input.model` that selects it.",
        "type": "string"
      },
      "name": {
        "description": "A display name.",
        "type": "string"
      },
      "cost": {
        "description": "Credits per `costUnit`, taken when a generation with this model is created.",
        "type": "number",
        "minimum": 0
      },
      "costUnit": {
        "$ref": "#/components/schemas/CostUnit"
      },
      "costByResolution": {
        "description": "Credits per `costUnit` by the input's `resolution` value, where the\nprice depends on it (model pages: 27 credits/s at 480p, 61 at\n720p). `cost` is the price of the default resolution.\n",
        "type": "object",
        "additionalProperties": {
          "type": "number",
          "minimum": 0
        }
      },
      "inputSchema": {
        "$ref": "#/components/schemas/InputSchema"
      }
    }
  },
  "InputSchema": {
    "description": "The JSON-Schema-like description of an input. Looser than JSON\nSchema: field types include `int` and `enum`, and a field may be\n`optional` instead of absent from `required` (n8n node).\n",
    "type": "object",
    "properties": {
      "type": {
        "description": "`object`.",
        "type": "string"
      },
      "properties": {
        "description": "The input fields by name, in display order.",
        "type": "object",
        "additionalProperties": {
          "$ref": "#/components/schemas/InputField"
        }
      },
      "required": {
        "description": "Names of the fields that must be given (unless marked `optional`).",
        "type": "array",
        "items": {
          "type": "string"
        }
      }
    }
  },
  "InputFieldType": {
    "description": "The type of an input field: the JSON types, plus `int` (an integer)\nand `enum` (one of `enum`/`options`), as the n8n node reads them. A\ntype a client does not know is passed through unchecked.\n",
    "type": "string",
    "x-extensible-enum": [
      "string",
      "number",
      "integer",
      "int",
      "boolean",
      "array",
      "enum",
      "object"
    ]
  },
  "InputOption": {
    "description": "One labelled choice of a field (`options`, n8n node).",
    "type": "object",
    "properties": {
      "label": {
        "description": "What a person sees.",
        "type": "string"
      },
      "value": {
        "description": "What is sent (a string or a number)."
      }
    }
  },
  "InputField": {
    "description": "One field of an input schema.",
    "type": "object",
    "properties": {
      "type": {
        "$ref": "#/components/schemas/InputFieldType"
      },
      "enum": {
        "description": "The allowed values, when restricted.",
        "type": "array",
        "items": {}
      },
      "options": {
        "description": "The allowed values with labels for people.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/InputOption"
        }
      },
      "default": {
        "description": "The value used when the field is not given."
      },
      "optional": {
        "description": "Whether the field may be left out even when listed in `required`.",
        "type": "boolean"
      },
      "label": {
        "description": "A display label.",
        "type": "string"
      },
      "description": {
        "description": "What the field does.",
        "type": "string"
      },
      "inputType": {
        "description": "How the provider's app asks for it: `gallery` (media, several), `select`, `text`, ...",
        "type": "string"
      },
      "fileType": {
        "description": "The media a URL field takes: `image`, `video`, `audio`, ...",
        "type": "string"
      },
      "maxLength": {
        "description": "Longest allowed string, in characters.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "minLength": {
        "description": "Shortest allowed string, in characters.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "minimum": {
        "description": "Smallest allowed number.",
        "type": "number"
      },
      "maximum": {
        "description": "Largest allowed number.",
        "type": "number"
      },
      "min": {
        "description": "Smallest allowed number (the provider's shorter spelling).",
        "type": "number"
      },
      "max": {
        "description": "Largest allowed number (the provider's shorter spelling).",
        "type": "number"
      },
      "items": {
        "description": "For arrays, the type of each item.",
        "$ref": "#/components/schemas/InputFieldItems"
      },
      "minItems": {
        "description": "Fewest array items.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "maxItems": {
        "description": "Most array items.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      }
    }
  },
  "InputFieldItems": {
    "description": "The type of each item of an array input field.",
    "type": "object",
    "properties": {
      "type": {
        "$ref": "#/components/schemas/InputFieldType"
      },
      "enum": {
        "description": "The allowed item values, when restricted.",
        "type": "array",
        "items": {}
      }
    }
  },
  "SearchResults": {
    "description": "Tools matching a search, with their models.",
    "type": "object",
    "required": [
      "data"
    ],
    "properties": {
      "data": {
        "description": "The matching tools.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/Tool"
        }
      }
    }
  },
  "Plan": {
    "description": "The account's plan, which sets its rate limits (`free` or `pro` today).",
    "type": "string",
    "x-extensible-enum": [
      "free",
      "pro"
    ]
  },
  "Account": {
    "description": "The caller's account (`api/account`; every field in the MCP client).",
    "type": "object",
    "required": [
      "id",
      "email",
      "credits",
      "plan",
      "createdAt"
    ],
    "properties": {
      "id": {
        "description": "The account id.",
        "type": "string"
      },
      "email": {
        "description": "The account's e-mail address.",
        "type": "string"
      },
      "credits": {
        "description": "Credits left.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "plan": {
        "$ref": "#/components/schemas/Plan"
      },
      "createdAt": {
        "description": "When the account was created.",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  "UploadedFileType": {
    "description": "The kind of an uploaded file, from its content type (`object` for 3D models).",
    "type": "string",
    "x-extensible-enum": [
      "image",
      "video",
      "audio",
      "object",
      "file"
    ]
  },
  "UploadedFile": {
    "description": "A stored upload. `POST /files` answers `{id, url, type, createdAt}`\n(MCP client, skills); `POST /api/files` answers `{id, url, mimetype,\nsize, originalName}` (n8n node). Either decodes here.\n",
    "type": "object",
    "required": [
      "id",
      "url"
    ],
    "properties": {
      "id": {
        "description": "The file id.",
        "type": "string"
      },
      "url": {
        "description": "Where the file is served; usable as a media input URL.",
        "type": "string"
      },
      "type": {
        "$ref": "#/components/schemas/UploadedFileType"
      },
      "createdAt": {
        "description": "When the file was stored.",
        "type": "string",
        "format": "date-time"
      },
      "mimetype": {
        "description": "The file's content type.",
        "type": "string"
      },
      "size": {
        "description": "The file's length in bytes.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "originalName": {
        "description": "The file name it was uploaded with.",
        "type": "string"
      }
    }
  },
  "WebhookPayload": {
    "description": "What the service POSTs to a run's webhook when the generation succeeds.",
    "type": "object",
    "required": [
      "id",
      "status"
    ],
    "properties": {
      "id": {
        "description": "The generation id (also in the `X-Media-Id` header).",
        "type": "string"
      },
      "status": {
        "$ref": "#/components/schemas/GenerationStatus"
      },
      "tool": {
        "description": "The tool slug.",
        "type": "string"
      },
      "type": {
        "$ref": "#/components/schemas/GenerationType"
      },
      "output": {
        "description": "URL of the result.",
        "type": [
          "string",
          "null"
        ]
      },
      "thumbnail": {
        "description": "URL of a preview image; null for audio.",
        "type": [
          "string",
          "null"
        ]
      },
      "createdAt": {
        "description": "When the generation was created.",
        "type": "string",
        "format": "date-time"
      }
    }
  },
  "RunRequestByTool": {
    "description": "The body of `POST /api/run` for each tool of the mock's built-in catalog (`spec/catalog.yaml`), with each model's `input` as its `inputSchema` reads (the provider's spellings made strict). The first model of a tool is its default: its `input.model` may be left out. `RunRequest` is the same body with `input` left free-form.",
    "x-generated-from": "spec/catalog.yaml",
    "oneOf": [
      {
        "title": "create-image",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "create-image"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_size": {
                    "type": "string",
                    "enum": [
                      "square_hd",
                      "square",
                      "portrait_4_3",
                      "portrait_16_9",
                      "landscape_4_3",
                      "landscape_16_9"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "seedream-4"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "create-image / seedream-4"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_size": {
                    "type": "string",
                    "enum": [
                      "square_hd",
                      "square",
                      "portrait_4_3",
                      "portrait_16_9",
                      "landscape_4_3",
                      "landscape_16_9"
                    ]
                  },
                  "num_images": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 4
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "flux-schnell"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-image / flux-schnell"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "maxItems": 4,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "nano-banana"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-image / nano-banana"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "aspect_ratio": {
                    "enum": [
                      "1:1",
                      "4:3",
                      "3:4",
                      "16:9",
                      "9:16",
                      "21:9",
                      "9:21"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "luma-photon-flash"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-image / luma-photon-flash"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "edit-image",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "edit-image"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "auto",
                      "1:1",
                      "16:9",
                      "9:16",
                      "4:3",
                      "3:4",
                      "3:2",
                      "2:3",
                      "21:9"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "flux-kontext"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "edit-image / flux-kontext"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {
                      "type": "string"
                    }
                  },
                  "image_size": {
                    "type": "string",
                    "enum": [
                      "square_hd",
                      "square",
                      "portrait_4_3",
                      "portrait_16_9",
                      "landscape_4_3",
                      "landscape_16_9"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "seedream-4.5-edit"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "image_urls",
                  "model"
                ],
                "additionalProperties": false,
                "title": "edit-image / seedream-4.5-edit"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "qwen-image-2-edit"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "image_urls",
                  "model"
                ],
                "additionalProperties": false,
                "title": "edit-image / qwen-image-2-edit"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "nano-banana-pro-edit"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "image_urls",
                  "model"
                ],
                "additionalProperties": false,
                "title": "edit-image / nano-banana-pro-edit"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "extend-image",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "extend-image"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "1:1",
                      "16:9",
                      "9:16",
                      "4:3",
                      "3:4"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "image-expand"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "extend-image / image-expand"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "upscale-image",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "upscale-image"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "scale": {
                    "type": "integer",
                    "enum": [
                      2,
                      4
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "clarity-upscaler"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "upscale-image / clarity-upscaler"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-background-remover",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-background-remover"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "birefnet"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-background-remover / birefnet"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-depth-map-generator",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-depth-map-generator"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "depth-anything-v2"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-depth-map-generator / depth-anything-v2"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-to-svg",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-to-svg"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "recraft-vectorize"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-to-svg / recraft-vectorize"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "svg-creator",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "svg-creator"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 1000
                  },
                  "style": {
                    "enum": [
                      "vector_illustration",
                      "line_art",
                      "icon"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "recraft-v3-svg"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "svg-creator / recraft-v3-svg"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "style-transfer",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "style-transfer"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "flux-style-transfer"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "style-transfer / flux-style-transfer"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "try-clothes",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "try-clothes"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "items": {
                      "type": "string"
                    }
                  },
                  "category": {
                    "type": "string",
                    "enum": [
                      "tops",
                      "bottoms",
                      "one-pieces"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "fashn-tryon"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "try-clothes / fashn-tryon"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-canvas",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-canvas"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "sketch-to-image"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-canvas / sketch-to-image"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "create-video",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "create-video"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "enum": [
                      "auto",
                      "4",
                      "5",
                      "6",
                      "7",
                      "8",
                      "9",
                      "10",
                      "11",
                      "12",
                      "13",
                      "14",
                      "15"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "16:9",
                      "9:16",
                      "4:3",
                      "3:4",
                      "1:1",
                      "21:9"
                    ]
                  },
                  "resolution": {
                    "type": "string",
                    "enum": [
                      "480p",
                      "720p"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "seedance-2-text-to-video"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "create-video / seedance-2-text-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "16:9",
                      "9:16",
                      "1:1"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "veo3-fast-text-to-video"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-video / veo3-fast-text-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "string",
                    "enum": [
                      "4",
                      "6",
                      "8"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "16:9",
                      "9:16"
                    ]
                  },
                  "resolution": {
                    "type": "string",
                    "enum": [
                      "720p",
                      "1080p",
                      "4k"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "veo3-1-text-to-video"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-video / veo3-1-text-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "enum": [
                      "5",
                      "10"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "16:9",
                      "9:16",
                      "1:1"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-3-0-pro-text-to-video"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-video / kling-3-0-pro-text-to-video"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "animate-image",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "animate-image"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "end_image_url": {
                    "type": "string"
                  },
                  "duration": {
                    "enum": [
                      "auto",
                      "4",
                      "5",
                      "6",
                      "7",
                      "8",
                      "9",
                      "10",
                      "11",
                      "12",
                      "13",
                      "14",
                      "15"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "auto",
                      "16:9",
                      "9:16",
                      "4:3",
                      "3:4",
                      "1:1",
                      "21:9"
                    ]
                  },
                  "resolution": {
                    "type": "string",
                    "enum": [
                      "480p",
                      "720p"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "seedance-2-image-to-video"
                    ]
                  }
                },
                "required": [
                  "image_url",
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "animate-image / seedance-2-image-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "image_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "end_image_url": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "string",
                    "enum": [
                      "4",
                      "6",
                      "8"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "auto",
                      "16:9",
                      "9:16"
                    ]
                  },
                  "resolution": {
                    "enum": [
                      "720p",
                      "1080p",
                      "4k"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "veo3-1-image-to-video"
                    ]
                  }
                },
                "required": [
                  "image_url",
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "animate-image / veo3-1-image-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "image_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "end_image_url": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "string",
                    "enum": [
                      "4",
                      "6",
                      "8"
                    ]
                  },
                  "aspect_ratio": {
                    "type": "string",
                    "enum": [
                      "auto",
                      "16:9",
                      "9:16"
                    ]
                  },
                  "resolution": {
                    "type": "string",
                    "enum": [
                      "720p",
                      "1080p"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "veo3-1-lite-image-to-video"
                    ]
                  }
                },
                "required": [
                  "image_url",
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "animate-image / veo3-1-lite-image-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "image_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "number",
                    "enum": [
                      5,
                      10
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-2-5-turbo-image-to-video"
                    ]
                  }
                },
                "required": [
                  "image_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "animate-image / kling-2-5-turbo-image-to-video"
              },
              {
                "type": "object",
                "properties": {
                  "image_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "end_image_url": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "integer",
                    "minimum": 3,
                    "maximum": 15
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-o3-image-to-video"
                    ]
                  }
                },
                "required": [
                  "image_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "animate-image / kling-o3-image-to-video"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "edit-video",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "edit-video"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "luma-modify-video"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "edit-video / luma-modify-video"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "extend-video",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "extend-video"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "number",
                    "minimum": 1,
                    "maximum": 30
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "veo-extend"
                    ]
                  }
                },
                "required": [
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "extend-video / veo-extend"
              },
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "magi-extend"
                    ]
                  }
                },
                "required": [
                  "video_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "extend-video / magi-extend"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "upscale-video",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "upscale-video"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "scale": {
                    "type": "integer",
                    "enum": [
                      2,
                      4
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "bytedance-upscaler"
                    ]
                  }
                },
                "required": [
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "upscale-video / bytedance-upscaler"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "video-background-remover",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "video-background-remover"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "video-matting"
                    ]
                  }
                },
                "required": [
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "video-background-remover / video-matting"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "translate-video",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "translate-video"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "target_language": {
                    "type": "string",
                    "enum": [
                      "en",
                      "es",
                      "fr",
                      "de",
                      "it",
                      "pt",
                      "ja",
                      "zh"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "video-dubbing"
                    ]
                  }
                },
                "required": [
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "translate-video / video-dubbing"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "video-sync-audio",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "video-sync-audio"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "mmaudio-v2"
                    ]
                  }
                },
                "required": [
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "video-sync-audio / mmaudio-v2"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "motion-transfer",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "motion-transfer"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-motion-control-v3-pro"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "motion-transfer / kling-motion-control-v3-pro"
              },
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-motion-control-v3-standard"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "video_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "motion-transfer / kling-motion-control-v3-standard"
              },
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-motion-control-v2-6-pro"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "video_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "motion-transfer / kling-motion-control-v2-6-pro"
              },
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "kling-motion-control-v2-6-standard"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "video_url",
                  "model"
                ],
                "additionalProperties": false,
                "title": "motion-transfer / kling-motion-control-v2-6-standard"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "character-replace",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "character-replace"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "video_url": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "wan-animate-replace"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "video_url"
                ],
                "additionalProperties": false,
                "title": "character-replace / wan-animate-replace"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "text-to-speech",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "text-to-speech"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 3000
                  },
                  "voice": {
                    "type": "string",
                    "enum": [
                      "alloy",
                      "echo",
                      "fable",
                      "onyx",
                      "nova",
                      "shimmer"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "openai-tts"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "text-to-speech / openai-tts"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 3000
                  },
                  "voice": {
                    "enum": [
                      "Adam",
                      "Alice",
                      "Antoni",
                      "Aria",
                      "Arnold",
                      "Bill",
                      "Brian",
                      "Callum",
                      "Charlie",
                      "Charlotte",
                      "Chris",
                      "Daniel",
                      "Dave",
                      "Emily",
                      "Fin",
                      "George",
                      "Lily",
                      "Liam",
                      "Sarah",
                      "Will"
                    ]
                  },
                  "stability": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 1
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "elevenlabs-tts"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "text-to-speech / elevenlabs-tts"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "create-music",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "create-music"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "type": "integer",
                    "minimum": 5,
                    "maximum": 120
                  },
                  "instrumental": {
                    "type": "boolean"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "musicgen"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "create-music / musicgen"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 2000
                  },
                  "music_length_ms": {
                    "type": "integer",
                    "minimum": 10000,
                    "maximum": 300000
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "elevenlabs-music"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "create-music / elevenlabs-music"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "sound-effects",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "sound-effects"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "audiogen"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "sound-effects / audiogen"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "duration": {
                    "enum": [
                      "auto",
                      "1",
                      "2",
                      "3",
                      "5",
                      "10",
                      "15",
                      "20",
                      "30"
                    ]
                  },
                  "prompt_influence": {
                    "type": "number",
                    "enum": [
                      0.1,
                      0.3,
                      0.5,
                      0.7,
                      0.9
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "elevenlabs-sound-effects"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "sound-effects / elevenlabs-sound-effects"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "drum-generator",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "drum-generator"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string"
                  },
                  "bpm": {
                    "type": "integer",
                    "minimum": 60,
                    "maximum": 200
                  },
                  "style": {
                    "enum": [
                      "rock",
                      "hip-hop",
                      "house",
                      "jazz"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "drum-machine"
                    ]
                  }
                },
                "required": [],
                "additionalProperties": false,
                "title": "drum-generator / drum-machine"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "song-splitter",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "song-splitter"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "audio_url": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "demucs"
                    ]
                  }
                },
                "required": [
                  "audio_url"
                ],
                "additionalProperties": false,
                "title": "song-splitter / demucs"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "translate-audio",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "translate-audio"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "audio_url": {
                    "type": "string"
                  },
                  "target_language": {
                    "type": "string",
                    "enum": [
                      "en",
                      "es",
                      "fr",
                      "de",
                      "it",
                      "pt",
                      "ja",
                      "zh"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "audio-dubbing"
                    ]
                  }
                },
                "required": [
                  "audio_url"
                ],
                "additionalProperties": false,
                "title": "translate-audio / audio-dubbing"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "voice-isolator",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "voice-isolator"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "audio_url": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "elevenlabs-isolator"
                    ]
                  }
                },
                "required": [
                  "audio_url"
                ],
                "additionalProperties": false,
                "title": "voice-isolator / elevenlabs-isolator"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "text-to-3d",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "text-to-3d"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 600
                  },
                  "art_style": {
                    "type": "string",
                    "enum": [
                      "realistic",
                      "sculpture"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "meshy-v6"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "text-to-3d / meshy-v6"
              },
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 1024
                  },
                  "enable_pbr": {
                    "type": "boolean"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "hunyuan3d-v3"
                    ]
                  }
                },
                "required": [
                  "prompt",
                  "model"
                ],
                "additionalProperties": false,
                "title": "text-to-3d / hunyuan3d-v3"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-to-3d-object",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-to-3d-object"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "trellis-2"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-to-3d-object / trellis-2"
              },
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "triposr"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "model"
                ],
                "additionalProperties": false,
                "title": "image-to-3d-object / triposr"
              },
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "hunyuan3d-v2-1"
                    ]
                  }
                },
                "required": [
                  "image_urls",
                  "model"
                ],
                "additionalProperties": false,
                "title": "image-to-3d-object / hunyuan3d-v2-1"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "motion-3d",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "motion-3d"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "prompt": {
                    "type": "string",
                    "maxLength": 1024
                  },
                  "duration": {
                    "type": "number",
                    "minimum": 0.5,
                    "maximum": 12
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "hunyuan-motion"
                    ]
                  }
                },
                "required": [
                  "prompt"
                ],
                "additionalProperties": false,
                "title": "motion-3d / hunyuan-motion"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "audio-to-text",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "audio-to-text"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "audio_url": {
                    "type": "string"
                  },
                  "language": {
                    "type": "string",
                    "minLength": 2,
                    "maxLength": 2
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "whisper"
                    ]
                  }
                },
                "required": [
                  "audio_url"
                ],
                "additionalProperties": false,
                "title": "audio-to-text / whisper"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "audio-to-subtitles",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "audio-to-subtitles"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "audio_url": {
                    "type": "string"
                  },
                  "format": {
                    "enum": [
                      "srt",
                      "vtt"
                    ]
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "whisper-subtitles"
                    ]
                  }
                },
                "required": [
                  "audio_url"
                ],
                "additionalProperties": false,
                "title": "audio-to-subtitles / whisper-subtitles"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "image-to-text",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "image-to-text"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 1,
                    "items": {
                      "type": "string"
                    }
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "florence-2"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "image-to-text / florence-2"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      },
      {
        "title": "text-extractor",
        "type": "object",
        "additionalProperties": false,
        "required": [
          "tool",
          "input"
        ],
        "properties": {
          "tool": {
            "type": "string",
            "enum": [
              "text-extractor"
            ]
          },
          "input": {
            "oneOf": [
              {
                "type": "object",
                "properties": {
                  "image_urls": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "items": {
                      "type": "string"
                    }
                  },
                  "model": {
                    "type": "string",
                    "enum": [
                      "mistral-ocr"
                    ]
                  }
                },
                "required": [
                  "image_urls"
                ],
                "additionalProperties": false,
                "title": "text-extractor / mistral-ocr"
              }
            ]
          },
          "webhook": {
            "description": "An HTTPS URL on a public host (no localhost, private or internal addresses), called when the generation succeeds.",
            "type": [
              "string",
              "null"
            ],
            "format": "uri",
            "pattern": "^https://"
          }
        }
      }
    ]
  }
}"##;
