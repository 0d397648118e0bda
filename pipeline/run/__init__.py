"""Running extraction over many articles: a resumable batch, on one machine or on Ray."""
