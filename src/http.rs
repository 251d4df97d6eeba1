//! What shelflife's two HTTP clients (the endoflife.date API and the package registries' JSON
//! APIs) share: the reqwest client they are built on, their requests fanned out and gathered
//! back in order, and how a failure is told to the user.

use std::error::Error as _;
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;

/// How much of an answer a "malformed answer" message shows.
const PREVIEW_BYTES: usize = 60;

/// A reqwest client over rustls with a `User-Agent` and timeouts; the error says why it could
/// not be built.
pub fn client(
    user_agent: &str,
    timeout: Duration,
    connect_timeout: Duration,
) -> Result<reqwest::Client, String> {
    // reqwest is built without a bundled crypto provider; install ring's once for the process.
    // An error only says a provider is already installed, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .user_agent(user_agent)
        .timeout(timeout)
        .connect_timeout(connect_timeout)
        .build()
        .map_err(|error| error_chain(&error))
}

/// Runs `task` once for every distinct key, all at once (each client bounds its own requests in
/// flight), and gives the answers back sorted by key; a task that panicked answers `lost(key)`.
pub async fn fan_out<K, V, F, Fut>(keys: &[K], task: F, lost: impl Fn(&K) -> V) -> Vec<(K, V)>
where
    K: Ord + Clone,
    V: Send + 'static,
    F: Fn(K) -> Fut,
    Fut: Future<Output = V> + Send + 'static,
{
    let mut unique: Vec<&K> = keys.iter().collect();
    unique.sort();
    unique.dedup();
    let mut tasks = JoinSet::new();
    for (index, key) in unique.iter().enumerate() {
        let answer = task((*key).clone());
        tasks.spawn(async move { (index, answer.await) });
    }
    let mut answers: Vec<Option<V>> = unique.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, answer)) = joined {
            if let Some(slot) = answers.get_mut(index) {
                *slot = Some(answer);
            }
        }
    }
    unique
        .into_iter()
        .zip(answers)
        .map(|(key, answer)| (key.clone(), answer.unwrap_or_else(|| lost(key))))
        .collect()
}

/// A reqwest error with its causes, each said once (`error sending request: … : connection
/// refused`).
pub fn error_chain(error: &reqwest::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// The start of an answer, on one line, for a message about it.
pub fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(PREVIEW_BYTES)]);
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if body.len() > PREVIEW_BYTES {
        format!("{}…", line.trim_end())
    } else {
        line.trim_end().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fan_out_asks_each_key_once_and_answers_in_key_order() {
        let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let keys = ["b", "a", "b", "c"].map(String::from);
        let counter = asked.clone();
        let answers = fan_out(
            &keys,
            move |key: String| {
                counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                async move {
                    if key == "c" {
                        panic!("lost on purpose");
                    }
                    key.to_uppercase()
                }
            },
            |key| format!("{key} lost"),
        )
        .await;
        assert_eq!(
            answers,
            [("a", "A"), ("b", "B"), ("c", "c lost")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[test]
    fn a_preview_is_one_line_and_cut_with_an_ellipsis() {
        assert_eq!(preview(b"{\"a\":\n1}"), "{\"a\": 1}");
        let long = "x".repeat(100);
        assert_eq!(preview(long.as_bytes()), format!("{}…", "x".repeat(60)));
    }
}
