"""Direct quotations and who said them: quotation marks paired (`marks`), where the speaker is
named found (`attribution`), the phrase read (`speaker_phrases`) and resolved to a full name
(`speakers`), all with the vocabulary of rules/speech.json (`vocabulary`)."""
