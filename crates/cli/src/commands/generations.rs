//! `astudio generations get | list | wait`.

use artificial_studio::ListParams;
use artificial_studio_types::Generation;
use futures::TryStreamExt;

use crate::app::App;
use crate::args::GenerationsCommand;
use crate::render::{generation_block, generations_table, out, terminal};
use crate::report::Failure;

impl App {
    /// `astudio generations ...`.
    pub(crate) async fn generations(&self, cmd: GenerationsCommand) -> Result<(), Failure> {
        match cmd {
            GenerationsCommand::Get { id } => {
                let generation = self.client.generation(&id).await?;
                if self.global.json {
                    return self.print_json(&generation);
                }
                out(generation_block(&generation));
                Ok(())
            }
            GenerationsCommand::List {
                status,
                limit,
                offset,
                all,
            } => {
                let mut params = ListParams::new();
                if let Some(status) = status {
                    params = params.status(status);
                }
                if all {
                    let every: Vec<Generation> = self
                        .client
                        .generations_stream(params.limit(100))
                        .try_collect()
                        .await?;
                    if self.global.json {
                        return self.print_json(&every);
                    }
                    out(generations_table(&every).render(terminal()));
                    return Ok(());
                }
                let page = self
                    .client
                    .generations(&params.limit(limit).offset(offset))
                    .await?;
                if self.global.json {
                    return self.print_json(&page);
                }
                out(generations_table(&page.data).render(terminal()));
                let p = page.pagination.clone().unwrap_or_default();
                let first = p.offset.unwrap_or(offset);
                let last = first + page.data.len() as u64;
                if p.has_more == Some(true) {
                    let of = p.total.map(|t| format!(" of {t}")).unwrap_or_default();
                    self.note(format!(
                        "showing {}–{last}{of}; more with --offset {last} or --all",
                        first + 1,
                    ));
                } else if page.data.is_empty() {
                    self.note("no generations");
                }
                Ok(())
            }
            GenerationsCommand::Wait {
                id,
                download,
                timeout,
            } => {
                let generation = self.wait(&id, timeout).await?;
                self.finish(&generation, &download).await
            }
        }
    }
}
