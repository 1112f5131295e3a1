//! Tests of the IPC layer: the real app (config, capabilities, commands) on Tauri's mock runtime.

mod auto_lock;
mod calendars;
mod drafts;
mod exchange;
mod faults;
mod initiatives;
mod ipc;
mod privacy;
mod rekey;
mod reminders;
mod trash;

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

use crate::Paths;

/// A passphrase strong enough for `Passphrase::checked` (zxcvbn score 4).
pub const PASSPHRASE: &str = "quiet harbour lantern 42";

/// A channel argument as the UI's `Channel` object serialises.
pub const CHANNEL: &str = "__CHANNEL__:1";

/// The app built as `run` builds it (minus the plugins that need a desktop session), pointed at a
/// temp folder, with its main window.
pub struct TestApp {
    pub app: App<MockRuntime>,
    pub window: WebviewWindow<MockRuntime>,
    pub dir: TempDir,
}

impl TestApp {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let paths = Paths {
            journal: dir.path().join("journal"),
            demo: dir.path().join("demo-journal"),
        };
        let app = crate::configure(mock_builder(), |_| {
            Err("the mock runtime never runs setup".into())
        })
        .build(crate::context())
        .expect("the app builds on the mock runtime");
        crate::install(app.handle(), paths);
        let window = match app.get_webview_window("main") {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, "main", Default::default())
                .build()
                .expect("main window"),
        };
        TestApp { app, window, dir }
    }

    /// Invokes `cmd` as the UI does, from the app's own page; the error is the raw IPC value.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("a JSON answer"))
    }

    /// Invokes `cmd` and expects success.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Invokes `cmd` and expects an error.
    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail but answered {v}"),
            Err(e) => e,
        }
    }

    /// Creates the journal in the default folder and answers the recovery code.
    pub fn create_journal(&self) -> String {
        let code = self.ok(
            "create_journal",
            json!({"dir": null, "passphrase": PASSPHRASE}),
        );
        code.as_str()
            .expect("the recovery code is a string")
            .to_string()
    }
}
