"""Reading a person's own words into findings: lexicon, patterns, context, numbers, scoring."""
