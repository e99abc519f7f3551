"""The run: the rule registry, the one batched pass over each module, post-processing
(suppressions, baseline, fingerprints), the cache and fixes."""
