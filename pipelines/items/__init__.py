"""Scrapy's item pipelines, and only they: thin wrappers that hand a fetched document to the pure
packages beside them (``pipelines.extract``, ``pipelines.repair``) and to ``storage``.

- ``extract_document``: a document -> its report, in the crawl process;
- ``store_document``: documents, reports and the run's record into the database;
- ``worker_pool``: both, in worker processes.

``pipelines.mode`` decides which of them run.
"""
