// Included by build.rs (to declare the app's commands to Tauri's access control) and by
// commands/mod.rs (to test the list against the handler and the capability file).

/// Every command the app exposes, as named in docs/ipc.md; each needs `allow-<command>` in
/// capabilities/default.json.
pub const COMMANDS: &[&str] = &[
    // session
    "app_status",
    "passphrase_strength",
    "create_journal",
    "choose_journal",
    "create_demo_journal",
    "unlock",
    "recover",
    "lock",
    // insights
    "today",
    "overview",
    "person_overview",
    "balance",
    // people, commitments, open topics
    "people",
    "teams",
    "add_person",
    "update_person",
    "trash_person",
    "erase_person",
    "commitments",
    "add_commitment",
    "resolve_commitment",
    "topics",
    "add_topic",
    "close_topic",
    // entries
    "add_touchpoint",
    "update_touchpoint",
    "touchpoint_detail",
    "trash_touchpoint",
    "reflect",
    "timeline",
    "search",
    "tags",
    // prompts
    "prompts_for",
    "recalibrate_prompts",
    "prompt_sets",
    "save_prompt_set",
    "delete_prompt_set",
    "reorder_prompt_sets",
    "import_prompt_sets",
    "export_prompt_sets",
    // settings, secrets, backups
    "settings",
    "update_settings",
    "change_passphrase",
    "new_recovery_code",
    "backups",
    "backup_now",
    "restore_backup",
];
