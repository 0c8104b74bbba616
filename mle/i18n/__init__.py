"""One translation workflow for interface and content.

extract: a Babel extractor for the content YAML; languages: which languages a deployment
offers; runtime: locale selection and the gettext look-up of content text; catalogues: the
CI checks and the split/merge of catalogues for translators.
"""
