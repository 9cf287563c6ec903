//! Client tokens: what makes the retries of one apply idempotent (CreatePrompt and
//! CreatePromptVersion replay a token's first answer) without letting a later plan replay an
//! earlier one.

use sha2::{Digest, Sha256};

use crate::state::operation::Operation;

/// A client token derived from what the call does and from the plan that asks for it, so that
/// the retries of one apply cannot create a second prompt or version, while a later plan (after
/// the prompt was deleted, say) is a new intention that no earlier call can be replayed for
/// (ClientToken allows 33 to 256 alphanumerics; a SHA-256 in hex is 64).
pub fn client_token(
    environment: &str,
    plan_id: &str,
    remote_name: &str,
    operation: Operation,
    hash: &str,
) -> String {
    let text = format!("{environment}\n{remote_name}\n{operation}\n{hash}\n{plan_id}");
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_tokens_are_the_plans_own_and_legal() {
        let token =
            |env: &str, plan: &str| client_token(env, plan, "p", Operation::CreatePrompt, "h");
        let a = token("dev", "plan-1");
        assert_eq!(a, token("dev", "plan-1"));
        assert_ne!(a, token("prod", "plan-1"));
        assert_ne!(
            a,
            token("dev", "plan-2"),
            "a later plan's intention is its own"
        );
        assert!(a.len() >= 33 && a.chars().all(|c| c.is_ascii_alphanumeric()));
    }
}
