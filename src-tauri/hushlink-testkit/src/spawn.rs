//! An axum router served on 127.0.0.1:0 in a task of its own, stopped when dropped: the
//! common part of [`crate::ReplayServer`] and [`crate::StubServer`].

use axum::Router;
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};
use url::Url;

/// A router being served; dropping it stops the server.
pub(crate) struct Served {
    url: Url,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Served {
    /// Binds `127.0.0.1:0` first (so no request can race the start), then serves `app`.
    pub(crate) async fn start(app: Router) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds 127.0.0.1:0");
        let addr = listener
            .local_addr()
            .expect("a bound listener has an address");
        let url = Url::parse(&format!("http://{addr}/")).expect("a socket address is a URL");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .expect("the test server serves");
        });
        Self {
            url,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Base URL, e.g. `http://127.0.0.1:41234/`.
    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// Stops the server and waits for it.
    pub(crate) async fn stop(mut self) {
        self.stop.take().map(|stop| stop.send(()));
        if let Some(task) = self.task.take() {
            task.await.expect("the test server ends cleanly");
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.stop.take().map(|stop| stop.send(()));
    }
}
