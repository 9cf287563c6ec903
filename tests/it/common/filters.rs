//! Snapshot filters, defined once: what changes from run to run becomes a placeholder. A
//! [`TestContext`](super::TestContext) applies them (and its own folder as `[TEMP]`) through
//! `assert_snapshot!(project, …)`.

/// The filters of every snapshot.
pub const FILTERS: &[(&str, &str)] = &[
    // The emulator listens on a free port.
    (r"http://127\.0\.0\.1:\d+", "[EMULATOR]"),
    // Times, such as a prompt's `updatedAt`.
    (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[TIME]"),
    // Durations, such as a retry's wait.
    (r"\b\d+(\.\d+)?(ms|s)\b", "[DURATION]"),
    (
        r#""tool_version": "[^"]+""#,
        r#""tool_version": "[VERSION]""#,
    ),
    // The project file holds the emulator's port.
    (r#"("promptform.yaml": ")[0-9a-f]{64}"#, "$1[DIGEST]"),
    // A client token is the plan's own: random from plan to plan.
    (r#"("client_token": ")[0-9a-f]{64}"#, "$1[TOKEN]"),
    // A prompt id, as the header of an imported file names it.
    (r"prompt [0-9A-Z]{10} ", "prompt [ID] "),
];

/// Every ten-character id: for a plan, which names prompt ids bare and in ARNs (and so hides the
/// test's agent ids too).
pub const EVERY_ID: (&str, &str) = (r"\b[0-9A-Z]{10}\b", "[ID]");

/// `insta::assert_snapshot!` under the context's [`snapshot_settings`]
/// (super::TestContext::snapshot_settings): `assert_snapshot!(project, out.transcript())`, or
/// with a name first, as insta's.
macro_rules! assert_snapshot {
    ($context:expr, $($snapshot:tt)+) => {
        $context
            .snapshot_settings()
            .bind(|| insta::assert_snapshot!($($snapshot)+))
    };
}
pub(crate) use assert_snapshot;
