//! The JSON renderer: the plan as data, the same JSON a saved plan holds.

use std::io::{self, Write};

use crate::plan::Plan;

/// The plan as data: the same JSON a saved plan holds.
pub fn render_json(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::render::fixtures::{mixed, prefixed, written};

    fn json_text(plan: &Plan) -> String {
        written(|out| render_json(plan, out))
    }

    #[test]
    fn json_prefixed() {
        assert_eq!(
            json_text(&prefixed()),
            r##"{
  "format_version": 1,
  "tool_version": "0.1.0",
  "environment": "dev",
  "project": "acme",
  "prompts": [
    {
      "name": "hr_assistant",
      "remote_name": "dev-hr_assistant",
      "action": "update",
      "reasons": [
        "the files differ from the DRAFT in `template | wording`"
      ],
      "drift": false,
      "file": "prompts/hr_assistant.yaml",
      "variant": "default",
      "changes": [
        {
          "path": "template",
          "before": "Use ```code``` blocks.\nOld line.",
          "after": "Use ```code``` blocks.\nNew line."
        }
      ],
      "deployed_version": "2",
      "steps": [
        {
          "operation": "UpdatePrompt"
        }
      ]
    }
  ]
}
"##
        );
    }

    #[test]
    fn json_round_trips_and_ends_with_a_newline() {
        let p = mixed();
        let text = json_text(&p);
        assert!(text.ends_with("}\n"));
        assert_eq!(serde_json::from_str::<Plan>(&text).unwrap(), p);
    }
}
