"""The choose method (extract-v9 and later): the analysis reads the article into numbered
sentences and candidates (``pipeline.analyse``); the model answers with numbers only
(``prompt``: the request, windows of a long article); named rules check and assemble its
choice (``checks``, ``rules``, ``assemble``); ``method`` joins them behind the method seam."""
