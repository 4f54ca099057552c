// @generated from spec/openapi.yaml by `cargo xtask codegen`. Do not edit by hand:
// change the spec and run `cargo xtask codegen` (CI runs `cargo xtask codegen --check`).

///The caller's account.
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
///One run of a tool.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Generation {
    ///When the generation was created.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///Why the generation failed, once `error`.
    #[serde(deserialize_with = "::std::option::Option::deserialize")]
    pub error: ::std::option::Option<::std::string::String>,
    ///24 lowercase hex characters.
    pub id: ::std::string::String,
    ///URL of the result, once `success`.
    #[serde(deserialize_with = "::std::option::Option::deserialize")]
    pub output: ::std::option::Option<::std::string::String>,
    ///The input that was run.
    pub payload: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    pub status: GenerationStatus,
    ///URL of a preview image; null for audio and until `success`.
    #[serde(deserialize_with = "::std::option::Option::deserialize")]
    pub thumbnail: ::std::option::Option<::std::string::String>,
    ///The tool slug.
    pub tool: ::std::string::String,
    #[serde(rename = "type")]
    pub type_: GenerationType,
}
///One page of the caller's generations, newest first.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct GenerationList {
    ///The generations on this page.
    pub data: ::std::vec::Vec<Generation>,
    pub pagination: Pagination,
}
/**Where a generation is: `pending` → `processing` → `uploading` →
`success` or `error`. `success` and `error` are final.
*/
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum GenerationStatus {
    #[serde(rename = "pending")]
    Pending,
    #[serde(rename = "processing")]
    Processing,
    #[serde(rename = "uploading")]
    Uploading,
    #[serde(rename = "success")]
    Success,
    #[serde(rename = "error")]
    Error,
}
impl ::std::fmt::Display for GenerationStatus {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::Pending => f.write_str("pending"),
            Self::Processing => f.write_str("processing"),
            Self::Uploading => f.write_str("uploading"),
            Self::Success => f.write_str("success"),
            Self::Error => f.write_str("error"),
        }
    }
}
impl ::std::str::FromStr for GenerationStatus {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "pending" => Ok(Self::Pending),
            "processing" => Ok(Self::Processing),
            "uploading" => Ok(Self::Uploading),
            "success" => Ok(Self::Success),
            "error" => Ok(Self::Error),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for GenerationStatus {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for GenerationStatus {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
///The kind of media a tool works on or produces.
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum GenerationType {
    #[serde(rename = "image")]
    Image,
    #[serde(rename = "video")]
    Video,
    #[serde(rename = "audio")]
    Audio,
    #[serde(rename = "text")]
    Text,
    #[serde(rename = "object")]
    Object,
}
impl ::std::fmt::Display for GenerationType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::Image => f.write_str("image"),
            Self::Video => f.write_str("video"),
            Self::Audio => f.write_str("audio"),
            Self::Text => f.write_str("text"),
            Self::Object => f.write_str("object"),
        }
    }
}
impl ::std::str::FromStr for GenerationType {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "image" => Ok(Self::Image),
            "video" => Ok(Self::Video),
            "audio" => Ok(Self::Audio),
            "text" => Ok(Self::Text),
            "object" => Ok(Self::Object),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for GenerationType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for GenerationType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
///One field of a model's input.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
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
    ///For arrays, the type of each item.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub items: ::std::option::Option<InputFieldItems>,
    ///A display label.
    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
    pub label: ::std::option::Option<::std::string::String>,
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
    #[serde(rename = "type")]
    pub type_: InputFieldType,
}
///The type of each item of an array input field.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct InputFieldItems {
    ///The allowed item values, when restricted.
    #[serde(rename = "enum", default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub enum_: ::std::vec::Vec<::serde_json::Value>,
    #[serde(rename = "type")]
    pub type_: InputFieldType,
}
///The JSON type of an input field.
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum InputFieldType {
    #[serde(rename = "string")]
    String,
    #[serde(rename = "number")]
    Number,
    #[serde(rename = "integer")]
    Integer,
    #[serde(rename = "boolean")]
    Boolean,
    #[serde(rename = "array")]
    Array,
}
impl ::std::fmt::Display for InputFieldType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::String => f.write_str("string"),
            Self::Number => f.write_str("number"),
            Self::Integer => f.write_str("integer"),
            Self::Boolean => f.write_str("boolean"),
            Self::Array => f.write_str("array"),
        }
    }
}
impl ::std::str::FromStr for InputFieldType {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "string" => Ok(Self::String),
            "number" => Ok(Self::Number),
            "integer" => Ok(Self::Integer),
            "boolean" => Ok(Self::Boolean),
            "array" => Ok(Self::Array),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for InputFieldType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for InputFieldType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
///The JSON-Schema-like description of a model's input.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct InputSchema {
    ///The input fields by name, in display order.
    pub properties: ::indexmap::IndexMap<::std::string::String, InputField>,
    ///Names of the fields that must be given.
    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
    pub required: ::std::vec::Vec<::std::string::String>,
    ///Always `object`.
    #[serde(rename = "type")]
    pub type_: InputSchemaType,
}
///Always `object`.
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum InputSchemaType {
    #[serde(rename = "object")]
    Object,
}
impl ::std::fmt::Display for InputSchemaType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::Object => f.write_str("object"),
        }
    }
}
impl ::std::str::FromStr for InputSchemaType {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "object" => Ok(Self::Object),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for InputSchemaType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for InputSchemaType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
///Where a page sits in the whole list.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Pagination {
    ///Whether a later page exists.
    #[serde(rename = "hasMore")]
    pub has_more: bool,
    ///The page size used.
    pub limit: u32,
    ///The offset used.
    pub offset: u64,
    ///Generations matching the query, over all pages.
    pub total: u64,
}
///The account's plan, which sets its rate limits.
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum Plan {
    #[serde(rename = "free")]
    Free,
    #[serde(rename = "pro")]
    Pro,
}
impl ::std::fmt::Display for Plan {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::Free => f.write_str("free"),
            Self::Pro => f.write_str("pro"),
        }
    }
}
impl ::std::str::FromStr for Plan {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "free" => Ok(Self::Free),
            "pro" => Ok(Self::Pro),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for Plan {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for Plan {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
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
///The answer to `POST /api/run`.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct RunResponse {
    ///When the generation was created.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///The new generation's id.
    pub id: ::std::string::String,
    pub status: GenerationStatus,
    ///The tool that runs.
    pub tool: ::std::string::String,
}
///Tools matching a search, with their models.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct SearchResults {
    ///The matching tools.
    pub data: ::std::vec::Vec<Tool>,
}
///A tool with its models.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct Tool {
    ///What the tool does.
    pub description: ::std::string::String,
    ///The models, the default (primary) one first.
    pub models: ::std::vec::Vec<ToolModel>,
    ///A display name.
    pub name: ::std::string::String,
    #[serde(rename = "outputType")]
    pub output_type: GenerationType,
    ///The id used in `POST /api/run`.
    pub slug: ::std::string::String,
    #[serde(rename = "type")]
    pub type_: GenerationType,
}
///Every tool (project decision: wrapped as `{data}`).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolList {
    ///The tools.
    pub data: ::std::vec::Vec<ToolSummary>,
}
///One model of a tool, with its price and input.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolModel {
    ///Credits taken when a generation with this model is created.
    pub cost: u64,
    ///What `cost` counts; `credits` per generation.
    #[serde(rename = "costUnit")]
    pub cost_unit: ::std::string::String,
    #[serde(rename = "inputSchema")]
    pub input_schema: InputSchema,
    ///A display name.
    pub name: ::std::string::String,
    ///The value of `input.model` that selects it.
    pub slug: ::std::string::String,
}
///A tool as listed by `GET /api/tools`.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct ToolSummary {
    ///What the tool does.
    pub description: ::std::string::String,
    ///A display name.
    pub name: ::std::string::String,
    #[serde(rename = "outputType")]
    pub output_type: GenerationType,
    ///The id used in `POST /api/run`.
    pub slug: ::std::string::String,
    #[serde(rename = "type")]
    pub type_: GenerationType,
}
///A stored upload (project decision).
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct UploadedFile {
    ///When the file was stored.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///The file id.
    pub id: ::std::string::String,
    #[serde(rename = "type")]
    pub type_: UploadedFileType,
    ///Where the file is served; usable as a media input URL.
    pub url: ::std::string::String,
}
///The kind of an uploaded file, from its content type.
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum UploadedFileType {
    #[serde(rename = "image")]
    Image,
    #[serde(rename = "video")]
    Video,
    #[serde(rename = "audio")]
    Audio,
    #[serde(rename = "file")]
    File,
}
impl ::std::fmt::Display for UploadedFileType {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::Image => f.write_str("image"),
            Self::Video => f.write_str("video"),
            Self::Audio => f.write_str("audio"),
            Self::File => f.write_str("file"),
        }
    }
}
impl ::std::str::FromStr for UploadedFileType {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "image" => Ok(Self::Image),
            "video" => Ok(Self::Video),
            "audio" => Ok(Self::Audio),
            "file" => Ok(Self::File),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for UploadedFileType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for UploadedFileType {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
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
///The kind of a validation problem (the Zod vocabulary).
#[derive(
    ::serde::Deserialize,
    ::serde::Serialize,
    Clone,
    Copy,
    Debug,
    Eq,
    Hash,
    Ord,
    PartialEq,
    PartialOrd
)]
pub enum ValidationIssueCode {
    #[serde(rename = "invalid_type")]
    InvalidType,
    #[serde(rename = "unrecognized_keys")]
    UnrecognizedKeys,
    #[serde(rename = "invalid_enum_value")]
    InvalidEnumValue,
    #[serde(rename = "too_small")]
    TooSmall,
    #[serde(rename = "too_big")]
    TooBig,
    #[serde(rename = "invalid_string")]
    InvalidString,
    #[serde(rename = "custom")]
    Custom,
}
impl ::std::fmt::Display for ValidationIssueCode {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match *self {
            Self::InvalidType => f.write_str("invalid_type"),
            Self::UnrecognizedKeys => f.write_str("unrecognized_keys"),
            Self::InvalidEnumValue => f.write_str("invalid_enum_value"),
            Self::TooSmall => f.write_str("too_small"),
            Self::TooBig => f.write_str("too_big"),
            Self::InvalidString => f.write_str("invalid_string"),
            Self::Custom => f.write_str("custom"),
        }
    }
}
impl ::std::str::FromStr for ValidationIssueCode {
    type Err = self::error::ConversionError;
    fn from_str(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        match value {
            "invalid_type" => Ok(Self::InvalidType),
            "unrecognized_keys" => Ok(Self::UnrecognizedKeys),
            "invalid_enum_value" => Ok(Self::InvalidEnumValue),
            "too_small" => Ok(Self::TooSmall),
            "too_big" => Ok(Self::TooBig),
            "invalid_string" => Ok(Self::InvalidString),
            "custom" => Ok(Self::Custom),
            _ => Err("invalid value".into()),
        }
    }
}
impl ::std::convert::TryFrom<&str> for ValidationIssueCode {
    type Error = self::error::ConversionError;
    fn try_from(
        value: &str,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
impl ::std::convert::TryFrom<::std::string::String> for ValidationIssueCode {
    type Error = self::error::ConversionError;
    fn try_from(
        value: ::std::string::String,
    ) -> ::std::result::Result<Self, self::error::ConversionError> {
        value.parse()
    }
}
///What the service POSTs to a run's webhook when the generation succeeds.
#[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
pub struct WebhookPayload {
    ///When the generation was created.
    #[serde(rename = "createdAt")]
    pub created_at: ::chrono::DateTime<::chrono::offset::Utc>,
    ///The generation id (also in the `X-Media-Id` header).
    pub id: ::std::string::String,
    ///URL of the result.
    #[serde(deserialize_with = "::std::option::Option::deserialize")]
    pub output: ::std::option::Option<::std::string::String>,
    pub status: GenerationStatus,
    ///URL of a preview image; null for audio.
    #[serde(deserialize_with = "::std::option::Option::deserialize")]
    pub thumbnail: ::std::option::Option<::std::string::String>,
    ///The tool slug.
    pub tool: ::std::string::String,
    #[serde(rename = "type")]
    pub type_: GenerationType,
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
    "description": "The kind of a validation problem (the Zod vocabulary).",
    "type": "string",
    "enum": [
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
    "description": "The answer to `POST /api/run`.",
    "type": "object",
    "required": [
      "id",
      "status",
      "tool",
      "createdAt"
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
      }
    ]
  },
  "GenerationStatus": {
    "description": "Where a generation is: `pending` → `processing` → `uploading` →\n`success` or `error`. `success` and `error` are final.\n",
    "type": "string",
    "enum": [
      "pending",
      "processing",
      "uploading",
      "success",
      "error"
    ]
  },
  "GenerationType": {
    "description": "The kind of media a tool works on or produces.",
    "type": "string",
    "enum": [
      "image",
      "video",
      "audio",
      "text",
      "object"
    ]
  },
  "Generation": {
    "description": "One run of a tool.",
    "type": "object",
    "required": [
      "id",
      "status",
      "tool",
      "type",
      "output",
      "thumbnail",
      "error",
      "payload",
      "createdAt"
    ],
    "properties": {
      "id": {
        "description": "24 lowercase hex characters.",
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
        "description": "Why the generation failed, once `error`.",
        "type": [
          "string",
          "null"
        ]
      },
      "payload": {
        "description": "The input that was run.",
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
      }
    ]
  },
  "Pagination": {
    "description": "Where a page sits in the whole list.",
    "type": "object",
    "required": [
      "total",
      "limit",
      "offset",
      "hasMore"
    ],
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
      "data",
      "pagination"
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
    "description": "A tool as listed by `GET /api/tools`.",
    "type": "object",
    "required": [
      "slug",
      "name",
      "description",
      "type",
      "outputType"
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
    "description": "Every tool (project decision: wrapped as `{data}`).",
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
    "description": "A tool with its models.",
    "type": "object",
    "required": [
      "slug",
      "name",
      "description",
      "type",
      "outputType",
      "models"
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
      "models": {
        "description": "The models, the default (primary) one first.",
        "type": "array",
        "items": {
          "$ref": "#/components/schemas/ToolModel"
        }
      }
    }
  },
  "ToolModel": {
    "description": "One model of a tool, with its price and input.",
    "type": "object",
    "required": [
      "slug",
      "name",
      "cost",
      "costUnit",
      "inputSchema"
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
        "description": "Credits taken when a generation with this model is created.",
        "type": "integer",
        "format": "uint64",
        "minimum": 0
      },
      "costUnit": {
        "description": "What `cost` counts; `credits` per generation.",
        "type": "string"
      },
      "inputSchema": {
        "$ref": "#/components/schemas/InputSchema"
      }
    }
  },
  "InputSchema": {
    "description": "The JSON-Schema-like description of a model's input.",
    "type": "object",
    "required": [
      "type",
      "properties"
    ],
    "properties": {
      "type": {
        "description": "Always `object`.",
        "type": "string",
        "enum": [
          "object"
        ]
      },
      "properties": {
        "description": "The input fields by name, in display order.",
        "type": "object",
        "additionalProperties": {
          "$ref": "#/components/schemas/InputField"
        }
      },
      "required": {
        "description": "Names of the fields that must be given.",
        "type": "array",
        "items": {
          "type": "string"
        }
      }
    }
  },
  "InputFieldType": {
    "description": "The JSON type of an input field.",
    "type": "string",
    "enum": [
      "string",
      "number",
      "integer",
      "boolean",
      "array"
    ]
  },
  "InputField": {
    "description": "One field of a model's input.",
    "type": "object",
    "required": [
      "type"
    ],
    "properties": {
      "type": {
        "$ref": "#/components/schemas/InputFieldType"
      },
      "enum": {
        "description": "The allowed values, when restricted.",
        "type": "array",
        "items": {}
      },
      "default": {
        "description": "The value used when the field is not given."
      },
      "label": {
        "description": "A display label.",
        "type": "string"
      },
      "description": {
        "description": "What the field does.",
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
    "required": [
      "type"
    ],
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
    "description": "The account's plan, which sets its rate limits.",
    "type": "string",
    "enum": [
      "free",
      "pro"
    ]
  },
  "Account": {
    "description": "The caller's account.",
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
    "description": "The kind of an uploaded file, from its content type.",
    "type": "string",
    "enum": [
      "image",
      "video",
      "audio",
      "file"
    ]
  },
  "UploadedFile": {
    "description": "A stored upload (project decision).",
    "type": "object",
    "required": [
      "id",
      "url",
      "type",
      "createdAt"
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
      }
    }
  },
  "WebhookPayload": {
    "description": "What the service POSTs to a run's webhook when the generation succeeds.",
    "type": "object",
    "required": [
      "id",
      "status",
      "tool",
      "type",
      "output",
      "thumbnail",
      "createdAt"
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
  }
}"##;
