//! Renders a plan for people (human, markdown) and programs (json).
