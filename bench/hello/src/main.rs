//! A bare Tauri window showing one static page: the baseline `make bench-app` measures the
//! Touchpoint app against.

#![forbid(unsafe_code)]

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("the hello window failed to start");
}
