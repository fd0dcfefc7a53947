"""Text analysis: the Whoosh analyzer (tokens, normalisation, stems), sentences, and entities."""
