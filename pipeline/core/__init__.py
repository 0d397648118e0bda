"""The ground every stage stands on: errors, settings, words as data, the token budget, the cache."""
