//! `astudio tools list | show` and `astudio search`.

use artificial_studio_types::GenerationType;

use crate::app::App;
use crate::render::{Table, out, shown, terminal, tool_details};
use crate::report::Failure;

impl App {
    /// `astudio tools list`.
    pub(crate) async fn tools_list(&self, kind: Option<GenerationType>) -> Result<(), Failure> {
        let mut tools = self.client.tools().await?;
        if let Some(kind) = kind {
            tools.retain(|t| t.type_.as_ref() == Some(&kind));
        }
        if self.global.json {
            return self.print_json(&serde_json::json!({ "data": tools }));
        }
        let mut table = Table::new(["slug", "type", "output", "name", "description"]);
        for t in &tools {
            table.row([
                t.slug.clone(),
                shown(&t.type_),
                shown(&t.output_type),
                t.name.clone(),
                t.description.clone().unwrap_or_default(),
            ]);
        }
        out(table.render(terminal()));
        Ok(())
    }

    /// `astudio tools show`.
    pub(crate) async fn tools_show(&self, slug: &str) -> Result<(), Failure> {
        let tool = self.client.tool(slug).await?;
        if self.global.json {
            return self.print_json(&tool);
        }
        out(tool_details(&tool, terminal()));
        Ok(())
    }

    /// `astudio search`.
    pub(crate) async fn search(&self, query: &str) -> Result<(), Failure> {
        let tools = self.client.search(query).await?;
        if self.global.json {
            return self.print_json(&serde_json::json!({ "data": tools }));
        }
        if tools.is_empty() {
            self.note(format!(
                "no tool matches {query:?}; see every tool with: astudio tools list"
            ));
            return Ok(());
        }
        let mut table = Table::new(["slug", "type", "models", "description"]);
        for t in &tools {
            let models: Vec<&str> = t.models.iter().map(|m| m.slug.as_str()).collect();
            table.row([
                t.slug.clone(),
                shown(&t.type_),
                models.join(", "),
                t.description.clone().unwrap_or_default(),
            ]);
        }
        out(table.render(terminal()));
        Ok(())
    }
}
