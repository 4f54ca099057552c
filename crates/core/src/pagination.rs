//! Walking every page of `GET /api/generations` as one [`Stream`].

use futures::Stream;
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::Client;
use crate::endpoints::ListParams;
use crate::error::Result;
use crate::types::rules::page;
use crate::types::{Generation, GenerationList};

impl Client {
    /// Every generation matching `params`, across all pages, newest first,
    /// fetched a page at a time as the stream is polled. `params.offset` is
    /// where it starts and `params.limit` the page size. An error ends the
    /// stream after being yielded.
    ///
    /// Pages are addressed by offset, so a generation created while the
    /// stream runs shifts the later pages: one item may then appear twice.
    ///
    /// ```no_run
    /// # async fn demo(client: artificial_studio::Client) -> artificial_studio::Result<()> {
    /// use artificial_studio::ListParams;
    /// use futures::TryStreamExt;
    ///
    /// let all: Vec<_> = client
    ///     .generations_stream(ListParams::new().limit(100))
    ///     .try_collect()
    ///     .await?;
    /// println!("{} generations", all.len());
    /// # Ok(()) }
    /// ```
    pub fn generations_stream(
        &self,
        params: ListParams,
    ) -> impl Stream<Item = Result<Generation>> + Send + 'static {
        let client = self.clone();
        let start = Some(params);
        stream::try_unfold(start, move |next| {
            let client = client.clone();
            async move {
                let Some(params) = next else {
                    return Ok(None);
                };
                let page = client.generations(&params).await?;
                let fetched = page.data.len() as u64;
                let offset = params.offset.unwrap_or(0);
                let more = fetched > 0 && has_more(&page, offset, fetched, params.limit);
                let following = more.then(|| ListParams {
                    offset: Some(params.offset.unwrap_or(0) + fetched),
                    ..params
                });
                Ok(Some((
                    stream::iter(page.data.into_iter().map(Ok)),
                    following,
                )))
            }
        })
        .try_flatten()
        .fuse()
    }
}

/// Whether a later page exists: `pagination.hasMore` when the service says
/// so, else its `total`, else (no pagination at all) whether the page was full.
fn has_more(page: &GenerationList, offset: u64, fetched: u64, limit: Option<u32>) -> bool {
    let pagination = page.pagination.as_ref();
    if let Some(more) = pagination.and_then(|p| p.has_more) {
        return more;
    }
    if let Some(total) = pagination.and_then(|p| p.total) {
        return offset.saturating_add(fetched) < total;
    }
    fetched >= u64::from(limit.unwrap_or(page::DEFAULT_LIMIT))
}
