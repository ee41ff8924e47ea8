"""The organisations app's pages: directory, organisations, people, tokens, the switcher."""
