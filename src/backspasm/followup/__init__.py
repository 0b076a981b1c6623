"""After the first result: diary, follow-up rules, chart, calendar, clinician summary, replay."""
