//! Checks a typical valid `create-image` input many times, with the shared
//! input rules or with a JSON Schema validator on the same schema, for
//! counting allocations and instructions under valgrind:
//!
//! ```text
//! cargo build --release -p artificial-studio-types --example validate_input
//! valgrind --tool=dhat target/release/examples/validate_input rules 100000
//! valgrind --tool=callgrind target/release/examples/validate_input jsonschema 100000
//! ```
//!
//! Subtract a run with 0 checks to leave out the set-up.

use artificial_studio_types::InputSchema;
use artificial_studio_types::rules::input::{InputRules, IssueOrder};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "rules".to_string());
    let times: u64 = args.next().as_deref().unwrap_or("100000").parse()?;
    let schema: InputSchema = serde_json::from_value(json!({
        "type": "object",
        "properties": {
            "prompt": {"type": "string", "label": "Prompt", "description": "What to draw."},
            "image_size": {"type": "string", "label": "Image size", "enum": ["square_hd", "square",
                "portrait_4_3", "portrait_16_9", "landscape_4_3", "landscape_16_9"], "default": "square_hd"}
        },
        "required": ["prompt"]
    }))?;
    let input = json!({"model": "seedream-4", "prompt": "a red fox in the snow", "image_size": "landscape_4_3"});
    let mut valid = 0u64;
    match which.as_str() {
        "rules" => {
            let rules = InputRules::new(&schema);
            for _ in 0..times {
                valid += u64::from(
                    std::hint::black_box(&rules)
                        .issues(&input, IssueOrder::Service)
                        .is_empty(),
                );
            }
        }
        _ => {
            let validator = jsonschema::validator_for(&schema.to_json_schema())?;
            for _ in 0..times {
                valid += u64::from(std::hint::black_box(&validator).is_valid(&input));
            }
        }
    }
    println!("{which}: {valid} of {times} valid");
    Ok(())
}
