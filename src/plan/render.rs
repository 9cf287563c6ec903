//! Renders a plan for people (human, markdown) and programs (json).
use crate::plan::Plan;
use std::io::{self, Write};
pub fn render_human(plan: &Plan, _color: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{:?}", plan.counts())
}
pub fn render_markdown(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{:?}", plan.counts())
}
pub fn render_json(plan: &Plan, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, plan)?;
    writeln!(out)
}
