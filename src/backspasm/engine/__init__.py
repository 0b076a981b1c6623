"""The pure engine: logic language, knowledge base, triage, contributors, care plan, interview."""
