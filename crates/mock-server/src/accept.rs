//! The accept loop: one hyper connection per TCP stream, each watched for
//! idleness (see [`crate::idle`]), until cancelled; then a graceful shutdown
//! that lets requests in flight finish, for a while.

use std::{sync::Arc, time::Duration};

use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::{http, idle};

/// How long shutdown waits for requests in flight before closing connections.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `listener` through `router` until `cancel`, closing connections
/// idle for `idle_timeout`.
pub(crate) async fn serve(
    listener: TcpListener,
    router: http::Pipeline,
    cancel: CancellationToken,
    idle_timeout: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut builder = auto::Builder::new(TokioExecutor::new());
    // Slow and idle clients are cut off by each connection's watchdog (see
    // `idle`), not by hyper's timer armed before every request head.
    builder.http1().header_read_timeout(None);
    builder.http2().timer(TokioTimer::new());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = cancel.cancelled() => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(error) => {
                // Out of file descriptors and the like: wait a little, keep serving.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let activity = Arc::new(idle::Activity::default());
        let io = TokioIo::new(idle::Watched::new(stream, activity.clone()));
        let service = TowerToHyperService::new(router.watched(activity.clone()));
        let connection = builder.serve_connection(io, service).into_owned();
        let connection = graceful.watch(connection);
        let task = tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
        });
        tokio::spawn(idle::close_when_idle(
            activity,
            task.abort_handle(),
            idle_timeout,
        ));
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(SHUTDOWN_GRACE) => {
            tracing::warn!("requests still running after the grace period; closing");
        }
    }
}
